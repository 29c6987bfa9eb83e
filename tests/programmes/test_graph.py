"""The catalogue linked both ways: what a project and a programme show of people and writings."""

import pytest

from tests.community.factories import ProfileFactory
from tests.programmes.factories import ProgrammeFactory, ProjectFactory
from tests.publications.factories import PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(settings):
    settings.COMMUNITY_POLICY_VERSION = "2026-11"
    programme = ProgrammeFactory(slug="la-transfo", name="La Transfo", training_target=2000)
    projects = [ProjectFactory(programme=programme, slug=f"transfo-{n}") for n in range(6)]
    for n in range(20):
        ProfileFactory(display_name=f"Praticienne {n:02}", visibility="public").projects.set(
            projects[n % 6 : n % 6 + 1]
        )
    ProfileFactory(display_name="Réservée aux adhérents", visibility="members").projects.set(
        projects
    )
    for n in range(8):
        PublicationFactory(slug=f"cahier-{n}", title=f"Cahier {n}", pdf=False).related_projects.set(
            [projects[n % 6]]
        )
    PublicationFactory(
        slug="brouillon", title="Brouillon", status="draft", pdf=False
    ).related_projects.set(projects)
    return programme, projects


def test_a_project_lists_its_publications_and_practitioners(client, graph):
    _programme, projects = graph
    page = client.get(f"/projets/{projects[0].slug}/").content.decode()
    assert "Cahier 0" in page and "Cahier 6" in page and "Cahier 1" not in page
    assert "Praticienne 00" in page and "Brouillon" not in page
    assert "Réservée aux adhérents" not in page  # members-only: not for a visitor


def test_a_programme_lists_its_editions_people_and_publications(client, graph, partner):
    _programme, _projects = graph
    page = client.get("/programmes/la-transfo/").content.decode()
    assert "Les éditions" in page and "Praticienne 19" in page and "Cahier 7" in page
    assert "Réservée aux adhérents" not in page and "Brouillon" not in page
    assert "agents formés sur" in page
    client.force_login(partner)
    assert "Réservée aux adhérents" in client.get("/programmes/la-transfo/").content.decode()


def test_a_publication_names_its_projects_programme(client, graph):
    page = client.get("/publications/cahier-0/").content.decode()
    assert 'href="/programmes/la-transfo/"' in page


@pytest.mark.parametrize("who", ["anonymous", "partner"])
def test_the_enriched_pages_keep_their_query_budget(
    client, graph, partner, who, django_assert_max_num_queries
):
    _programme, projects = graph
    if who == "partner":
        client.force_login(partner)
    with django_assert_max_num_queries(10):
        assert client.get("/programmes/la-transfo/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/projets/{projects[0].slug}/").status_code == 200
