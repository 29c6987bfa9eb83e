"""At a phone's width (390 px): the navigation folds behind an accessible menu button."""

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def test_the_menu_button_opens_and_closes_the_navigation(phone):
    phone.goto("/")
    button = phone.get_by_role("button", name="Menu")
    navigation = phone.get_by_role("navigation", name="Navigation principale")
    assert button.get_attribute("aria-expanded") == "false"
    assert not navigation.is_visible()
    before = button.bounding_box()
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert phone.get_by_role("link", name="Projets", exact=True).is_visible()
    assert button.bounding_box() == before  # nothing moves under the finger
    phone.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not navigation.is_visible()
    assert phone.evaluate("document.activeElement.classList.contains('menu-toggle')")


def test_the_menu_works_by_keyboard(phone):
    phone.goto("/")
    phone.get_by_role("button", name="Menu").focus()
    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Programmes"
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/programmes/")


def test_wide_screens_never_show_the_button(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("link", name="Projets", exact=True).is_visible()


def test_the_week_grid_shows_one_day_at_a_time_near_the_top(phone):
    from tests.superpublic.factories import SpaceFactory

    SpaceFactory(
        slug="atelier", name="Atelier", capacity=25, area=55,
        description="Murs d'affichage, grandes tables et matériel de prototypage. " * 4,
        equipment="Murs aimantés\nMatériel de prototypage\nÉcran mobile",
        accessibility="De plain-pied, tables à hauteur réglable.",
    )  # fmt: skip
    phone.goto("/superpublic/espaces/atelier/?semaine=2030-W10")  # Monday 4 March 2030
    picker = phone.get_by_role("navigation", name="Jour affiché")
    assert picker.is_visible()
    monday = picker.get_by_role("link", name="lundi 4 mars")
    assert monday.get_attribute("aria-current") == "true"
    # One day's column is shown, within the screen, and the grid starts on the first screen.
    grid = phone.locator(".week-grid")
    headers = grid.locator("thead th:visible")
    assert headers.all_inner_texts()[1:] == ["lundi 4 mars"]
    assert grid.bounding_box()["y"] < 700, grid.bounding_box()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    first_slot = phone.get_by_role("link", name="Réserver le lundi 4 mars, 09:00")
    assert first_slot.is_visible()
    # Another day, by keyboard: it shows at once, selected in the picker.
    thursday = picker.get_by_role("link", name="jeudi 7 mars")
    thursday.focus()
    phone.keyboard.press("Enter")
    assert thursday.get_attribute("aria-current") == "true"
    assert monday.get_attribute("aria-current") is None
    assert headers.all_inner_texts()[1:] == ["jeudi 7 mars"]
    assert phone.get_by_role("link", name="Réserver le jeudi 7 mars, 09:00").is_visible()
    assert not first_slot.is_visible()
    assert "jour=2030-03-07" in phone.url


def test_the_week_grid_without_script_shows_the_day_asked_for(browser, live_server):
    from tests.superpublic.factories import SpaceFactory

    SpaceFactory(slug="atelier", name="Atelier")
    context = browser.new_context(
        locale="fr-FR", base_url=live_server.url, java_script_enabled=False,
        viewport={"width": 390, "height": 844},
    )  # fmt: skip
    page = context.new_page()
    page.goto("/superpublic/espaces/atelier/?semaine=2030-W10")
    page.get_by_role("link", name="mercredi 6 mars").click()
    page.wait_for_url("**jour=2030-03-06*")
    assert page.locator(".week-grid thead th:visible").all_inner_texts()[1:] == ["mercredi 6 mars"]
    context.close()


def test_wide_screens_keep_the_seven_day_grid(page):
    from tests.superpublic.factories import SpaceFactory

    SpaceFactory(slug="atelier", name="Atelier")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/superpublic/espaces/atelier/?semaine=2030-W10")
    assert not page.get_by_role("navigation", name="Jour affiché").is_visible()
    assert page.locator(".week-grid thead th:visible").all_inner_texts()[1:] == [
        "lundi 4 mars", "mardi 5 mars", "mercredi 6 mars", "jeudi 7 mars", "vendredi 8 mars",
    ]  # fmt: skip


def test_my_bookings_are_cards_with_their_status_and_cancel_in_view(phone, partner):
    import datetime

    from superpublic import services
    from tests.e2e.helpers import sign_in
    from tests.superpublic.factories import SpaceFactory, slot
    from tests.superpublic.test_services import next_weekday

    space = SpaceFactory(slug="salle-de-reunion-vacquerie", name="Salle de réunion Vacquerie")
    tuesday = next_weekday(1)
    start, end = slot(tuesday, "14:00", "16:00")
    services.booking_create(
        space=space, user=partner, start=start, end=end, attendees=4,
        title="Comité de pilotage de la démarche d'innovation territoriale",
    )  # fmt: skip
    services.booking_days_create(
        spaces=[space], user=partner, first_day=tuesday + datetime.timedelta(days=7),
        last_day=tuesday + datetime.timedelta(days=9), opens=datetime.time(9),
        closes=datetime.time(18), title="Séminaire", attendees=8,
    )  # fmt: skip
    sign_in(phone, partner.email)
    phone.goto("/superpublic/mes-reservations/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    cards = phone.locator(".booking-card")
    assert cards.count() == 2
    for index in range(2):
        card = cards.nth(index)
        for part in [
            card.locator(".status"),
            card.get_by_role("link", name=re.compile("^Annuler")),
        ]:
            box = part.bounding_box()
            assert part.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    when = f"mardi {tuesday.day} {months[tuesday.month - 1]} {tuesday.year}, 14:00–16:00"
    assert cards.first.get_by_text(when).is_visible()
    assert cards.nth(1).get_by_text(re.compile("chaque jour 09:00–18:00")).is_visible()


def test_a_publications_cover_stays_a_thumbnail_on_a_phone(phone):
    """Each cover used to fill a phone's screen: now a 3:4 thumbnail beside the card's text,
    generated (SVG) or uploaded."""
    from django.core.management import call_command

    call_command("seed_demo")
    phone.goto("/publications/")
    covers = phone.locator(".publication-card .cover")
    assert covers.count() >= 5
    for index in range(covers.count()):
        box = covers.nth(index).bounding_box()
        assert box["height"] <= 844 / 4, box  # measured: 117 px high, 88 px wide
        assert abs(box["height"] / box["width"] - 4 / 3) < 0.02
    # A whole card, cover and text, takes less than three quarters of the screen.
    card = phone.locator(".publication-card").first.bounding_box()
    assert card["height"] < 844 * 0.75
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_covers_are_bounded_on_a_wide_screen_too(page):
    from django.core.management import call_command

    call_command("seed_demo")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/publications/")
    for box in (c.bounding_box() for c in page.locator(".publication-card .cover").all()):
        assert box["width"] <= 16 * 16 and box["height"] <= 16 * 16 * 4 / 3 + 1
