"""The admin's home says what waits on the team, each line a link to act on it."""

import datetime

import pytest
from django.utils import timezone

from community.models import Profile
from lab.models import OutgoingEmail
from programmes.models import ProgrammeRequest
from superpublic.models import Booking
from tests.community.factories import ProfileFactory
from tests.lab.factories import OrganisationFactory, OutgoingEmailFactory, UserFactory
from tests.members.factories import ApplicationFactory
from tests.programmes.factories import ProgrammeRequestFactory
from tests.superpublic.factories import BookingFactory

pytestmark = pytest.mark.django_db


def _waiting(client) -> str:
    html = client.get("/admin/").content.decode()
    return html.split('id="a-traiter"')[1].split("</section>")[0]


def test_nothing_waits_on_a_quiet_day(client, staff):
    client.force_login(staff)
    waiting = _waiting(client)
    for line in [
        "0 réservation à approuver",
        "0 nouvelle demande de programme",
        "0 nouvelle demande d",
        "0 fiche publiée ou modifiée cette semaine",
        "0 courriel non parti",
    ]:
        assert line in waiting
    assert "is-waiting" not in waiting


def test_each_thing_that_waits_is_counted_with_a_link_to_it(
    client, staff, django_assert_max_num_queries
):
    BookingFactory(status=Booking.Status.PENDING)
    BookingFactory(status=Booking.Status.PENDING)
    BookingFactory(status=Booking.Status.CONFIRMED)
    ProgrammeRequestFactory(status=ProgrammeRequest.Status.NEW)
    ProgrammeRequestFactory(status=ProgrammeRequest.Status.DISCUSSION)  # already in hand
    ApplicationFactory()
    ProfileFactory()
    ProfileFactory(visibility=Profile.Visibility.HIDDEN)  # nobody else sees it
    OutgoingEmailFactory(status=OutgoingEmail.Status.FAILED)
    late = OutgoingEmailFactory()
    OutgoingEmail.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    OutgoingEmailFactory()  # just queued: not late
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        waiting = _waiting(client)
    assert "2 réservations à approuver" in waiting
    assert "/admin/superpublic/booking/?status__exact=pending" in waiting
    assert "1 nouvelle demande de programme" in waiting
    assert "/admin/programmes/programmerequest/?status__exact=new" in waiting
    assert "1 nouvelle demande d" in waiting and "/admin/members/application/" in waiting
    assert "1 fiche publiée ou modifiée cette semaine" in waiting
    assert "2 courriels non partis" in waiting
    # Every link opens.
    for url in waiting.split('href="')[1:]:
        assert client.get(url.split('"')[0].replace("&amp;", "&")).status_code == 200


def test_the_bookings_list_has_six_columns_and_one_query_for_closures(
    client, staff, django_assert_max_num_queries
):
    organisation = OrganisationFactory()
    for _ in range(20):
        BookingFactory(booked_by=UserFactory(organisation=organisation), organisation=organisation)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        html = client.get("/admin/superpublic/booking/").content.decode()
    header = html.split("<thead>")[1].split("</thead>")[0]
    assert header.count('scope="col"') == 7  # the checkbox and six columns
    assert organisation.name in html  # beside the person who booked
