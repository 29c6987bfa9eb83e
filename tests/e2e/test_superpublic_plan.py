"""Superpublic's plan in a browser: it scales down on a phone without the page scrolling
sideways, and each space on it is a link reached and followed with the keyboard."""

import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("seed_demo")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_plan_fits_the_screen_and_the_list_stays_readable(page, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/superpublic/")
    drawing = page.locator("svg.floor-plan-drawing")
    box = drawing.bounding_box()
    assert box["width"] <= width and box["x"] >= 0
    assert abs(box["height"] / box["width"] - 176 / 208) < 0.02  # scaled by its viewBox
    assert page.locator("svg.floor-plan-drawing a.plan-room").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The list after the plan: every space, in text of a readable size.
    items = page.locator(".space-list > li")
    assert items.count() == 5
    size = page.locator(".space-list .space-now").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 16
    for index in range(items.count()):
        assert (
            items.nth(index).bounding_box()["x"] + items.nth(index).bounding_box()["width"] <= width
        )


def test_a_space_on_the_plan_is_reached_and_opened_with_the_keyboard(page, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/superpublic/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg.floor-plan-drawing')"):
            break
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Grande salle, 80 personnes, 120 m², ")
    # The focus is visible: the room's walls take the focus colour, thicker.
    stroke = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement.querySelector('rect'));"
        " return [s.stroke, s.strokeWidth]; })()"
    )
    assert stroke == ["rgb(29, 79, 145)", "2px"]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
        "Atelier, 25 personnes"
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/superpublic/espaces/atelier/$"))
