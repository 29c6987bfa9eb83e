import pytest

from lab.search import search_query
from programmes.models import Project
from tests.lab.factories import OrganisationFactory, region
from tests.programmes.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _found(text: str) -> list[str]:
    return list(
        Project.objects.filter(search_document=search_query(text)).values_list("slug", flat=True)
    )


def test_search_ignores_accents_both_ways():
    ProjectFactory(slug="rural", title="La ruralité en prospective")
    ProjectFactory(slug="other", title="Une autre histoire")
    assert _found("ruralite") == ["rural"]
    assert _found("RURALITÉ") == ["rural"]


def test_search_matches_french_stems():
    ProjectFactory(slug="lycee", title="Mieux manger au lycée")
    assert _found("lycees") == ["lycee"]
    assert _found("lycéens") == []  # a different word, not a plural


def test_search_finds_host_and_region_names():
    host = OrganisationFactory(name="Conseil départemental du Val-de-Marne", slug="cd94")
    ProjectFactory(slug="accueil", title="L'accueil", host=host, region=region("bourgogne"))
    assert _found("val-de-marne") == ["accueil"]
    assert _found("bourgogne") == ["accueil"]
    assert _found("Bourgogne-Franche-Comté") == ["accueil"]  # the successor's name too


def test_renaming_the_host_updates_the_search():
    host = OrganisationFactory(name="Ville de Nantes", slug="nantes")
    ProjectFactory(slug="p", host=host)
    host.name = "Nantes Métropole"
    host.save()
    assert _found("métropole") == ["p"]


def test_a_title_match_ranks_above_a_body_match(client):
    ProjectFactory(
        slug="in-body",
        title="Accueil",
        body="On y parle de mobilité douce.",
        start_year=2014,
        end_year=None,
    )
    ProjectFactory(slug="in-title", title="Mobilité rurale", start_year=2010)
    response = client.get("/projets/?q=mobilite")
    slugs = [project.slug for project in response.context["page"].object_list]
    assert slugs == ["in-title", "in-body"]


def test_web_search_syntax_and_odd_input_never_fail(client):
    ProjectFactory(slug="a", title="Santé et mobilité")
    for query in ['"santé et"', "-mobilité", "santé or lune", "&&|!(", "'", "   ", "x" * 200]:
        assert client.get("/projets/", {"q": query}).status_code == 200
