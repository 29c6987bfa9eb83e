"""Sign in with ProConnect: allauth's OpenID Connect provider, extended where ProConnect differs.

- provider.py: the provider (scopes, state and nonce, ProConnect's claims);
- views.py: its OAuth2 adapter (ID token and the userinfo's signed JWT checked against the
  provider's keys), the login and callback views, the return from the provider's logout and
  the request to be attached to an organisation;
- tokens.py: JWT verification with PyJWT's key client;
- adapter.py: the social account adapter (refusals with a clear message);
- signals.py: after a ProConnect sign-in, the attachment to an organisation by SIRET.
"""
