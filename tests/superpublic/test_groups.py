"""Bookings over several days and rooms (one booking per room and day, in a group) and residencies."""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from lab.lib.dates import PARIS
from superpublic import services
from superpublic.models import Booking, OpeningHours
from superpublic.selectors import public_agenda, week_grid
from tests.lab.factories import OrganisationFactory
from tests.superpublic.factories import SpaceFactory, closure, slot

pytestmark = pytest.mark.django_db

T9, T18 = datetime.time(9), datetime.time(18)


def next_weekday(weekday: int, weeks_ahead: int = 1) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


@pytest.fixture
def atelier():
    return SpaceFactory(slug="atelier", name="Atelier", capacity=25)


@pytest.fixture
def salle():
    return SpaceFactory(slug="salle", name="Salle de réunion", capacity=10)


@pytest.fixture
def coworking():
    return SpaceFactory(slug="co-working", name="Co-working", capacity=20, allows_residency=True)


def two_days(spaces, user, first, **extra):
    return services.booking_days_create(
        spaces=spaces, user=user, first_day=first, last_day=first + datetime.timedelta(days=1),
        opens=extra.pop("opens", T9), closes=extra.pop("closes", T18), title="La Pointeuse",
        attendees=extra.pop("attendees", 20), **extra,
    )  # fmt: skip


def test_a_two_day_workshop_in_two_rooms_is_one_booking_per_room_and_day(atelier, salle, partner):
    tuesday = next_weekday(1)
    group = two_days([atelier, salle], partner, tuesday)
    bookings = list(group.bookings.order_by("space__slug", "period"))
    assert [(b.space.slug, b.local_start.date(), b.local_start.time(), b.local_end.time()) for b in bookings] == [
        ("atelier", tuesday, T9, T18), ("atelier", tuesday + datetime.timedelta(days=1), T9, T18),
        ("salle", tuesday, T9, T18), ("salle", tuesday + datetime.timedelta(days=1), T9, T18),
    ]  # fmt: skip
    # Each room seats what it can of the twenty: the meeting room its ten.
    assert {b.space.slug: b.attendees for b in bookings} == {"atelier": 20, "salle": 10}
    assert {b.status for b in bookings} == {"confirmed"}


def test_the_night_between_two_days_stays_free_on_the_week_grid(atelier, partner):
    tuesday = next_weekday(1)
    two_days([atelier], partner, tuesday)
    evening = services.booking_create(
        space=atelier, user=partner, title="Soirée", attendees=5,
        start=slot(tuesday, "18:00", "19:00")[0], end=slot(tuesday, "18:00", "19:00")[1],
    )  # fmt: skip
    assert evening.status == "confirmed"
    monday = tuesday - datetime.timedelta(days=1)
    days, rows = week_grid(atelier, monday)
    column = days.index(tuesday)
    states = {row.label: row.cells[column].state for row in rows}
    assert states["09:00"] == states["17:30"] == states["18:00"] == "busy"
    assert states["18:00"] == "busy"  # the evening booking
    assert {row.cells[days.index(tuesday + datetime.timedelta(days=1))].state for row in rows if "09:00" <= row.label < "18:00"} == {"busy"}  # fmt: skip


def test_a_multi_day_booking_is_all_or_nothing_and_names_the_taken_day(
    atelier, salle, partner, agent
):
    tuesday = next_weekday(1)
    wednesday = tuesday + datetime.timedelta(days=1)
    start, end = slot(wednesday, "14:00", "15:00")
    services.booking_create(space=salle, user=agent, start=start, end=end, title="RH", attendees=3)
    with pytest.raises(services.SlotTaken) as taken:
        two_days([atelier, salle], partner, tuesday)
    assert "Salle de réunion" in taken.value.messages[0]
    assert "rien n'a été réservé" in taken.value.messages[0]
    assert Booking.objects.filter(booked_by=partner).count() == 0
    # The next dates where both rooms are free on two days running, at the same hours.
    assert taken.value.suggestions
    first_start, last_end = taken.value.suggestions[0]
    assert first_start.astimezone(PARIS).time() == T9 and last_end.astimezone(PARIS).time() == T18
    assert first_start.astimezone(PARIS).date() > wednesday


def test_each_day_of_a_multi_day_booking_keeps_to_the_opening_hours(atelier, partner):
    friday = next_weekday(4)
    with pytest.raises(ValidationError) as refused:
        two_days([atelier], partner, friday)  # Saturday is closed
    assert "fermé le samedi" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError) as refused:
        two_days([atelier], partner, next_weekday(1), closes=datetime.time(20))
    assert "ouvert le mardi de 09:00 à 19:00" in " ".join(refused.value.messages)


def test_a_multi_day_booking_stops_at_a_closure(atelier, partner):
    tuesday = next_weekday(1)
    closure(*slot(tuesday + datetime.timedelta(days=1), "00:00", "23:00"))
    with pytest.raises(ValidationError) as refused:
        two_days([atelier], partner, tuesday)
    assert "fermé du" in " ".join(refused.value.messages)
    assert not Booking.objects.exists()


def test_a_group_counts_once_in_the_quota(atelier, agent):
    monday = next_weekday(0)
    for hour in range(9, 18):
        start, end = slot(monday, f"{hour:02d}:00", f"{hour:02d}:30")
        services.booking_create(
            space=atelier, user=agent, start=start, end=end, title="Point", attendees=2
        )
    two_days([atelier], agent, next_weekday(2, 1), attendees=5)  # the tenth: two days, one count
    with pytest.raises(ValidationError, match="réservations à venir"):
        two_days([atelier], agent, next_weekday(2, 2), attendees=5)


def test_the_horizon_holds_for_the_last_day(agent):
    every_day = SpaceFactory(slug="tous-les-jours", capacity=20)
    for weekday in (5, 6):
        OpeningHours.objects.create(space=every_day, weekday=weekday, opens=T9, closes=T18)
    limit = timezone.localdate() + datetime.timedelta(days=60)
    with pytest.raises(ValidationError, match="60 jours"):
        services.booking_days_create(
            spaces=[every_day], user=agent, first_day=limit - datetime.timedelta(days=1),
            last_day=limit + datetime.timedelta(days=1), opens=T9, closes=T18, title="Long", attendees=3,
        )  # fmt: skip
    assert not Booking.objects.exists()


@time_machine.travel(datetime.datetime(2027, 3, 20, 12, tzinfo=PARIS), tick=False)
def test_a_multi_day_booking_across_the_spring_change_keeps_its_paris_hours(partner):
    open_all_week = SpaceFactory(slug="tous-les-jours", capacity=20)
    for weekday in (5, 6):
        OpeningHours.objects.create(space=open_all_week, weekday=weekday, opens=T9, closes=T18)
    # Saturday 27 to Monday 29 March 2027: the clocks go forward on the Sunday night.
    group = services.booking_days_create(
        spaces=[open_all_week], user=partner, first_day=datetime.date(2027, 3, 27),
        last_day=datetime.date(2027, 3, 29), opens=T9, closes=T18, title="Week-end", attendees=5,
    )  # fmt: skip
    bookings = list(group.bookings.order_by("period"))
    assert [(b.local_start.time(), b.local_end.time()) for b in bookings] == [(T9, T18)] * 3
    assert [b.local_start.utcoffset() for b in bookings] == [
        datetime.timedelta(hours=1), datetime.timedelta(hours=2), datetime.timedelta(hours=2),
    ]  # fmt: skip
    assert [b.end.timestamp() - b.start.timestamp() for b in bookings] == [9 * 3600] * 3


@time_machine.travel(datetime.datetime(2027, 10, 20, 12, tzinfo=PARIS), tick=False)
def test_a_residency_across_the_autumn_change_runs_midnight_to_midnight(coworking, staff):
    resident = OrganisationFactory(name="Futurs Publics")
    booking = services.booking_residency_create(
        space=coworking, user=staff, first_day=datetime.date(2027, 10, 25),
        last_day=datetime.date(2027, 11, 12), resident=resident, title="Résidence", attendees=4,
    )  # fmt: skip
    assert booking.kind == "residency" and booking.resident == resident
    assert booking.local_start == datetime.datetime(2027, 10, 25, tzinfo=PARIS)
    assert booking.local_end == datetime.datetime(2027, 11, 13, tzinfo=PARIS)
    # Nineteen days, one of them 25 hours long.
    assert booking.end.timestamp() - booking.start.timestamp() == (19 * 24 + 1) * 3600


def test_a_three_week_residency_is_pending_for_a_member_and_busy_everywhere(
    coworking, partner, partner_organisation, client
):
    monday = next_weekday(0, 2)
    booking = services.booking_residency_create(
        space=coworking, user=partner, first_day=monday,
        last_day=monday + datetime.timedelta(days=20), resident=partner_organisation,
        title="Équipe en résidence", attendees=4,
    )  # fmt: skip
    assert booking.status == "pending"  # always the team's decision
    _days, rows = week_grid(coworking, monday + datetime.timedelta(days=7))
    assert {cell.state for row in rows for cell in row.cells[:5]} == {"busy"}
    response = client.get(
        f"/api/v1/spaces/co-working/availability/?from={monday + datetime.timedelta(days=7)}"
    )
    assert response.status_code == 200
    busy = response.json()["busy"]
    assert len(busy) == 1 and busy[0]["public_event"] is None
    assert (
        "Futurs" not in response.content.decode()
        and partner_organisation.name not in response.content.decode()
    )


def test_a_residency_needs_a_space_that_hosts_them_whole_days_and_a_resident(
    atelier, coworking, staff
):
    monday = next_weekday(0, 2)
    resident = OrganisationFactory()
    with pytest.raises(ValidationError, match="n'accueille pas de résidence"):
        services.booking_residency_create(
            space=atelier, user=staff, first_day=monday, last_day=monday + datetime.timedelta(days=3),
            resident=resident, title="R", attendees=2,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="de 2 à 182 jours"):
        services.booking_residency_create(
            space=coworking, user=staff, first_day=monday, last_day=monday + datetime.timedelta(days=400),
            resident=resident, title="R", attendees=2,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="organisation résidente"):
        services.booking_create(
            space=coworking, user=staff, start=slot(monday, "00:00", "00:00")[0],
            end=slot(monday + datetime.timedelta(days=3), "00:00", "00:00")[0],
            title="R", attendees=2, kind="residency",
        )  # fmt: skip


def test_a_residency_on_a_taken_space_gets_the_next_free_periods(coworking, staff, partner):
    monday = next_weekday(0, 2)
    services.booking_create(
        space=coworking, user=partner, title="Réunion", attendees=3,
        start=slot(monday + datetime.timedelta(days=8), "10:00", "11:00")[0],
        end=slot(monday + datetime.timedelta(days=8), "10:00", "11:00")[1],
    )  # fmt: skip
    with pytest.raises(services.SlotTaken) as taken:
        services.booking_residency_create(
            space=coworking, user=staff, first_day=monday, last_day=monday + datetime.timedelta(days=13),
            resident=OrganisationFactory(), title="R", attendees=2,
        )  # fmt: skip
    start, end = taken.value.suggestions[0]
    assert start.astimezone(PARIS).date() > monday + datetime.timedelta(days=8)
    assert end - start >= datetime.timedelta(days=13)


def test_cancelling_one_day_of_a_group_frees_all_its_days(atelier, partner):
    group = two_days([atelier], partner, next_weekday(1))
    cancelled = services.booking_cancel(booking=group.bookings.first(), by=partner)
    assert len(cancelled) == 2
    assert not Booking.objects.active().exists()


def test_confirming_one_day_of_a_pending_group_confirms_them_all(atelier, agent, staff):
    group = two_days([atelier], agent, next_weekday(1))
    assert set(group.bookings.values_list("status", flat=True)) == {"pending"}
    services.booking_decide(booking=group.bookings.first(), by=staff, confirm=True)
    assert set(group.bookings.values_list("status", flat=True)) == {"confirmed"}


def test_the_agenda_shows_a_public_group_once_from_its_first_to_its_last_day(atelier, salle, staff):
    tuesday = next_weekday(1)
    two_days([atelier, salle], staff, tuesday, is_public=True, public_description="Deux jours.")
    (item,) = public_agenda()
    assert item.spaces == ["Atelier", "Salle de réunion"]
    assert item.local_start == datetime.datetime.combine(tuesday, T9, tzinfo=PARIS)
    assert item.local_end == datetime.datetime.combine(
        tuesday + datetime.timedelta(days=1), T18, tzinfo=PARIS
    )


@pytest.mark.django_db(transaction=True)
def test_two_groups_racing_for_one_room_leave_one_whole_and_the_other_refused(atelier, salle):
    from tests.lab.factories import UserFactory

    people = [UserFactory(email=f"r{i}@exemple.fr", is_staff=False) for i in range(2)]
    tuesday = next_weekday(1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(user, rooms):
        try:
            barrier.wait()
            two_days(rooms, user, tuesday, attendees=8)
            outcomes.append("booked")
        except services.SlotTaken:
            outcomes.append("taken")
        except Exception as error:  # anything else is a failure of the test
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(people[0], [atelier, salle])),
        threading.Thread(target=attempt, args=(people[1], [salle])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked", "taken"]
    # The loser holds nothing: not even the room nobody else wanted.
    winners = {b.booked_by_id for b in Booking.objects.active()}
    assert len(winners) == 1
