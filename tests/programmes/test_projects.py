import pytest

from lab.lib.typography import french_text
from programmes.models import Project
from tests.lab.factories import MembershipFactory, OrganisationFactory, region
from tests.programmes.factories import ProgrammeFactory, ProjectFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _slugs(response) -> set[str]:
    return {project.slug for project in response.context["page"].object_list}


@pytest.fixture
def catalogue():
    transfo = ProgrammeFactory(slug="la-transfo", name="La Transfo")
    residences = ProgrammeFactory(slug="residences", name="Territoires en résidences")
    jeunesse = ThemeFactory(slug="jeunesse", name="Jeunesse")
    ruralite = ThemeFactory(slug="ruralite", name="Ruralité")
    ProjectFactory(
        slug="bourgogne",
        programme=transfo,
        region=region("bourgogne"),
        start_year=2011,
        end_year=2013,
        themes=[ruralite],
    )
    ProjectFactory(
        slug="pdl",
        programme=transfo,
        region=region("pays-de-la-loire-avant-2016"),
        start_year=2012,
        end_year=2014,
        themes=[jeunesse],
    )
    ProjectFactory(
        slug="bfc-today",
        programme=residences,
        region=region("bourgogne-franche-comte"),
        start_year=2018,
        end_year=None,
        status="ongoing",
    )
    ProjectFactory(
        slug="franche-comte",
        programme=residences,
        region=region("franche-comte"),
        start_year=2010,
        end_year=2010,
        themes=[jeunesse],
    )
    ProjectFactory(slug="hidden", programme=transfo, published=False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"programme": "la-transfo"}, {"bourgogne", "pdl"}),
        ({"theme": "jeunesse"}, {"pdl", "franche-comte"}),
        ({"status": "ongoing"}, {"bfc-today"}),
        ({"year": "2013"}, {"bourgogne", "pdl"}),
        ({"year": "2018"}, {"bfc-today"}),
        ({"region": "pays-de-la-loire"}, {"pdl"}),  # today's region finds its predecessor's
        ({"region": "bourgogne"}, {"bourgogne", "bfc-today"}),  # and a predecessor its successor's
        ({"region": "bourgogne-franche-comte"}, {"bourgogne", "bfc-today", "franche-comte"}),
        ({"region": "bourgogne-franche-comte", "theme": "jeunesse"}, {"franche-comte"}),
        ({"programme": "la-transfo", "year": "2012", "theme": "jeunesse"}, {"pdl"}),
        ({}, {"bourgogne", "pdl", "bfc-today", "franche-comte"}),
    ],
)
def test_each_filter_alone_and_combined(client, catalogue, query, expected):
    response = client.get("/projets/", query)
    assert response.status_code == 200
    assert _slugs(response) == expected


def test_filters_show_what_each_choice_would_give(client, catalogue):
    facets = client.get("/projets/", {"programme": "la-transfo"}).context["facets"]
    programmes = {option.value: option.count for option in facets["programme"]}
    assert programmes == {"la-transfo": 2, "residences": 2}  # its own filter left out
    # One entry per region of today, counting its predecessors' projects.
    regions = {option.value: option.count for option in facets["region"]}
    assert regions == {"bourgogne-franche-comte": 1, "pays-de-la-loire": 1}
    years = {option.value: option.count for option in facets["year"]}
    assert years == {"2011": 1, "2012": 2, "2013": 2, "2014": 1}


def test_nonsense_filter_values_are_ignored_with_a_message(client, catalogue):
    response = client.get(
        "/projets/",
        {
            "region": "atlantide",
            "year": "abc",
            "status": "x",
            "theme": "?",
            "tri": "zz",
            "page": "-4",
        },
    )
    assert response.status_code == 200
    assert len(_slugs(response)) == 4
    body = response.content.decode()
    assert "Certains filtres ont été ignorés" in body
    assert french_text("Région « atlantide » ignoré") in body


def test_sorting(client, catalogue):
    by_title = client.get("/projets/", {"tri": "titre"}).context["page"].object_list
    assert [p.title for p in by_title] == sorted(p.title for p in by_title)
    oldest = client.get("/projets/", {"tri": "anciens"}).context["page"].object_list[0]
    assert oldest.slug == "franche-comte"


def test_pagination_keeps_the_filters(client):
    programme = ProgrammeFactory(slug="p")
    for n in range(25):
        ProjectFactory(slug=f"p{n:02d}", title=f"Projet {n:02d}", programme=programme)
    first = client.get("/projets/", {"programme": "p", "tri": "titre"})
    assert len(first.context["page"].object_list) == 20
    assert "?programme=p&amp;tri=titre&amp;page=2" in first.content.decode()
    second = client.get("/projets/", {"programme": "p", "tri": "titre", "page": 2})
    assert [p.slug for p in second.context["page"].object_list] == [f"p{n}" for n in range(20, 25)]


def test_htmx_gets_the_results_fragment_only(client, catalogue):
    response = client.get("/projets/", {"theme": "jeunesse"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="resultats"')
    assert "<html" not in body


def test_project_page_shows_its_context(client, catalogue):
    response = client.get("/projets/bourgogne/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bourgogne-Franche-Comté" in body  # today's region
    assert 'href="/programmes/la-transfo/"' in body
    assert "pdl" in {p.slug for p in response.context["related"]}


def test_unpublished_projects_are_for_staff_only(client, catalogue, staff):
    assert client.get("/projets/hidden/").status_code == 404
    client.force_login(staff)
    assert client.get("/projets/hidden/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/projets/nope/", "/programmes/nope/", "/regions/nope/", "/programmes/nope/demander/"]
)
def test_unknown_slugs_are_404(client, agent, url):
    client.force_login(agent)
    assert client.get(url).status_code == 404


def test_programme_page(client, catalogue):
    response = client.get("/programmes/la-transfo/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Demander ce programme" in body
    assert "<strong>pluridisciplinaire</strong>" in body  # Markdown rendered
    assert response.context["figures"]["projects"] == 2


def test_markdown_is_sanitised(client):
    ProgrammeFactory(
        slug="x", description="<script>alert(1)</script>[lien](javascript:alert(1)) **ok**"
    )
    body = client.get("/programmes/x/").content.decode()
    assert "<script>alert" not in body and "javascript:" not in body
    assert "<strong>ok</strong>" in body


def test_region_pages_show_lineage_projects_and_members(client, catalogue):
    council = OrganisationFactory(
        name="Région Bourgogne", slug="rb", kind="regional_council", region=region("bourgogne")
    )
    MembershipFactory(organisation=council)
    response = client.get("/regions/bourgogne/")
    body = response.content.decode()
    assert {p.slug for p in response.context["page"].object_list} == {"bourgogne", "bfc-today"}
    assert (
        "Bourgogne-Franche-Comté" in body
        and french_text("Région Bourgogne : adhérent depuis") in body
    )
    response = client.get("/regions/bourgogne-franche-comte/")
    assert {p.slug for p in response.context["page"].object_list} == {
        "bourgogne",
        "bfc-today",
        "franche-comte",
    }
    assert "Franche-Comté" in response.content.decode()


def test_the_map_highlights_member_regions(client, catalogue):
    council = OrganisationFactory(
        name="Région Bourgogne", slug="rb", kind="regional_council", region=region("bourgogne")
    )
    MembershipFactory(organisation=council)
    response = client.get("/regions/")
    shapes = {shape["region"].slug: shape for shape in response.context["shapes"]}
    assert len(shapes) == 22
    assert shapes["bourgogne"]["member"] and not shapes["franche-comte"]["member"]
    assert shapes["bourgogne"]["count"] == 2
    assert "IGN GEOFLA, via france-geojson" in response.content.decode()
    today = client.get("/regions/?carte=2016").context["shapes"]
    assert len(today) == 13
    assert next(s for s in today if s["region"].slug == "bourgogne-franche-comte")["heir"]


def _bulk_projects(n: int = 200) -> None:
    programmes = [ProgrammeFactory(slug=f"prog-{i}") for i in range(3)]
    themes = [ThemeFactory(slug=f"t-{i}") for i in range(5)]
    hosts = [OrganisationFactory(slug=f"host-{i}") for i in range(10)]
    regions = [
        region(slug)
        for slug in ["bourgogne", "bretagne", "pays-de-la-loire-avant-2016", "grand-est"]
    ]
    projects = Project.objects.bulk_create(
        Project(
            title=f"Projet de ruralité {i}",
            slug=f"bulk-{i}",
            programme=programmes[i % 3],
            host=hosts[i % 10],
            region=regions[i % 4],
            start_year=2010 + i % 10,
            end_year=2011 + i % 10,
            status="completed",
            summary="Résumé",
            body="Un récit sur la ruralité.",
            published=True,
        )
        for i in range(n)
    )
    Through = Project.themes.through
    Through.objects.bulk_create(
        Through(project_id=p.pk, theme_id=themes[i % 5].pk) for i, p in enumerate(projects)
    )


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/",
        "/programmes/prog-0/",
        "/projets/",
        "/projets/?q=ruralite",
        "/projets/?region=bourgogne-franche-comte&theme=t-1&year=2014&status=completed&programme=prog-1",
        "/projets/?q=ruralite&region=bretagne&tri=titre&page=2",
        "/regions/",
        "/regions/bourgogne/",
        "/regions/bourgogne-franche-comte/",
    ],
)
def test_list_pages_stay_within_their_query_budget(client, url, django_assert_max_num_queries):
    _bulk_projects()
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_counts_stay_right_when_projects_carry_several_themes(client):
    """Facet counts use plain COUNT: no filter may repeat a project row."""
    themes = [ThemeFactory(slug=slug, name=slug.title()) for slug in ("eau", "ecole", "sante")]
    for i in range(3):
        ProjectFactory(slug=f"multi-{i}", themes=themes, start_year=2015, end_year=2016)
    ProjectFactory(slug="seul", themes=themes[:1], start_year=2015, end_year=2015)

    asked = {}

    def counts(query, facet):
        # One request per query: a repeated anonymous one would be the shared copy, which
        # carries no template context.
        key = tuple(sorted(query.items()))
        if key not in asked:
            asked[key] = client.get("/projets/", query).context["facets"]
        return {option.value: option.count for option in asked[key][facet]}

    assert counts({}, "theme") == {"eau": 4, "ecole": 3, "sante": 3}
    assert counts({}, "year") == {"2015": 4, "2016": 3}
    # With a theme chosen, the other facets count each matching project once.
    assert counts({"theme": "ecole"}, "year") == {"2015": 3, "2016": 3}
    assert sum(counts({"theme": "eau"}, "status").values()) == 4
    assert counts({"theme": "eau"}, "programme") == {
        project.programme.slug: 1 for project in Project.objects.all()
    }


def test_an_old_region_chosen_by_an_old_link_stays_in_the_list(client, catalogue):
    response = client.get("/projets/", {"region": "bourgogne"})
    regions = {option.value: option.label for option in response.context["facets"]["region"]}
    assert regions["bourgogne"] == "Bourgogne (avant 2016)"
    assert "bourgogne-franche-comte" in regions
    # The old region's page of projects includes its successor's, as the region pages do.
    assert _slugs(response) == {"bourgogne", "bfc-today"}
