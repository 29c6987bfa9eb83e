"""What every browser journey does the same way: sign in (with a TOTP code for staff), sign out."""

import re

from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from tests.conftest import PASSWORD

PASSWORD_LABEL = re.compile(r"^Mot de passe\W*$")


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def sign_in(
    page, email: str, *, secret: str | None = None, go_to_login: bool = True, wait_home: bool = True
) -> None:
    if go_to_login:
        page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    if secret:
        page.get_by_label(re.compile("Code")).fill(totp_code(secret))
        page.get_by_role(
            "button", name=re.compile("Se connecter|Connexion|Valider|Confirmer")
        ).click()
    if wait_home and go_to_login:
        # The home page itself: every page of the sign-in steps ends with a slash too.
        page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def sign_out(page) -> None:
    page.goto("/")
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()


def book(
    page,
    *,
    title: str,
    end: str | None = None,
    attendees: str | None = None,
    public_description: str | None = None,
) -> None:
    """On the booking form (opened from the week grid or a booking link): fill it and book."""
    if end:
        page.get_by_label(re.compile(r"^Fin\W*$")).select_option(end)
    page.get_by_label("Titre").fill(title)
    if attendees:
        page.get_by_label(re.compile(r"^Nombre de participants")).fill(attendees)
    if public_description:
        page.get_by_label("Événement public").check()
        page.get_by_label("Présentation publique").fill(public_description)
    page.get_by_role("button", name="Réserver", exact=True).click()
