"""Why a ProConnect sign-in was refused: a sentence for the person, the details for the logs."""

from __future__ import annotations

from allauth.socialaccount.providers.base import ProviderException
from django.utils.translation import gettext_lazy as _


class ProConnectError(ProviderException):
    """A response that cannot be trusted. `message` is shown; the exception's text is logged."""

    message = _(
        "La réponse de ProConnect n'a pas pu être vérifiée : vous n'êtes pas connecté. "
        "Réessayez ; si cela se reproduit, écrivez-nous."
    )

    def __init__(self, detail: str, message: str | None = None) -> None:
        super().__init__(detail)
        if message is not None:
            self.message = message


class ProviderUnavailable(ProConnectError):
    """Its discovery document, keys or endpoints do not answer."""

    message = _(
        "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
        "connectez-vous avec votre adresse électronique et votre mot de passe."
    )


def unverified_email(email: str) -> ProConnectError:
    return ProConnectError(
        "the provider did not vouch for the address",
        _(
            "ProConnect ne garantit pas l'adresse %(email)s : aucun compte n'a été ouvert avec "
            "elle. Demandez à votre administration de la vérifier, puis réessayez."
        )
        % {"email": email or "—"},
    )
