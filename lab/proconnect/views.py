"""ProConnect's OAuth2 adapter and views: sign in, come back, sign out, ask to be attached."""

from __future__ import annotations

import logging

from allauth.account import app_settings as account_settings
from allauth.account.internal.decorators import login_not_required
from allauth.core.internal.httpkit import add_query_params
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri, get_request_param
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lab.proconnect import tokens
from lab.proconnect.errors import ProConnectError, unverified_email

logger = logging.getLogger(__name__)

# The ID token of the session's ProConnect sign-in: the provider's logout asks for it.
ID_TOKEN_SESSION_KEY = "proconnect_id_token"  # noqa: S105 (a session key, no secret)
LOGOUT_STATE_SALT = "lab.proconnect.logout"
LOGOUT_STATE_MAX_AGE = 600


def unprefixed(name: str) -> str:
    """The French path of one of our URLs, whatever the page's language: ProConnect accepts
    only the redirect URIs declared to it, and one of each is enough."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name)


class ProConnectOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, stricter where ProConnect says how it answers."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request, "proconnect")

    def get_callback_url(self, request: HttpRequest, app) -> str:
        return build_absolute_uri(
            request, unprefixed("proconnect_callback"), self.redirect_uri_protocol
        )

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        config = self.openid_config
        # An authorisation response names its issuer (RFC 9207): one from another provider is
        # a mix-up, refused before anything else is read.
        issuer = get_request_param(request, "iss")
        if issuer and issuer != config["issuer"]:
            raise ProConnectError(f"authorisation response from {issuer!r}")
        raw_id_token = kwargs["response"].get("id_token")
        if not raw_id_token:
            raise ProConnectError("no ID token in the token response")
        # Checked even though it came straight from the token endpoint: cheap, and the
        # signature is what a misconfigured proxy or a wrong endpoint would not fake.
        id_token = tokens.verify(
            raw_id_token,
            jwks_uri=config["jwks_uri"],
            issuer=config["issuer"],
            audience=app.client_id,
            required=["iss", "sub", "aud", "exp", "iat", "nonce"],
        )
        expected_nonce = tokens.nonce_for(get_request_param(request, "state") or "")
        if not constant_time_compare(id_token["nonce"], expected_nonce):
            raise ProConnectError("the ID token's nonce is not this request's")
        asked_acr = self.get_provider().get_auth_params().get("acr_values", "").split()
        if asked_acr and id_token.get("acr") not in asked_acr:
            raise ProConnectError(f"acr {id_token.get('acr')!r}, asked {asked_acr}")

        claims = self._fetch_user_info(token.token)
        if claims["sub"] != id_token["sub"]:
            raise ProConnectError("the userinfo's sub is not the ID token's")
        # ProConnect's identity providers vouch for the professional address; one that says
        # otherwise (or gives none) opens no account and signs into none.
        if not claims.get("email") or claims.get("email_verified") is False:
            raise unverified_email(claims.get("email", ""))

        request.session[ID_TOKEN_SESSION_KEY] = raw_id_token
        return self.get_provider().sociallogin_from_response(
            request, {"userinfo": claims, "id_token": id_token}
        )

    def _fetch_user_info(self, access_token: str) -> dict:
        """ProConnect answers the userinfo as a JWT signed with its keys (application/jwt)."""
        config = self.openid_config
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/jwt"}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/jwt":
            raise ProConnectError(f"userinfo answered {content_type!r}, not a signed JWT")
        return tokens.verify(
            response.text.strip(),
            jwks_uri=config["jwks_uri"],
            issuer=config["issuer"],
            audience=self.get_provider().app.client_id,
            required=["iss", "aud", "sub"],
        )


def _adapter_view(view_class, request: HttpRequest) -> HttpResponse:
    try:
        return view_class.adapter_view(ProConnectOAuth2Adapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404("ProConnect is not configured") from None


@login_not_required
def login(request: HttpRequest) -> HttpResponse:
    return _adapter_view(OAuth2LoginView, request)


@login_not_required
def callback(request: HttpRequest) -> HttpResponse:
    return _adapter_view(OAuth2CallbackView, request)


def provider_logout_url(request: HttpRequest) -> str | None:
    """The provider's end of session for a person signing out after a ProConnect sign-in.

    Asked before the local session is closed; whatever goes wrong here, it is closed all the
    same (None: the usual page after logout, with a word that ProConnect was not reached).
    """
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not id_token or not request.user.is_authenticated:
        return None
    try:
        endpoint = ProConnectOAuth2Adapter(request).openid_config["end_session_endpoint"]
        state = signing.dumps(get_random_string(16), salt=LOGOUT_STATE_SALT)
        return add_query_params(
            endpoint,
            {
                "id_token_hint": id_token,
                "state": state,
                "post_logout_redirect_uri": build_absolute_uri(
                    request, unprefixed("proconnect_logged_out")
                ),
            },
        )
    except Exception:  # any failure: the local logout must still happen
        logger.warning("ProConnect logout: the provider could not be reached", exc_info=True)
        messages.warning(
            request,
            _(
                "ProConnect n'a pas pu être joint : votre session ProConnect est peut-être "
                "encore ouverte. Fermez votre navigateur si l'ordinateur est partagé."
            ),
        )
        return None


@require_safe
@login_not_required
def logged_out(request: HttpRequest) -> HttpResponse:
    """Where the provider's logout sends the person back (the local session is already closed)."""
    try:
        signing.loads(
            request.GET.get("state", ""), salt=LOGOUT_STATE_SALT, max_age=LOGOUT_STATE_MAX_AGE
        )
    except signing.BadSignature:
        pass  # not a return from our logout: nothing to say
    else:
        messages.info(request, _("Vous êtes aussi déconnecté de ProConnect."))
    return redirect(resolve_url(account_settings.LOGOUT_REDIRECT_URL))


@login_required
@require_POST
def attachment_request(request: HttpRequest) -> HttpResponse:
    """Ask staff to attach the person to the organisation of the SIRET ProConnect gave."""
    from lab.proconnect.claims import userinfo
    from lab.services import user_request_attachment

    account = SocialAccount.objects.filter(user=request.user, provider="proconnect").first()
    siret = userinfo(account.extra_data).get("siret", "") if account else ""
    if request.user.organisation_id:
        messages.info(request, _("Votre compte est déjà rattaché à une organisation."))
    elif not siret:
        messages.error(request, _("ProConnect ne nous a transmis aucun SIRET pour votre compte."))
    elif user_request_attachment(user=request.user, siret=siret):
        messages.success(
            request,
            _("Votre demande est transmise à l'équipe, qui vous rattachera à votre organisation."),
        )
    else:
        messages.info(request, _("Votre demande a déjà été transmise aujourd'hui."))
    return redirect("socialaccount_connections")
