"""Every list filters the same way: live on each change, the address updated, Back restoring
the whole page; on a phone the filters fold behind « Filtrer » and the results come first."""

import re

import pytest
from django.core.management import call_command

from community.models import Profile
from publications.models import Publication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _two_filters(path: str) -> tuple[tuple[str, str], tuple[str, str], str]:
    """Two filters that one row of the demo matches, and that row's title."""
    if path == "/publications/":
        publication = (
            Publication.objects.visible_to(None).filter(themes__isnull=False).order_by("pk").first()
        )
        return (
            ("Type", publication.kind),
            ("Année", str(publication.year)),
            publication.title,
        )
    profile = (
        Profile.objects.visible_to(None)
        .filter(disciplines__isnull=False, region__isnull=False)
        .select_related("region")
        .order_by("pk")
        .first()
    )
    return (
        ("Discipline", profile.disciplines.order_by("pk").first().slug),
        ("Région", profile.region.slug),
        profile.display_name,
    )


@pytest.mark.parametrize("path", ["/publications/", "/communaute/"])
def test_each_filter_change_updates_the_list_and_back_restores_the_whole_page(page, path):
    call_command("seed_demo")
    (first_label, first), (second_label, second), title = _two_filters(path)
    page.goto(path)
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_label(first_label, exact=True).select_option(first)
    page.wait_for_url(re.compile(rf"[?&]\w+={re.escape(first)}"))
    # The second change is followed too, without pressing any button.
    page.get_by_label(second_label, exact=True).select_option(second)
    page.wait_for_url(re.compile(rf"[?&]\w+={re.escape(second)}"))
    assert re.search(rf"={re.escape(first)}\b", page.url)
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(re.compile(r"/[\w-]+/$"))
    page.go_back()
    page.wait_for_url(re.compile(rf"={re.escape(second)}"))
    # The whole page, with its header and styles, not the results fragment alone.
    assert page.get_by_role("banner").is_visible()
    assert page.get_by_label(first_label, exact=True).input_value() == first
    assert page.get_by_label(second_label, exact=True).input_value() == second


@pytest.mark.parametrize("path", ["/projets/", "/publications/", "/communaute/"])
def test_on_a_phone_the_filters_fold_behind_a_button_and_the_results_come_first(page, path):
    call_command("seed_demo")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path)
    toggle = page.get_by_role("button", name="Filtrer")
    facets = page.locator("#filtres")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not facets.is_visible()
    # The first result starts on the first screen, under the search field.
    assert page.locator(".results .card").first.bounding_box()["y"] < 844
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and facets.is_visible()
    # A change refreshes the results and leaves the filters open.
    page.wait_for_function("() => window.htmx !== undefined")
    select = facets.locator("select").first
    value = select.locator("option").nth(1).get_attribute("value")
    select.select_option(value)
    page.wait_for_url(re.compile(rf"={re.escape(value)}"))
    assert page.locator("#filtres").is_visible()
    toggle.click()
    assert not page.locator("#filtres").is_visible()


def test_wide_screens_show_the_filters_without_the_button(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/publications/")
    assert not page.get_by_role("button", name="Filtrer").is_visible()
    assert page.locator("#filtres").is_visible()
