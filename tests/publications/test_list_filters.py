"""The publications list's filters: a year menu of the years there are, live results for htmx."""

import pytest

from publications.models import Publication
from tests.publications.factories import PublicationFactory

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
