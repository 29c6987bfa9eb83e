"""A person signs up, verifies the address, signs out and in; staff set up MFA for the admin."""

import re

import pytest
from django.core import mail

from lab.models import User
from tests.e2e.helpers import confirm_email, sign_in, sign_up, totp_code
from tests.lab.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_sign_out_and_in(page):
    page.goto("/")
    sign_up(page, first_name="Claire", last_name="Dupont", email="claire@exemple.fr")
    page.wait_for_url("**/accounts/confirm-email/")

    confirm_email(page)
    page.wait_for_url("**/")
    page.get_by_text("Claire", exact=True).click()  # the account menu
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("link", name="Se connecter").click()

    sign_in(page, "claire@exemple.fr", go_to_login=False)
    page.wait_for_url("**/")
    assert page.get_by_text("Claire", exact=True).is_visible()
    assert User.objects.get(email="claire@exemple.fr").emailaddress_set.get().verified


def test_staff_set_up_mfa_then_use_the_admin(page):
    UserFactory(email="equipe@exemple.fr", first_name="Camille", is_staff=True, is_superuser=True)
    page.goto("/admin/")
    sign_in(page, "equipe@exemple.fr", go_to_login=False)

    # No second factor yet: the admin sends staff to set one up. First a code sent to the
    # account's address (the password alone must not be enough)…
    page.wait_for_url(re.compile(r"/compte/verification-equipe/"))
    page.get_by_role("button", name="Recevoir un code par courriel").click()
    page.get_by_label(re.compile("Code reçu par courriel")).wait_for()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label(re.compile("Code reçu par courriel")).fill(code)
    page.get_by_role("button", name="Confirmer").click()
    # The password typed a minute ago and the code count as allauth's fresh re-authentication:
    # the activation page opens straight away.
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile(r"^Code de l.authentificateur")).fill(totp_code(secret))
    page.get_by_role("button", name="Activer").click()
    # The recovery codes, then back to where they were going.
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    assert page.get_by_role("heading", name="Codes de secours").is_visible()
    page.get_by_role("link", name="Codes notés : continuer vers l'administration").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.get_by_role("heading", name="Gestion de la plateforme").is_visible()
