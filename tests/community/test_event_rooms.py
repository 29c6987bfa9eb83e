"""One notion of event: an event holds its Superpublic rooms through the booking service, and the
agenda, the events page, both iCal feeds and the API show it at the same times."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from community import services
from community.models import Event, Registration
from lab.lib.dates import PARIS, paris_datetime
from lab.models import OutgoingEmail
from superpublic import services as superpublic
from superpublic.models import Booking
from superpublic.selectors import week_grid
from tests.community.factories import EventFactory
from tests.lab.factories import UserFactory
from tests.superpublic.factories import SpaceFactory, closure, next_weekday, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    return SpaceFactory(slug="grande-salle", name="Grande salle", capacity=80)


@pytest.fixture
def atelier():
    return SpaceFactory(slug="atelier", name="Atelier", capacity=25)


def apero(day, start="16:00", end="17:30", **extra) -> Event:
    return Event(
        slug=extra.pop("slug", "apero-27"), title=extra.pop("title", "Apéro 27"), kind="apero",
        starts=paris_datetime(day, datetime.time.fromisoformat(start)),
        ends=paris_datetime(day, datetime.time.fromisoformat(end)),
        capacity=extra.pop("capacity", 40), registration_opens=timezone.now(),
        description="Trois projets racontés en cinq minutes.", **extra,
    )  # fmt: skip


def test_an_event_holds_its_room_and_is_the_same_everywhere(client, hall, staff):
    thursday = next_weekday(3)
    event = services.event_schedule(event=apero(thursday), rooms=[hall], by=staff)
    (booking,) = Booking.objects.all()
    assert booking.kind == "event" and booking.status == "confirmed" and booking.is_public
    assert (booking.start, booking.end) == (event.starts, event.ends)
    assert booking.title == "Apéro 27"

    starts, ends = event.starts.astimezone(PARIS), event.ends.astimezone(PARIS)
    # The Superpublic agenda, with a link to the event's page.
    page = client.get("/superpublic/").content.decode()
    assert f'datetime="{starts.isoformat()}"' in page and f'datetime="{ends.isoformat()}"' in page
    assert 'href="/communaute/evenements/apero-27/"' in page
    # The events page and the event's own.
    listing = client.get("/communaute/evenements/").content.decode()
    assert f'datetime="{starts.isoformat()}"' in listing and "Grande salle" in listing
    detail = client.get("/communaute/evenements/apero-27/").content.decode()
    assert "Grande salle, Superpublic" in detail and f'datetime="{ends.isoformat()}"' in detail
    # Both iCal feeds.
    for address in ["/superpublic/agenda.ics", "/communaute/evenements/apero-27.ics"]:
        (item,) = Calendar.from_ical(client.get(address).content).walk("VEVENT")
        assert (item.decoded("dtstart"), item.decoded("dtend")) == (event.starts, event.ends)
        assert "Grande salle" in str(item["location"])
    # The API, and the room's availability.
    (api,) = client.get("/api/v1/events/").json()["results"]
    assert api["rooms"] == ["grande-salle"] and api["space"] == "grande-salle"
    assert datetime.datetime.fromisoformat(api["starts"]) == event.starts
    busy = client.get(
        f"/api/v1/spaces/grande-salle/availability/?from={thursday}&to={thursday + datetime.timedelta(days=1)}"
    ).json()["busy"]
    assert [(b["public_event"], datetime.datetime.fromisoformat(b["start"])) for b in busy] == [
        ("Apéro 27", event.starts)
    ]


def test_an_event_never_overlaps_a_booking_and_the_refusal_names_the_next_dates(
    hall, staff, partner
):
    thursday = next_weekday(3)
    start, end = slot(thursday, "17:00", "18:00")
    superpublic.booking_create(
        space=hall, user=partner, start=start, end=end, title="Comité", attendees=5
    )
    with pytest.raises(superpublic.SlotTaken) as taken:
        services.event_schedule(event=apero(thursday), rooms=[hall], by=staff)
    assert "Grande salle" in taken.value.messages[0]
    assert taken.value.suggestions[0][0].astimezone(PARIS).time() == datetime.time(16)
    assert not Event.objects.exists()  # all or nothing: the event itself is not saved


def test_an_event_never_lands_in_a_closure(hall, staff):
    thursday = next_weekday(3)
    closure(*slot(thursday, "00:00", "23:00"))
    with pytest.raises(ValidationError, match="fermé du"):
        services.event_schedule(event=apero(thursday), rooms=[hall], by=staff)


def test_moving_an_event_moves_its_rooms_all_or_nothing(hall, atelier, staff, partner):
    thursday = next_weekday(3)
    event = services.event_schedule(event=apero(thursday), rooms=[hall], by=staff)
    # An hour later in the same room: its own booking is not in the way.
    event.starts += datetime.timedelta(hours=1)
    event.ends += datetime.timedelta(hours=1)
    services.event_schedule(event=event, rooms=[hall], by=staff)
    (booking,) = Booking.objects.active()
    assert booking.local_start.time() == datetime.time(17)
    # Into a room taken that day: refused, and the event keeps its time and its hall.
    superpublic.booking_create(
        space=atelier, user=partner, title="Pris", attendees=3,
        start=slot(thursday + datetime.timedelta(days=7), "18:00", "19:00")[0],
        end=slot(thursday + datetime.timedelta(days=7), "18:00", "19:00")[1],
    )  # fmt: skip
    moved = Event.objects.get(pk=event.pk)
    moved.starts += datetime.timedelta(days=7)
    moved.ends += datetime.timedelta(days=7)
    with pytest.raises(superpublic.SlotTaken):
        services.event_schedule(event=moved, rooms=[hall, atelier], by=staff)
    event.refresh_from_db()
    assert event.starts.astimezone(PARIS).date() == thursday
    assert [(b.space.slug, b.local_start.date()) for b in Booking.objects.filter(kind="event").active()] == [
        ("grande-salle", thursday)
    ]  # fmt: skip


def test_a_two_day_workshop_across_two_rooms_leaves_the_night_free(hall, atelier, staff):
    tuesday = next_weekday(1)
    event = Event(
        slug="la-pointeuse", title="La Pointeuse", kind="workshop", capacity=60,
        starts=paris_datetime(tuesday, datetime.time(9)),
        ends=paris_datetime(tuesday + datetime.timedelta(days=1), datetime.time(18)),
        registration_opens=timezone.now(),
    )  # fmt: skip
    services.event_schedule(event=event, rooms=[hall, atelier], by=staff)
    assert Booking.objects.filter(group=event.booking_group).count() == 4
    days, rows = week_grid(atelier, tuesday - datetime.timedelta(days=1))
    evening = next(row for row in rows if row.label == "18:00")
    assert evening.cells[days.index(tuesday)].state == "free"
    assert sorted(room.slug for room in Event.objects.with_rooms().get().rooms) == [
        "atelier", "grande-salle",
    ]  # fmt: skip
    # Two rooms seat 105: not the 120 asked.
    event.capacity = 120
    with pytest.raises(ValidationError, match="105 personnes"):
        services.event_schedule(event=event, rooms=[hall, atelier], by=staff)


def test_cancelling_an_event_frees_its_rooms_and_takes_it_off_every_list(
    client, hall, staff, agent
):
    event = services.event_schedule(event=apero(next_weekday(3)), rooms=[hall], by=staff)
    services.registration_create(event=event, user=agent)
    services.event_cancel(event=event, by=staff)
    assert not Booking.objects.active().exists()
    assert "Apéro 27" not in client.get("/superpublic/").content.decode()
    assert "Apéro 27" not in client.get("/communaute/evenements/").content.decode()
    assert client.get("/api/v1/events/").json()["results"] == []
    assert (
        "Cet événement est annulé"
        in client.get("/communaute/evenements/apero-27/").content.decode()
    )
    with pytest.raises(ValidationError, match="n'a pas lieu"):
        services.registration_create(event=event, user=UserFactory())


def test_cancelling_an_event_tells_everyone_registered_or_waiting_once(
    hall, staff, django_capture_on_commit_callbacks
):
    event = services.event_schedule(
        event=apero(next_weekday(3), capacity=2), rooms=[hall], by=staff
    )
    people = [UserFactory(email=f"{name}@exemple.fr") for name in ["ana", "bo", "cy", "dan"]]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            services.registration_create(event=event, user=person)
        services.registration_cancel(
            registration=Registration.objects.get(user=people[3]), by=people[3]
        )
    assert Registration.objects.get(user=people[2]).status == "waitlisted"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.event_cancel(event=event, by=staff)
    # Written in the cancel's transaction, handed to the worker once it committed.
    assert len(callbacks) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@exemple.fr",
        "bo@exemple.fr",
        "cy@exemple.fr",
    ]
    message = mail.outbox[0]
    assert "Événement annulé : Apéro 27" in message.subject
    assert "n'aura pas lieu" in message.body and "Grande salle" in message.body
    assert "/communaute/evenements/" in message.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, by=staff)
    assert not mail.outbox


def test_an_event_cancel_that_fails_sends_nothing(hall, staff, agent, monkeypatch):
    event = services.event_schedule(event=apero(next_weekday(3)), rooms=[hall], by=staff)
    services.registration_create(event=event, user=agent)
    before = OutgoingEmail.objects.count()

    def broken(**kwargs):
        raise RuntimeError("the rooms could not be freed")

    monkeypatch.setattr(superpublic, "booking_group_release", broken)
    with pytest.raises(RuntimeError):
        services.event_cancel(event=event, by=staff)
    assert OutgoingEmail.objects.count() == before
    assert Event.objects.get().cancelled_at is None


def test_only_staff_schedule_events(hall, partner):
    with pytest.raises(PermissionDenied):
        services.event_schedule(event=apero(next_weekday(3)), rooms=[hall], by=partner)


def test_a_partners_public_booking_is_an_event_that_takes_registrations(
    client, hall, partner, agent
):
    thursday = next_weekday(3)
    start, end = slot(thursday, "14:00", "16:00")
    booking = superpublic.booking_create(
        space=hall, user=partner, start=start, end=end, title="Atelier ouvert des Pays de la Loire",
        attendees=30, is_public=True, public_description="Venez voir nos prototypes.",
    )  # fmt: skip
    event = Event.objects.get(booking_group=booking.group)
    assert (event.starts, event.ends, event.capacity, event.audience) == (start, end, 30, "public")
    assert booking.group.__class__.objects.get(pk=booking.group_id).page == event.get_absolute_url()
    assert (
        "Atelier ouvert des Pays de la Loire"
        in client.get("/communaute/evenements/").content.decode()
    )
    assert (
        services.registration_create(event=event, user=agent).status
        == Registration.Status.REGISTERED
    )
    # The partner cancels the booking: the event no longer takes place.
    superpublic.booking_cancel(booking=booking, by=partner)
    assert not Event.objects.listed().exists()


def test_a_pending_public_booking_is_listed_once_the_team_confirms_it(client, partner, staff):
    hall = SpaceFactory(slug="grande-salle", capacity=80, requires_approval=True)
    start, end = slot(next_weekday(3), "14:00", "16:00")
    booking = superpublic.booking_create(
        space=hall, user=partner, start=start, end=end, title="Débat", attendees=30,
        is_public=True, public_description="Un débat.",
    )  # fmt: skip
    assert booking.status == "pending"
    assert "Débat" not in client.get("/communaute/evenements/").content.decode()
    assert "validation" in client.get(Event.objects.get().get_absolute_url()).content.decode()
    superpublic.booking_decide(booking=booking, by=staff, confirm=True)
    assert "Débat" in client.get("/communaute/evenements/").content.decode()
    assert "Débat" in client.get("/superpublic/").content.decode()


def test_an_event_elsewhere_holds_no_room(client, staff):
    event = EventFactory(slug="intertransfo", title="InterTransfo", address="En région")
    services.event_schedule(event=event, rooms=[], by=staff)
    assert not Booking.objects.exists()
    assert "En région" in client.get("/communaute/evenements/intertransfo/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_events_racing_for_one_room_one_wins_the_other_is_told(hall):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    team = []
    for i in range(2):
        user = UserFactory(email=f"equipe{i}@exemple.fr", is_staff=True)
        TOTP.activate(user, generate_totp_secret())
        team.append(user)
    thursday = next_weekday(3)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(n, user):
        try:
            barrier.wait()
            services.event_schedule(
                event=apero(thursday, slug=f"apero-{n}", title=f"Apéro {n}"), rooms=[hall], by=user
            )
            outcomes.append("scheduled")
        except superpublic.SlotTaken as taken:
            outcomes.append("taken" if "pris" in taken.messages[0] else repr(taken))
        except Exception as error:  # anything else is a failure of the test
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n, user)) for n, user in enumerate(team)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["scheduled", "taken"]
    assert Event.objects.count() == 1 and Booking.objects.active().count() == 1


def test_staff_schedule_a_two_day_workshop_in_two_rooms_in_the_admin(
    client, hall, atelier, staff, partner
):
    tuesday = next_weekday(1)
    client.force_login(staff)
    form = {
        "title": "La Pointeuse", "slug": "la-pointeuse", "kind": "workshop",
        "starts_0": f"{tuesday:%Y-%m-%d}", "starts_1": "09:00:00",
        "ends_0": f"{tuesday + datetime.timedelta(days=1):%Y-%m-%d}", "ends_1": "18:00:00",
        "rooms": [hall.pk, atelier.pk], "capacity": 40, "audience": "public",
        "registration_opens_0": f"{timezone.localdate():%Y-%m-%d}", "registration_opens_1": "00:00:00",
        "registrations-TOTAL_FORMS": 0, "registrations-INITIAL_FORMS": 0,
    }  # fmt: skip
    response = client.post("/admin/community/event/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert Booking.objects.filter(group=event.booking_group).active().count() == 4
    # A second workshop on the same days: a form error naming the room and the next dates.
    superpublic.booking_create(
        space=atelier, user=partner, title="Pris", attendees=3,
        start=slot(tuesday + datetime.timedelta(days=7), "10:00", "11:00")[0],
        end=slot(tuesday + datetime.timedelta(days=7), "10:00", "11:00")[1],
    )  # fmt: skip
    response = client.post(
        "/admin/community/event/add/", {**form, "slug": "autre", "title": "Autre"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "est déjà pris" in page and "Prochaines dates libres" in page
    assert Event.objects.count() == 1


def test_staff_book_a_three_week_residency_in_the_admin(client, staff):
    from tests.lab.factories import OrganisationFactory

    coworking = SpaceFactory(slug="co-working", name="Co-working", allows_residency=True)
    resident = OrganisationFactory(name="Futurs Publics")
    monday = next_weekday(0, 2)
    client.force_login(staff)
    form = {
        "kind": "residency", "spaces": [coworking.pk], "first_day": f"{monday:%Y-%m-%d}",
        "last_day": f"{monday + datetime.timedelta(days=20):%Y-%m-%d}", "title": "Résidence",
        "attendees": 4, "resident": resident.pk,
    }  # fmt: skip
    assert client.post("/admin/superpublic/booking/add/", form).status_code == 302
    booking = Booking.objects.get()
    assert (
        booking.kind == "residency"
        and booking.resident == resident
        and booking.status == "confirmed"
    )
    response = client.post("/admin/superpublic/booking/add/", form)
    assert response.status_code == 400 and "Prochaines dates libres" in response.content.decode()
    response = client.post("/admin/superpublic/booking/add/", {**form, "resident": ""})
    assert response.status_code == 400 and "organisation résidente" in response.content.decode()


def test_the_events_page_and_the_agenda_keep_their_query_budget(
    client, hall, atelier, staff, django_assert_max_num_queries
):
    for week in range(1, 9):
        day = next_weekday(1, week)
        event = Event(
            slug=f"e{week}", title=f"E{week}", kind="workshop", capacity=30,
            starts=paris_datetime(day, datetime.time(9)),
            ends=paris_datetime(day + datetime.timedelta(days=1), datetime.time(18)),
            registration_opens=timezone.now(),
        )  # fmt: skip
        services.event_schedule(event=event, rooms=[hall, atelier], by=staff)
    with django_assert_max_num_queries(8):
        page = client.get("/communaute/evenements/")
    assert page.status_code == 200 and page.content.decode().count("Atelier, Grande salle") == 8
    with django_assert_max_num_queries(8):
        assert client.get("/superpublic/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/events/").status_code == 200
