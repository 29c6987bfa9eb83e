"""The who's who's filters: live results for htmx, the whole page otherwise."""

import pytest

from tests.community.factories import DisciplineFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def test_htmx_gets_the_directory_results_alone_and_a_page_load_the_whole_page(client):
    design = DisciplineFactory(name="Design", slug="design")
    ProfileFactory(display_name="Ada Designer").disciplines.add(design)
    ProfileFactory(display_name="Bruno Sociologue")
    partial = client.get("/communaute/?discipline=design", headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="resultats"') and "<html" not in html
    assert "Ada Designer" in html and "Bruno Sociologue" not in html
    page = client.get("/communaute/?discipline=design")
    assert "<html" in page.content.decode() and "Ada Designer" in page.content.decode()
    assert "HX-Request" in partial["Vary"] and "HX-Request" in page["Vary"]
