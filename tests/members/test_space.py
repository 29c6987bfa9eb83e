"""The organisation's space and its usage report; staff's report in the admin; public pages."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from psycopg.types.range import Range

from community.models import Event
from members.models import OrganisationPage
from members.selectors import usage_report
from programmes.models import ProgrammeRequest
from publications.models import Download
from superpublic.models import Booking
from tests.community.factories import EventFactory, RegistrationFactory
from tests.lab.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.members.factories import OrganisationPageFactory, TeamFactory
from tests.programmes.factories import ProgrammeFactory, ProgrammeRequestFactory, ProjectFactory
from tests.publications.factories import PublicationFactory
from tests.superpublic.factories import BookingFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def paris(year: int, month: int, day: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def usage(partner, agent):
    """A year and a half of use by the partner's organisation, and some by another one."""
    organisation = partner.organisation
    this, last = timezone.localdate().year, timezone.localdate().year - 1
    space = SpaceFactory()
    for year, hours in [(this, 3), (last, 2), (last, 1)]:
        start = paris(year, 3, 10 + hours, 9)
        BookingFactory(space=space, booked_by=partner, organisation=organisation,
                       period=Range(start, start + datetime.timedelta(hours=hours), "[)"))  # fmt: skip
    cancelled = paris(this, 4, 1, 9)
    BookingFactory(space=space, booked_by=partner, organisation=organisation, status=Booking.Status.CANCELLED,
                   period=Range(cancelled, cancelled + datetime.timedelta(hours=5), "[)"))  # fmt: skip
    other = paris(this, 5, 1, 9)
    BookingFactory(space=space, booked_by=agent, organisation=agent.organisation,
                   period=Range(other, other + datetime.timedelta(hours=7), "[)"))  # fmt: skip
    file = PublicationFactory().files.get()
    for _ in range(4):
        Download.objects.create(file=file, organisation=organisation)
    Download.objects.create(file=file, organisation=agent.organisation)
    colleague = UserFactory(organisation=organisation, first_name="Noa", last_name="Collègue")
    training = EventFactory(
        kind=Event.Kind.TRAINING, starts=paris(this, 2, 1, 9), ends=paris(this, 2, 3, 17)
    )
    apero = EventFactory(starts=paris(this, 2, 5, 18), ends=paris(this, 2, 5, 20))
    for person in (partner, colleague):
        RegistrationFactory(event=training, user=person, attended_at=training.starts)
    RegistrationFactory(event=apero, user=partner, attended_at=apero.starts)
    RegistrationFactory(event=apero, user=colleague)  # registered, never came
    RegistrationFactory(event=apero, user=agent, attended_at=apero.starts)
    programme = ProgrammeFactory()
    ProgrammeRequestFactory(
        programme=programme, requester=partner, organisation=organisation,
        status=ProgrammeRequest.Status.NEW,
    )  # fmt: skip
    ProjectFactory(host=organisation, programme=programme, start_year=last, end_year=this)
    return organisation


def test_the_report_counts_what_the_organisation_used_this_year_and_last(usage):
    report = usage_report(usage)
    values = {line.key: line.values for line in report.lines}
    assert report.years == [timezone.localdate().year - 1, timezone.localdate().year]
    assert values == {
        "hours_booked": [3.0, 3.0],  # confirmed only, its own organisation's only
        "downloads": [0, 4],
        "events_attended": [0, 3],  # present, not just registered
        "trained": [0, 2],
        "requests": [0, 1],
        "editions": [1, 1],
    }


def test_the_report_runs_a_bounded_number_of_queries(usage, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        usage_report(usage)


def test_the_space_shows_membership_people_and_counts_never_other_organisations_people(
    client, partner, agent, usage, django_assert_max_num_queries
):
    for _n in range(10):
        UserFactory(organisation=partner.organisation)
    client.force_login(partner)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("members:space"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Noa Collègue" in body and partner.email in body
    assert agent.email not in body and agent.first_name not in body
    assert "Adhérent" in body


def test_the_csv_export_has_the_same_figures(client, partner, usage):
    client.force_login(partner)
    response = client.get(reverse("members:usage_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Indicateur",
        str(timezone.localdate().year - 1),
        str(timezone.localdate().year),
    ]
    assert ["Publications téléchargées", "0", "4"] in rows


def test_someone_of_an_organisation_without_membership_is_shown_the_way_to_join(client, agent):
    client.force_login(agent)
    body = client.get(reverse("members:space")).content.decode()
    assert (
        reverse("members:join") in body and "Alex" not in body.split("<main")[1].split("Devenir")[0]
    )
    assert client.get(reverse("members:usage_csv")).status_code == 403


def test_staff_see_the_same_report_for_any_organisation_from_the_admin(client, staff, usage):
    client.force_login(staff)
    change = client.get(reverse("admin:lab_organisation_change", args=[usage.pk])).content.decode()
    report_url = reverse("admin:lab_organisation_usage", args=[usage.pk])
    assert report_url in change
    body = client.get(report_url).content.decode()
    assert "Heures réservées à Superpublic" in body and "Noa" in body
    csv_response = client.get(reverse("admin:lab_organisation_usage_csv", args=[usage.pk]))
    assert "Publications téléchargées,0,4" in csv_response.content.decode("utf-8-sig")


def test_a_public_page_appears_only_once_the_organisation_agreed(client, referent, partner):
    organisation = partner.organisation
    url = reverse("members:organisation", args=[organisation.slug])
    assert client.get(url).status_code == 404
    client.force_login(referent)
    client.post(reverse("members:page_settings"), {"listed": "on", "presentation": "Une région."})
    client.logout()
    assert OrganisationPage.objects.get(organisation=organisation).listed
    assert client.get(url).status_code == 200
    assert url in client.get("/sitemap.xml").content.decode()


def test_an_organisation_that_never_held_a_membership_has_no_public_page(client, agent):
    OrganisationPageFactory(organisation=agent.organisation)
    assert (
        client.get(reverse("members:organisation", args=[agent.organisation.slug])).status_code
        == 404
    )


def test_only_a_referent_sets_the_public_page(client, partner):
    client.force_login(partner)
    assert client.post(reverse("members:page_settings"), {"listed": "on"}).status_code == 403
    assert not OrganisationPage.objects.exists()


def test_the_public_page_shows_what_it_hosted_coedited_and_the_labs_born_of_it(client, partner):
    organisation = partner.organisation
    OrganisationPageFactory(organisation=organisation)
    project = ProjectFactory(host=organisation, title="La Transfo Pays de la Loire")
    ProjectFactory(host=organisation, title="Brouillon caché", published=False)
    PublicationFactory(title="Chantiers ouverts au public").co_editors.add(organisation)
    PublicationFactory(title="Pas encore", status="draft").co_editors.add(organisation)
    TeamFactory(
        organisation=organisation,
        name="Le Labo",
        project=project,
        founded=datetime.date(2015, 4, 24),
    )
    body = client.get(reverse("members:organisation", args=[organisation.slug])).content.decode()
    assert (
        "La Transfo Pays de la Loire" in body
        and "Chantiers ouverts au public" in body
        and "Le Labo" in body
    )
    assert "Brouillon caché" not in body and "Pas encore" not in body
    api = client.get(f"/api/v1/organisation-pages/{organisation.slug}/").json()
    assert api["hosted_projects"] == [project.slug]
    assert len(api["coedited_publications"]) == 1 and api["teams"][0]["name"] == "Le Labo"
    assert "email" not in str(api)


def test_the_public_lists_stay_within_their_query_budget(client, django_assert_max_num_queries):
    for _ in range(8):
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation)
        OrganisationPageFactory(organisation=organisation)
        ProjectFactory(host=organisation)
        TeamFactory(organisation=organisation)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("members:organisations")).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/organisation-pages/")
    assert response.json()["count"] == 8
