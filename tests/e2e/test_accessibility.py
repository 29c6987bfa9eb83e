"""axe-core on the public pages and the account pages, in French and English."""

import pytest

from tests.e2e.helpers import serious_violations, sign_in

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
    "/adherer/",
    "/organisations/",
    "/organisations/region-champagne-ardenne/",
]


@pytest.fixture
def demo_content(settings):
    from django.core.management import call_command

    call_command("seed_demo")


# Every page on a wide screen and on a phone: the accessibility statement says so.
WIDTHS = [1280, 390]


def wider_than(page, width) -> bool:
    """The page itself scrolls sideways (a wide table scrolls inside its own box instead)."""
    return page.evaluate("document.documentElement.scrollWidth") > width


def problems(page, width: int) -> list[str]:
    found = serious_violations(page)
    if wider_than(page, width):
        found.append("the page scrolls sideways")
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["", "/en"])
def test_public_pages_have_no_serious_violation(page, demo_content, language, width):
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for path in PAGES:
        response = page.goto(language + path)
        expected = 404 if "n-existe-pas" in path else 200
        assert response.status == expected, language + path
        if found_here := problems(page, width):
            found[language + path] = found_here
    assert not found


@pytest.mark.parametrize("width", WIDTHS)
def test_signed_in_account_pages_have_no_serious_violation(page, demo_content, agent, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, agent.email)
    # Signed in for real: the account menu names the person (a failed sign-in would audit the
    # sign-in page instead).
    assert page.locator(".account-menu summary").inner_text().strip().startswith(agent.first_name)
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
        "/adherer/",
        "/adherer/demande/",
        "/organisation/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path  # a renamed slug would audit a 404 page
        assert "/accounts/login/" not in page.url, path
        if found_here := problems(page, width):
            found[path] = found_here
    assert not found


def test_a_referents_pages_have_no_serious_violation(page, demo_content, referent):
    """The organisation's space with its usage table, people and referent's forms, at 1280 px
    and on a phone (390 px): the tables scroll inside their box."""
    sign_in(page, referent.email)
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ["/organisation/", "/organisation/domaines/"]:
            response = page.goto(path)
            assert response.status == 200, path
            if found_here := problems(page, width):
                found[f"{path} at {width}px"] = found_here
    assert not found


def test_the_booking_pages_have_no_serious_violation_at_both_widths(page, demo_content, partner):
    """The week grid, the form, « Mes réservations », a booking's page and the cancel page, at
    1280 px and on a phone (390 px), where nothing is wider than the screen."""
    import datetime

    from superpublic import services
    from superpublic.models import Space
    from tests.superpublic.factories import slot
    from tests.superpublic.test_services import next_weekday

    atelier = Space.objects.get(slug="atelier")
    tuesday = next_weekday(1, weeks_ahead=2)
    start, end = slot(tuesday, "14:00", "16:00")
    single = services.booking_create(
        space=atelier, user=partner, start=start, end=end, title="Comité", attendees=4
    )
    group = services.booking_days_create(
        spaces=[atelier], user=partner, first_day=tuesday + datetime.timedelta(days=7),
        last_day=tuesday + datetime.timedelta(days=9), opens=datetime.time(9),
        closes=datetime.time(18), title="Séminaire de trois jours", attendees=8,
    )  # fmt: skip
    first_day = group.bookings.order_by("period").first()
    sign_in(page, partner.email)
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in [
            "/superpublic/espaces/atelier/",
            f"/superpublic/espaces/co-working/?jour={tuesday}",
            "/superpublic/reserver/?espace=atelier",
            f"/superpublic/reserver/?espace=co-working&nature=residence&debut={tuesday}T00:00",
            "/superpublic/mes-reservations/",
            single.get_absolute_url(),
            first_day.get_absolute_url(),
            f"/superpublic/reservations/{first_day.pk}/annuler/",
            f"/superpublic/reservations/{single.pk}/annuler/",
        ]:
            response = page.goto(path)
            assert response.status == 200, path
            if found_here := problems(page, width):
                found[f"{path} at {width}px"] = found_here
    assert not found
