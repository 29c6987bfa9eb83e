"""allauth customisation: emails through our task and templates, domain attachment."""

from __future__ import annotations

import datetime

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from lab.outbox import email_send
from lab.services import user_attach_by_email

# allauth's emails that have a template of their own under templates/emails/account/.
EMAILS = {
    "account/email/email_confirmation_signup": "account/confirm_email",
    "account/email/email_confirmation": "account/confirm_email",
    "account/email/password_reset_key": "account/password_reset",
    "account/email/unknown_account": "account/unknown_account",
    "account/email/account_already_exists": "account/account_already_exists",
}

# allauth's security notifications, all sent with one template and their own sentence.
NOTICES = {
    "account/email/password_changed": _("Le mot de passe de votre compte a été modifié."),
    "account/email/password_set": _("Un mot de passe a été défini pour votre compte."),
    "account/email/password_reset": _("Le mot de passe de votre compte a été réinitialisé."),
    "account/email/email_changed": _("L'adresse principale de votre compte a changé."),
    "account/email/email_confirm": _("Une adresse de votre compte a été confirmée."),
    "account/email/email_deleted": _("Une adresse a été retirée de votre compte."),
    "mfa/email/totp_activated": _("L'authentification à deux facteurs a été activée."),
    "mfa/email/totp_deactivated": _("L'authentification à deux facteurs a été désactivée."),
    "mfa/email/recovery_codes_generated": _("De nouveaux codes de secours ont été générés."),
    "mfa/email/webauthn_added": _("Une clé de sécurité a été ajoutée à votre compte."),
    "mfa/email/webauthn_removed": _("Une clé de sécurité a été retirée de votre compte."),
}
GENERIC_NOTICE = _("Une modification a été faite sur votre compte.")


def _plain(value):
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        user = context.get("user")
        plain = {
            key: _plain(value)
            for key, value in context.items()
            if key not in {"user", "request", "current_site", "emailconfirmation"}
        }
        plain["user_name"] = (user.get_full_name() or user.email) if user else ""
        if template_prefix in EMAILS:
            name = EMAILS[template_prefix]
        else:
            name = "account/security_notice"
            plain["notice"] = str(NOTICES.get(template_prefix, GENERIC_NOTICE))
        email_send(name=name, to=[email], context=plain)

    def get_logout_redirect_url(self, request) -> str:
        # After a ProConnect sign-in, the provider's session ends too (asked before the local
        # session closes, which happens whatever the provider answers).
        from lab.proconnect.views import provider_logout_url

        return provider_logout_url(request) or super().get_logout_redirect_url(request)

    def confirm_email(self, request, email_address) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            user_attach_by_email(user=email_address.user, email=email_address.email)
        return confirmed
