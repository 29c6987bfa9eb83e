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
