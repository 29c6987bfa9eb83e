import datetime

import pytest
from django.utils import timezone

from community.models import Event
from lab.models import Region
from programmes.models import Project
from publications.models import Publication
from superpublic import services
from tests.community.factories import EventFactory
from tests.lab.factories import MembershipFactory, OrganisationFactory, region
from tests.programmes.factories import ProgrammeFactory, ProjectFactory, ThemeFactory
from tests.publications.factories import PublicationFactory
from tests.superpublic.factories import SpaceFactory, next_weekday, slot

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_endpoint(client):
    data = client.get("/api/v1/").json()
    assert set(data) == {
        "programmes",
        "projects",
        "themes",
        "regions",
        "organisations",
        "publications",
        "spaces",
        "events",
        "organisation-pages",
    }


def test_projects_shape_filters_pagination_and_link_headers(client):
    programme = ProgrammeFactory(slug="la-transfo")
    theme = ThemeFactory(slug="jeunesse")
    ProjectFactory(
        slug="pdl",
        programme=programme,
        region=region("pays-de-la-loire-avant-2016"),
        themes=[theme],
        title="La ruralité",
    )
    for n in range(4):
        ProjectFactory(slug=f"autre-{n}", region=region("bretagne"))
    ProjectFactory(slug="cache", published=False)
    response = client.get("/api/v1/projects/", {"page_size": 2})
    body = response.json()
    assert body["count"] == 5 and len(body["results"]) == 2
    assert 'rel="next"' in response["Link"]
    assert "Licence Ouverte" in response["X-Licence"]
    item = client.get("/api/v1/projects/", {"region": "pays-de-la-loire"}).json()["results"][0]
    assert (
        item["slug"] == "pdl"
        and item["themes"] == ["jeunesse"]
        and item["programme"] == "la-transfo"
    )
    assert item["url"] == "http://testserver/projets/pdl/"
    assert item["updated_at"].endswith(("+01:00", "+02:00"))
    assert [
        p["slug"] for p in client.get("/api/v1/projects/", {"q": "ruralite"}).json()["results"]
    ] == ["pdl"]
    assert client.get("/api/v1/projects/cache/").status_code == 404
    assert client.get("/api/v1/projects/", {"region": "atlantide"}).status_code == 400


def test_csv_exports_state_their_licence(client):
    ProjectFactory(slug="csv-1", title="Projet, virgule")
    for url in [
        "/api/v1/projects.csv",
        "/api/v1/projects/?format=csv",
        "/api/v1/programmes.csv",
        "/api/v1/regions.csv?page_size=200",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "Licence Ouverte" in response["X-Licence"]
    lines = client.get("/api/v1/projects.csv").content.decode().splitlines()
    assert lines[0].startswith("id,slug,title,")
    assert '"Projet, virgule"' in lines[1]
    assert len(client.get("/api/v1/regions.csv?page_size=200").content.decode().splitlines()) == 41


def test_regions_carry_lineage_and_member_status(client):
    council = OrganisationFactory(slug="rb", kind="regional_council", region=region("bourgogne"))
    MembershipFactory(organisation=council)
    bourgogne = client.get("/api/v1/regions/bourgogne/").json()
    assert (
        bourgogne["successor"]["slug"] == "bourgogne-franche-comte"
        and bourgogne["has_member_council"]
    )
    bfc = client.get("/api/v1/regions/bourgogne-franche-comte/").json()
    assert {r["slug"] for r in bfc["predecessors"]} == {"bourgogne", "franche-comte"} and not bfc[
        "has_member_council"
    ]


def test_organisations_show_public_fields_only(client):
    organisation = OrganisationFactory(slug="ville")
    organisation.email_domains.create(domain="ville.fr")
    data = client.get("/api/v1/organisations/ville/").json()
    # SIREN and SIRET are public (INSEE's Sirene is open data); email domains are not.
    assert set(data) == {
        "id", "slug", "name", "kind", "region", "website", "siren", "siret", "membership"
    }  # fmt: skip
    assert "ville.fr" not in str(data)


@pytest.fixture
def publications():
    now = timezone.now()
    made = {}
    for slug, status, public_from in [
        ("brouillon", "draft", None),
        ("fenetre", "published", now + datetime.timedelta(days=20)),
        ("ouverte", "published", None),
    ]:
        made[slug] = PublicationFactory(
            slug=slug, title=slug, body=f"corps {slug}", status=status, public_from=public_from,
            published_at=now if status == "published" else None,
        )  # fmt: skip
    return made


@pytest.mark.parametrize(
    ("who", "listed", "readable"),
    [
        ("anonymous", {"fenetre", "ouverte"}, {"ouverte"}),
        ("agent", {"fenetre", "ouverte"}, {"ouverte"}),
        ("lapsed", {"fenetre", "ouverte"}, {"ouverte"}),
        ("partner", {"fenetre", "ouverte"}, {"fenetre", "ouverte"}),
        ("staff", {"brouillon", "fenetre", "ouverte"}, {"brouillon", "fenetre", "ouverte"}),
    ],
)
def test_publications_follow_the_access_policy(client, users, publications, who, listed, readable):
    if users[who]:
        client.force_login(users[who])
    results = client.get("/api/v1/publications/").json()["results"]
    assert {p["slug"] for p in results} == listed
    for item in results:
        may = item["slug"] in readable
        assert item["readable"] is may
        assert bool(item["files"]) is may and (item["body"] != "") is may
        if item["slug"] == "fenetre":
            assert item["access"] == "priority"
    if "brouillon" not in listed:
        assert client.get("/api/v1/publications/brouillon/").status_code == 404


def test_events_members_only_for_privileged_callers(client, agent, partner):
    start = timezone.now() + datetime.timedelta(days=3)
    for slug, audience in [("ouvert", "public"), ("reserve", "members")]:
        EventFactory(slug=slug, title=slug, audience=audience, starts=start, capacity=10)
    assert {e["slug"] for e in client.get("/api/v1/events/").json()["results"]} == {"ouvert"}
    client.force_login(agent)
    assert {e["slug"] for e in client.get("/api/v1/events/").json()["results"]} == {"ouvert"}
    client.force_login(partner)
    assert {e["slug"] for e in client.get("/api/v1/events/").json()["results"]} == {
        "ouvert",
        "reserve",
    }


def test_availability_shows_busy_slots_only(client, agent, partner):
    space = SpaceFactory(slug="atelier")
    tuesday = next_weekday(1)
    start, end = slot(tuesday, "14:00", "16:00")
    services.booking_create(
        space=space,
        user=agent,
        start=start,
        end=end,
        title="Réunion privée",
        purpose="secret",
        attendees=3,
    )
    start2, end2 = slot(tuesday, "17:00", "18:00")
    services.booking_create(
        space=space,
        user=partner,
        start=start2,
        end=end2,
        title="Apéro 27",
        attendees=3,
        is_public=True,
        public_description="Venez",
    )
    data = client.get(
        "/api/v1/spaces/atelier/availability/",
        {"from": tuesday.isoformat(), "to": (tuesday + datetime.timedelta(days=1)).isoformat()},
    ).json()
    assert [(b["start"][11:16], b["end"][11:16], b["public_event"]) for b in data["busy"]] == [
        ("14:00", "16:00", None),
        ("17:00", "18:00", "Apéro 27"),
    ]
    assert "privée" not in str(data) and agent.email not in str(data)
    for bad in [
        {"from": "hier"},
        {"from": "2027-01-10", "to": "2027-01-01"},
        {"from": "2027-01-01", "to": "2027-06-01"},
    ]:
        assert client.get("/api/v1/spaces/atelier/availability/", bad).status_code == 400


def test_anonymous_callers_are_throttled(client, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    try:  # the cache starts empty for each test (conftest); the list below is a shared one
        codes = [client.get("/api/v1/themes/").status_code for _ in range(5)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429


def test_the_openapi_schema_validates(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs and "<script>" not in docs  # local assets, no inline script (CSP)


def test_list_endpoints_stay_within_ten_queries_for_200_rows(
    client, partner, django_assert_max_num_queries
):
    programme = ProgrammeFactory(slug="p")
    host = OrganisationFactory(slug="h")
    theme = ThemeFactory(slug="t")
    projects = Project.objects.bulk_create(
        Project(title=f"P{i}", slug=f"p{i}", programme=programme, host=host, region=region("bretagne"), start_year=2012, status="completed", summary="s")
        for i in range(200)
    )  # fmt: skip
    Project.themes.through.objects.bulk_create(
        Project.themes.through(project_id=p.pk, theme_id=theme.pk) for p in projects
    )
    now = timezone.now()
    Publication.objects.bulk_create(
        Publication(slug=f"pub{i}", title=f"Pub {i}", kind="book", year=2020, summary="s", status="published", published_at=now,
                    public_from=now + datetime.timedelta(days=i % 2))
        for i in range(200)
    )  # fmt: skip
    Event.objects.bulk_create(
        Event(slug=f"e{i}", title=f"E{i}", kind="apero", starts=now + datetime.timedelta(days=1), ends=now + datetime.timedelta(days=1, hours=2),
              capacity=5, registration_opens=now)
        for i in range(200)
    )  # fmt: skip
    for i in range(200):
        OrganisationFactory(slug=f"o{i}")
    client.force_login(partner)
    for url in ["/api/v1/projects/", "/api/v1/programmes/", "/api/v1/regions/", "/api/v1/organisations/", "/api/v1/publications/",
                "/api/v1/events/", "/api/v1/spaces/", "/api/v1/themes/"]:  # fmt: skip
        with django_assert_max_num_queries(10):
            assert client.get(url, {"page_size": 200}).status_code == 200, url
    assert Region.objects.count() == 40


def test_sitemap_lists_public_pages_only(client, publications):
    body = client.get("/sitemap.xml").content.decode()
    assert "/publications/ouverte/" in body
    assert "/publications/fenetre/" not in body and "/publications/brouillon/" not in body
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_the_open_data_page_explains_licence_and_links(client):
    body = client.get("/donnees/").content.decode()
    assert "Licence Ouverte 2.0" in body and "/api/docs/" in body and "/api/v1/projects.csv" in body


def test_open_endpoints_ask_for_no_credential_in_the_docs():
    """No padlock, no « Authorize »: every endpoint answers without a key."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "securitySchemes" not in schema.get("components", {})
    operations = [op for path in schema["paths"].values() for op in path.values()]
    # `[{}]` says "nothing required"; any named scheme would draw the padlock.
    assert operations and all(op.get("security", [{}]) == [{}] for op in operations)
