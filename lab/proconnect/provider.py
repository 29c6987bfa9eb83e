"""The ProConnect provider: allauth's OpenID Connect provider with ProConnect's differences."""

from __future__ import annotations

import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import urlencode

from lab.proconnect.claims import userinfo
from lab.proconnect.errors import ProviderUnavailable
from lab.proconnect.tokens import nonce_for
from lab.proconnect.views import ProConnectOAuth2Adapter, unprefixed

# ProConnect's scopes name the claims one by one: only those we use.
SCOPES = ["openid", "email", "given_name", "usual_name", "uid", "siret"]
# ProConnect refuses a state or a nonce shorter than 32 characters.
STATE_LENGTH = 32


class ProConnectAccount(OpenIDConnectProviderAccount):
    def to_str(self) -> str:
        return userinfo(self.account.extra_data).get("email") or super().to_str()


class ProConnectProvider(OpenIDConnectProvider):
    id = "proconnect"
    name = "ProConnect"
    account_class = ProConnectAccount
    oauth2_adapter_class = ProConnectOAuth2Adapter
    # Signing in by posting an ID token obtained elsewhere is no ProConnect flow.
    supports_token_authentication = False

    def get_default_scope(self) -> list[str]:
        return list(SCOPES)

    def get_login_url(self, request: HttpRequest, **kwargs) -> str:
        url = reverse("proconnect_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self) -> str:
        return unprefixed("proconnect_callback")

    def get_oauth2_adapter(self, request: HttpRequest) -> ProConnectOAuth2Adapter:
        return ProConnectOAuth2Adapter(request)

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        # The state is chosen here so that the nonce can be derived from it (tokens.nonce_for).
        state_id = get_random_string(STATE_LENGTH)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce_for(state_id)}
        try:
            return super().redirect(
                request,
                process,
                next_url,
                data,
                auth_params=auth_params,
                state_id=state_id,
                **kwargs,
            )
        except (requests.RequestException, ValueError, KeyError) as error:
            # The discovery document could not be read: say so instead of failing.
            return render_authentication_error(
                request, self, exception=ProviderUnavailable(f"discovery: {error!r}")
            )

    def extract_common_fields(self, data: dict) -> dict:
        claims = userinfo(data)
        return {
            "email": claims.get("email"),
            "first_name": (claims.get("given_name") or "")[:150],
            # ProConnect's family name is `usual_name` (the name in use), not `family_name`.
            "last_name": (claims.get("usual_name") or "")[:150],
        }

    def extract_email_addresses(self, data: dict) -> list[EmailAddress]:
        email = userinfo(data).get("email")
        # The adapter refused any address the provider does not vouch for (views.py).
        return [EmailAddress(email=email, verified=True, primary=True)] if email else []


provider_classes = [ProConnectProvider]
