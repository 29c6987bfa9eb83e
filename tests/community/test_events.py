"""Events: registration and its waiting list, members-only events and members first, reminders,
the iCal file, the attendee export."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from community import services
from community.models import Registration
from tests.community.factories import EventFactory
from tests.lab.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def apero():
    """An Apéro 27 in ten days with two seats."""
    return EventFactory(
        slug="apero-27", starts=timezone.now() + datetime.timedelta(days=10), capacity=2
    )


def test_registration_up_to_capacity_then_waitlist_promoted_in_order(
    apero, django_capture_on_commit_callbacks
):
    people = [UserFactory(email=f"r{i}@exemple.fr") for i in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [services.registration_create(event=apero, user=p).status for p in people]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]
    first = Registration.objects.get(user=people[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first, by=people[0])
    assert promoted.user == people[2]
    assert Registration.objects.filter(event=apero, status="registered").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [people[0].email, people[2].email]
    # Registering twice changes nothing.
    assert services.registration_create(event=apero, user=people[1]).status == "registered"


def test_members_only_events_are_hidden_from_others(client, agent, partner):
    start = timezone.now() + datetime.timedelta(days=5)
    EventFactory(slug="intertransfo", title="InterTransfo", kind="intertransfo", audience="members",
                 starts=start, ends=start + datetime.timedelta(hours=6), capacity=10)  # fmt: skip
    client.force_login(agent)
    assert client.get("/communaute/evenements/intertransfo/").status_code == 404
    assert (
        "/communaute/evenements/intertransfo/"
        not in client.get("/communaute/evenements/").content.decode()
    )
    assert client.post("/communaute/evenements/intertransfo/inscription/").status_code == 404
    client.force_login(partner)
    assert client.get("/communaute/evenements/intertransfo/").status_code == 200
    client.post("/communaute/evenements/intertransfo/inscription/")
    assert Registration.objects.get(user=partner).status == "registered"


def test_members_register_first(agent, partner):
    now = timezone.now().replace(microsecond=0)
    members_open, everyone_open = now + datetime.timedelta(days=1), now + datetime.timedelta(days=3)
    event = EventFactory(slug="pointeuse", title="La Pointeuse", kind="workshop", starts=now + datetime.timedelta(days=10),
                         ends=now + datetime.timedelta(days=11), capacity=10, members_registration_opens=members_open,
                         registration_opens=everyone_open)  # fmt: skip
    with (
        time_machine.travel(members_open - datetime.timedelta(seconds=1), tick=False),
        pytest.raises(ValidationError, match="ouvrent le"),
    ):
        services.registration_create(event=event, user=partner)
    with time_machine.travel(members_open, tick=False):
        assert services.registration_create(event=event, user=partner).status == "registered"
        with pytest.raises(ValidationError, match="ouvrent le"):
            services.registration_create(event=event, user=agent)
    with time_machine.travel(everyone_open, tick=False):
        assert services.registration_create(event=event, user=agent).status == "registered"


def test_reminders_go_once(apero, agent, django_capture_on_commit_callbacks):
    services.registration_create(event=apero, user=agent)
    mail.outbox.clear()
    with (
        time_machine.travel(apero.starts - datetime.timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.registrations_send_reminders() == 1
        assert services.registrations_send_reminders() == 0
    assert len(mail.outbox) == 1 and "Demain" in mail.outbox[0].subject


def test_an_event_has_its_ical_file(client, apero):
    response = client.get("/communaute/evenements/apero-27.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"SUMMARY:Ap" in response.content


def test_staff_export_attendees(client, apero, agent, staff):
    services.registration_create(event=apero, user=agent)
    client.force_login(staff)
    response = client.post(
        "/admin/community/event/", {"action": "export_attendees", "_selected_action": [apero.pk]}
    )
    assert agent.email in response.content.decode()
