"""The publications list: its filters (a year menu of the years there are, live results for
htmx), its query budget, its shared results ({% cache %} under staff or not and the collection's
version)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from publications.models import Publication
from tests.publications.factories import NOW, RELEASE, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    PublicationFactory(slug="ancienne", year=2011, pdf=False)
    PublicationFactory(slug="recente", year=2024, pdf=False)
    PublicationFactory(slug="jumelle", year=2024, pdf=False)
    PublicationFactory(slug="cachee", year=2019, status=Publication.Status.DRAFT, pdf=False)


def _year_options(html: str) -> list[str]:
    menu = html.split('id="id_year"')[1].split("</select>")[0]
    return [part.split('"')[0] for part in menu.split('value="')[1:]]


def test_the_year_menu_offers_the_years_with_a_visible_publication_newest_first(client, shelf):
    html = client.get("/publications/").content.decode()
    assert _year_options(html) == ["", "2024", "2011"]  # not the draft's 2019, no duplicate


def test_a_chosen_year_is_selected_and_filters(client, shelf):
    html = client.get("/publications/?year=2011").content.decode()
    assert '<option value="2011" selected>' in html
    assert "Titre ancienne" in html and "Titre recente" not in html


def test_a_year_without_publication_is_ignored_with_a_message(client, shelf):
    html = client.get("/publications/?year=2019").content.decode()
    assert "Certains filtres ont été ignorés" in html
    assert "Titre ancienne" in html and "Titre recente" in html


def test_htmx_gets_the_results_alone_and_a_page_load_the_whole_page(client, shelf):
    partial = client.get("/publications/?year=2024", headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="resultats"') and "<html" not in html
    assert "Titre recente" in html and "Titre ancienne" not in html
    page = client.get("/publications/?year=2024")
    assert "<html" in page.content.decode()
    # Neither is ever given for the other (Back, the browser's cache, a proxy).
    assert "HX-Request" in partial["Vary"] and "HX-Request" in page["Vary"]


def test_list_and_detail_stay_within_their_query_budget(
    client, partner, django_assert_max_num_queries
):
    now = timezone.now()
    for i in range(200):
        PublicationFactory(slug=f"p{i}", title=f"P{i}", year=2010 + i % 15, summary="s", published_at=now,
                           public_from=now + datetime.timedelta(days=i % 3), pdf=False)  # fmt: skip
    PublicationFactory(slug="detail")
    for user in [None, partner]:
        if user:
            client.force_login(user)
        with django_assert_max_num_queries(10):
            assert client.get("/publications/").status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get("/publications/?access=priority&year=2012&q=p1").status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get("/publications/detail/").status_code == 200


# The list's shared results ({% cache %} under staff or not and the collection's version) ----


@time_machine.travel(NOW, tick=False)
def test_the_list_results_are_made_once_per_audience_and_version(
    client, catalogue, partner, django_assert_num_queries
):
    client.force_login(partner)
    first = client.get("/publications/").content.decode()
    # Session, user, who they are, their alert preference, the version: the results are kept.
    with django_assert_num_queries(5):
        again = client.get("/publications/").content.decode()
    results = 'id="resultats"'  # after the forms with their CSRF token
    assert again.split(results)[1] == first.split(results)[1]


@time_machine.travel(NOW, tick=False)
def test_drafts_listed_for_staff_are_never_shown_to_others(client, catalogue, staff, partner):
    client.force_login(staff)
    assert "Titre brouillon" in client.get("/publications/").content.decode()
    client.force_login(partner)
    assert "Titre brouillon" not in client.get("/publications/").content.decode()


def test_a_publication_saved_shows_at_once_in_the_list(client, catalogue, partner):
    client.force_login(partner)
    with time_machine.travel(NOW, tick=False):
        assert "Titre ouverte" in client.get("/publications/").content.decode()
    with time_machine.travel(NOW + datetime.timedelta(seconds=1), tick=False):
        catalogue["public"].title = "Un nouveau titre"
        catalogue["public"].save()
        assert "Un nouveau titre" in client.get("/publications/").content.decode()


def test_the_end_of_a_window_shows_at_once_in_the_list(client, catalogue, partner):
    client.force_login(partner)
    with time_machine.travel(RELEASE - datetime.timedelta(seconds=1), tick=False):
        assert "accès prioritaire" in client.get("/publications/").content.decode()
    with time_machine.travel(RELEASE + datetime.timedelta(seconds=1), tick=False):
        assert "accès prioritaire" not in client.get("/publications/").content.decode()
