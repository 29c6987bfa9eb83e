"""The community's part in a person's data export and account deletion."""

import datetime
import json

import pytest

from community import services
from lab.models import User
from superpublic.models import Booking
from superpublic.services import booking_create
from tests.community.factories import EventFactory, ProfileFactory
from tests.superpublic.factories import BookingFactory, SpaceFactory, next_weekday, slot

pytestmark = pytest.mark.django_db


def test_data_export_holds_the_persons_data_only(
    client, directory, partner, django_capture_on_commit_callbacks
):
    space = SpaceFactory(slug="atelier")
    start, end = slot(next_weekday(1), "10:00", "12:00")
    booking_create(
        space=space, user=partner, start=start, end=end, title="Mon atelier", attendees=3
    )
    booking_create(
        space=space,
        user=directory["public"].user,
        start=end,
        end=end + datetime.timedelta(hours=1),
        title="Atelier d'un autre",
        attendees=3,
    )
    ProfileFactory(user=partner, visibility="members", slug="partenaire")
    client.force_login(partner)
    response = client.get("/communaute/mon-profil/mes-donnees.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["account"]["email"] == partner.email
    assert data["profile"]["slug"] == "partenaire"
    assert [b["title"] for b in data["bookings"]] == ["Mon atelier"]
    assert "autre" not in response.content.decode()


def test_deleting_an_account_keeps_bookings_anonymised(client, agent, partner):
    space = SpaceFactory(slug="atelier")
    start, end = slot(next_weekday(1), "10:00", "12:00")
    month = datetime.timedelta(days=30)
    BookingFactory(space=space, booked_by=agent, title="Réunion RH", purpose="secret", attendees=3,
                   period=(start - month, end - month))  # fmt: skip
    event = EventFactory(slug="e", title="E", starts=start, ends=end, capacity=1)
    services.registration_create(event=event, user=agent)
    waiting = services.registration_create(event=event, user=partner)
    client.force_login(agent)
    assert client.post("/communaute/mon-compte/supprimer/", {"confirm": "non"}).status_code == 302
    assert User.objects.filter(pk=agent.pk).exists()
    client.post("/communaute/mon-compte/supprimer/", {"confirm": "SUPPRIMER"})
    assert not User.objects.filter(pk=agent.pk).exists()
    kept = Booking.objects.get()
    assert (kept.booked_by, kept.title, kept.purpose) == (None, "Réservation anonymisée", "")
    waiting.refresh_from_db()
    assert waiting.status == "registered"  # the freed seat went to the next person
