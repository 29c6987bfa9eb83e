"""After a ProConnect sign-in or link: the address it vouches for, the organisation by SIRET."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.signals import user_logged_in
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.signals import social_account_added
from django.contrib import messages
from django.dispatch import receiver
from django.utils.translation import gettext as _

from lab.proconnect.claims import userinfo
from lab.proconnect.views import ID_TOKEN_SESSION_KEY
from lab.services import user_attach_by_email, user_attach_by_siret


def _is_proconnect(sociallogin) -> bool:
    return sociallogin is not None and sociallogin.account.provider == "proconnect"


@receiver(social_account_added, dispatch_uid="proconnect_linked")
def linked(request, sociallogin, **kwargs) -> None:
    """ProConnect joined to an account: when signing in with the account's address, or from
    the account's page by someone signed in with their password."""
    if not _is_proconnect(sociallogin):
        return
    claims = userinfo(sociallogin.account.extra_data)
    # The provider vouches for the address. allauth has already removed the password of an
    # account whose copy of it was unverified (someone may have registered it to wait for
    # its owner), so confirming it now hands the account to its owner only.
    for address in EmailAddress.objects.filter(
        user=sociallogin.user, email__iexact=claims.get("email", ""), verified=False
    ):
        address.verified = True
        address.save(update_fields=["verified"])  # a save, not update(): signals are sent
    if sociallogin.state.get("process") == AuthProcess.CONNECT:
        attach(request, sociallogin.user, claims)


@receiver(user_logged_in, dispatch_uid="proconnect_signed_in")
def signed_in(request, user, sociallogin=None, **kwargs) -> None:
    if not _is_proconnect(sociallogin):
        # Left by a ProConnect attempt that did not end in this sign-in: no provider logout.
        request.session.pop(ID_TOKEN_SESSION_KEY, None)
        return
    attach(request, user, userinfo(sociallogin.account.extra_data))


def attach(request, user, claims: dict) -> None:
    """To the organisation of the employer's SIRET (or SIREN), else of the address's domain.

    Someone already attached stays where they are. An unknown SIRET is shown to the person,
    who may ask staff to attach it (the account's ProConnect page).
    """
    if user.organisation_id:
        return
    siret = claims.get("siret") or ""
    organisation = user_attach_by_siret(user=user, siret=siret) or user_attach_by_email(
        user=user, email=claims.get("email") or ""
    )
    if organisation is not None:
        messages.info(
            request,
            _("Votre compte est rattaché à %(organisation)s.") % {"organisation": organisation},
        )
    elif siret:
        messages.warning(
            request,
            _(
                "ProConnect nous a transmis le SIRET %(siret)s pour votre employeur, qu'aucune "
                "organisation de ce site ne porte encore. Vous pouvez demander à l'équipe de "
                "vous y rattacher depuis la page ProConnect de votre compte."
            )
            % {"siret": siret},
        )
