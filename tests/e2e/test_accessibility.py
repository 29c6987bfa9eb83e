"""axe-core on the public pages and the account pages, in French and English."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/mentions-legales/",
    "/accessibilite/",
    "/donnees-personnelles/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/cette-page-n-existe-pas/",
    "/programmes/",
    "/programmes/la-transfo/",
    "/projets/",
    "/projets/?q=ruralite&region=bourgogne-franche-comte",
    "/projets/la-transfo-bourgogne/",
    "/regions/",
    "/regions/?carte=2016",
    "/regions/bourgogne/",
    "/superpublic/",
    "/superpublic/espaces/atelier/",
    "/superpublic/espaces/grande-salle/?semaine=2026-W50",
    "/publications/",
    "/publications/cahier-des-intertransfos/",
    "/publications/chantiers-ouverts-au-public/",
    "/donnees/",
    "/communaute/",
    "/communaute/evenements/",
    "/communaute/evenements/apero-27/",
]


@pytest.fixture
def demo_content(settings):
    from django.core.management import call_command

    call_command("seed_demo")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("language", ["", "/en"])
def test_public_pages_have_no_serious_violation(page, demo_content, language):
    found = {}
    for path in PAGES:
        page.goto(language + path)
        if violations := serious_violations(page):
            found[language + path] = violations
    assert not found


def test_signed_in_account_pages_have_no_serious_violation(page, demo_content, agent):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", agent.email)
    page.fill("input[name=password]", "un-mot-de-passe-solide")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    found = {}
    for path in [
        "/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/programmes/mes-demandes/",
        "/programmes/la-transfo/demander/",
        "/superpublic/reserver/?espace=atelier",
        "/superpublic/mes-reservations/",
        "/publications/cahier-des-intertransfos/",
        "/communaute/mon-profil/",
        "/communaute/evenements/apero-27/",
    ]:
        page.goto(path)
        if violations := serious_violations(page):
            found[path] = violations
    assert not found
