"""An agent signs in with ProConnect in a browser, against the real local provider, and out again."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from lab.models import Organisation, User
from tests.e2e.helpers import serious_violations, sign_in
from tests.lab.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CAMILLE = "camille.agent@val-de-marne.test"  # SIRET 22940028800010 (tests/oidc_provider)
BUTTON = re.compile(r"^S'identifier avec\s+ProConnect$")
PHONE = {"width": 390, "height": 844}


def _sign_in_at_provider(page, oidc_provider, login: str) -> None:
    page.wait_for_url(f"{oidc_provider.issuer}/interaction/**")
    page.get_by_label("Adresse électronique professionnelle").fill(login)
    page.get_by_role("button", name="Se connecter").click()


def test_an_agent_signs_in_attached_by_siret_then_out_of_both(page, proconnect_settings):
    provider = proconnect_settings
    val_de_marne = OrganisationFactory(
        name="Département du Val-de-Marne",
        slug="val-de-marne",
        kind=Organisation.Kind.DEPARTMENTAL_COUNCIL,
        siret="22940028800010",
        siren="229400288",
    )
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_role("link", name="Se connecter").click()

    # The button, whole on a phone's screen, with its « Qu'est-ce que ProConnect ? » link.
    button = page.get_by_role("button", name=BUTTON)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    about = page.get_by_role("link", name="Qu'est-ce que ProConnect ?")
    assert about.get_attribute("href") == "https://www.proconnect.gouv.fr/"
    assert about.get_attribute("target") == "_blank"
    assert not serious_violations(page)

    button.click()
    _sign_in_at_provider(page, provider, CAMILLE)

    # Back on the site, signed in, attached to the organisation of the SIRET.
    page.wait_for_url(re.compile(r"^http://localhost:\d+/$"))
    expect(
        page.get_by_text("Votre compte est rattaché à Département du Val-de-Marne.")
    ).to_be_visible()
    expect(page.locator(".account-menu summary")).to_have_text("Camille")
    user = User.objects.get(email=CAMILLE)
    assert (user.first_name, user.last_name, user.organisation) == (
        "Camille",
        "Agent",
        val_de_marne,
    )

    # Signing out ends the provider's session too, and comes back here.
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes aussi déconnecté de ProConnect.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()

    # The provider asks who it is again.
    page.goto("/accounts/login/")
    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    expect(page.get_by_label("Adresse électronique professionnelle")).to_be_visible()


def test_someone_signed_in_by_password_links_proconnect(page, proconnect_settings):
    user = UserFactory(email="camille.perso@exemple.fr", first_name="Camille")
    sign_in(page, user.email)

    page.goto("/accounts/email/")
    page.get_by_role("navigation", name="Mon compte").get_by_role("link", name="ProConnect").click()
    page.get_by_role("button", name=BUTTON).click()
    _sign_in_at_provider(page, proconnect_settings, CAMILLE)

    page.wait_for_url("**/accounts/3rdparty/")
    expect(page.get_by_text(CAMILLE)).to_be_visible()
    assert SocialAccount.objects.get(provider="proconnect").user == user
