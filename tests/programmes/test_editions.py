"""From order to edition: staff turn an accepted request into a dated edition of its programme."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from programmes.models import Project, ProjectPhase
from programmes.services import edition_create_from_request
from tests.lab.factories import OrganisationFactory, region
from tests.programmes.factories import PhaseFactory, ProgrammeFactory, ProgrammeRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def residencies():
    """Three one-week immersions over about seven months, as Territoires en résidences runs."""
    programme = ProgrammeFactory(slug="territoires-en-residences", name="Territoires en résidences")
    for order, (name, week) in enumerate(
        [("Immersion 1", 0), ("Immersion 2", 13), ("Immersion 3", 26)], start=1
    ):
        PhaseFactory(programme=programme, order=order, name=name, weeks=1, starts_week=week)
    PhaseFactory(programme=programme, order=4, name="Suites, sans date", weeks=None)
    return programme


@pytest.fixture
def order(residencies, agent):
    return ProgrammeRequestFactory(
        programme=residencies,
        requester=agent,
        organisation=agent.organisation,
        desired_start=datetime.date(2027, 3, 3),  # a Wednesday
        desired_end=datetime.date(2027, 9, 30),
    )


def test_an_accepted_request_becomes_a_dated_edition_linked_both_ways(order, staff, agent):
    agent.organisation.region = region("ile-de-france")
    agent.organisation.save()
    edition = edition_create_from_request(request=order, by=staff)

    assert (edition.programme, edition.host, edition.region.slug) == (
        order.programme, agent.organisation, "ile-de-france",
    )  # fmt: skip
    assert (edition.starts_on, edition.ends_on, edition.start_year, edition.end_year) == (
        datetime.date(2027, 3, 3), datetime.date(2027, 9, 30), 2027, 2027,
    )  # fmt: skip
    assert (edition.status, edition.published) == ("planned", False)
    order.refresh_from_db()
    assert order.edition == edition and edition.request == order
    # Each immersion begins on the Monday of its template week and ends on that Friday.
    assert [(p.name, p.starts_on, p.ends_on) for p in edition.phases.all()] == [
        ("Immersion 1", datetime.date(2027, 3, 8), datetime.date(2027, 3, 12)),
        ("Immersion 2", datetime.date(2027, 6, 7), datetime.date(2027, 6, 11)),
        ("Immersion 3", datetime.date(2027, 9, 6), datetime.date(2027, 9, 10)),
    ]


def test_the_requester_is_told_and_sees_the_timeline_under_my_requests(
    client, order, staff, agent, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        edition_create_from_request(request=order, by=staff)
    (message,) = mail.outbox
    assert message.to == [agent.email] and "devient une édition" in message.subject
    assert "lundi 8 mars 2027" in message.body

    client.force_login(agent)
    page = client.get("/programmes/mes-demandes/").content.decode()
    assert "Votre édition" in page and "Immersion 2" in page
    assert "lundi 7 juin 2027" in page
    assert "paraîtra dans le catalogue" in page  # not published yet: no link to a 404


def test_a_template_longer_than_the_wish_stretches_the_edition(residencies, agent, staff):
    short = ProgrammeRequestFactory(
        programme=residencies,
        organisation=agent.organisation,
        desired_start=datetime.date(2027, 3, 1),
        desired_end=datetime.date(2027, 4, 30),
    )
    edition = edition_create_from_request(request=short, by=staff)
    assert edition.ends_on == datetime.date(2027, 9, 3)  # the last immersion's Friday


def test_a_pre_2016_council_hosts_in_its_successor_region(residencies, staff):
    council = OrganisationFactory(region=region("bourgogne"))
    request = ProgrammeRequestFactory(programme=residencies, organisation=council)
    assert edition_create_from_request(request=request, by=staff).region.slug == (
        "bourgogne-franche-comte"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "discussion"}, "Seule une demande acceptée"),
        ({"organisation": None}, "Rattachez d'abord la demande à une organisation"),
    ],
)
def test_what_cannot_become_an_edition_says_why_and_stores_nothing(
    residencies, staff, change, message
):
    request = ProgrammeRequestFactory(programme=residencies, **change)
    with pytest.raises(ValidationError, match=message):
        edition_create_from_request(request=request, by=staff)
    assert not Project.objects.exists() and not ProjectPhase.objects.exists()


def test_an_organisation_without_region_is_named(residencies, staff):
    request = ProgrammeRequestFactory(
        programme=residencies, organisation=OrganisationFactory(name="Sans région", region=None)
    )
    with pytest.raises(ValidationError, match="région de l'organisation « Sans région »"):
        edition_create_from_request(request=request, by=staff)


def test_a_request_becomes_one_edition_only(order, staff):
    edition_create_from_request(request=order, by=staff)
    with pytest.raises(ValidationError, match="déjà son édition"):
        edition_create_from_request(request=order, by=staff)
    assert Project.objects.count() == 1


def test_only_staff_create_editions(order, agent, partner):
    for person in (agent, partner):
        with pytest.raises(PermissionDenied):
            edition_create_from_request(request=order, by=person)


def test_staff_create_the_edition_from_the_request_page_in_one_click(client, order, staff):
    client.force_login(staff)
    page = client.get(f"/admin/programmes/programmerequest/{order.pk}/change/")
    assert "Créer l'édition" in page.content.decode()
    response = client.post(f"/admin/programmes/programmerequest/{order.pk}/edition/")
    edition = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/programmes/project/{edition.pk}/change/"
    # Asked twice (a double click): a message, not a second edition nor an error page.
    again = client.post(f"/admin/programmes/programmerequest/{order.pk}/edition/", follow=True)
    assert "déjà son édition" in again.content.decode() and Project.objects.count() == 1
    # The button is gone once the edition exists; the request links to it.
    page = client.get(f"/admin/programmes/programmerequest/{order.pk}/change/").content.decode()
    assert f"/admin/programmes/project/{edition.pk}/change/" in page
    assert 'action="/admin/programmes/programmerequest/' not in page


def test_the_edition_url_refuses_get(client, order, staff):
    client.force_login(staff)
    assert client.get(f"/admin/programmes/programmerequest/{order.pk}/edition/").status_code == 405
