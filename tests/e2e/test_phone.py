"""At a phone's width (390 px): the navigation folds behind an accessible menu button."""

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
