"""JWTs from ProConnect, checked against the keys it publishes (PyJWT and its key client)."""

from __future__ import annotations

import threading

import jwt
from django.utils.crypto import salted_hmac

from lab.proconnect.errors import ProConnectError, ProviderUnavailable

# What ProConnect signs with; never "none" nor a shared secret (HS*).
ALGORITHMS = ["RS256", "ES256"]
# Clocks differ a little between the provider and us.
LEEWAY = 60
KEYS_TIMEOUT = 5

_clients: dict[str, jwt.PyJWKClient] = {}
_clients_lock = threading.Lock()


def _keys(jwks_uri: str) -> jwt.PyJWKClient:
    """One key client per key set and process: the keys are fetched at most every five
    minutes, and again when a token names a key not seen yet (the provider rotated them)."""
    with _clients_lock:
        if jwks_uri not in _clients:
            _clients[jwks_uri] = jwt.PyJWKClient(jwks_uri, lifespan=300, timeout=KEYS_TIMEOUT)
        return _clients[jwks_uri]


def verify(token: str, *, jwks_uri: str, issuer: str, audience: str, required: list[str]) -> dict:
    """The claims of a JWT signed by one of the provider's keys, for us, by this issuer."""
    try:
        key = _keys(jwks_uri).get_signing_key_from_jwt(token)
        return jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            issuer=issuer,
            audience=audience,
            leeway=LEEWAY,
            options={"require": required},
        )
    except jwt.PyJWKClientConnectionError as error:
        raise ProviderUnavailable(f"keys at {jwks_uri}: {error}") from error
    except (jwt.PyJWKClientError, jwt.InvalidTokenError) as error:
        raise ProConnectError(f"JWT refused: {error}") from error


def nonce_for(state_id: str) -> str:
    """The nonce sent with a `state`: the ID token must bring it back.

    Derived from the state (which allauth keeps in this browser's session and checks before
    the ID token is read) with the secret key, so nothing more is stored.
    """
    return salted_hmac("lab.proconnect.nonce", state_id, algorithm="sha256").hexdigest()
