"""ProConnect's settings from the environment's values: lab/settings.py and the tests use these.

No Django import here: settings.py reads this module before the apps are loaded.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def discovery_url(*, domain: str, url: str = "") -> str:
    """The discovery document's address: given as is, or ProConnect's under the domain."""
    if url:
        return url
    if not domain:
        return ""
    host = domain.removeprefix("https://").strip("/")
    return f"https://{host}/api/v2/.well-known/openid-configuration"


def providers(*, client_id: str, secret: str, discovery_url: str, acr_values: str) -> dict:
    """SOCIALACCOUNT_PROVIDERS: ProConnect's app when all three are set, else none (no button)."""
    configured = bool(client_id and secret and discovery_url)
    app = {
        "name": "ProConnect",
        "client_id": client_id,
        "secret": secret,
        "settings": {
            "server_url": discovery_url,
            "auth_params": {"acr_values": acr_values} if acr_values else {},
        },
    }
    # A verified address from ProConnect signs into the account that has it (and links it).
    return {"proconnect": {"EMAIL_AUTHENTICATION": True, "APPS": [app] if configured else []}}


def form_action(providers_setting: dict) -> list[str]:
    """The provider's origin, for the CSP's form-action.

    Signing in and out are form posts that we answer with a redirect to the provider, and
    browsers hold such redirects to the form-action of the page that had the form.
    """
    origins = []
    for app in providers_setting.get("proconnect", {}).get("APPS", []):
        parts = urlsplit(app["settings"]["server_url"])
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins
