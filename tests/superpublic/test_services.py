"""Every booking rule of Superpublic, the database guarantee, series, decisions, tasks."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from lab.lib.dates import PARIS
from superpublic import services
from superpublic.models import Booking, BookingSeries
from tests.lab.factories import UserFactory
from tests.superpublic.factories import BookingFactory, SpaceFactory, closure, next_weekday, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return SpaceFactory(slug="atelier", name="Salle d'atelier", capacity=30)


@pytest.fixture
def tuesday():
    return next_weekday(1)


def book(space, user, day, start="14:00", end="16:00", **extra):
    begin, finish = slot(day, start, end)
    return services.booking_create(
        space=space,
        user=user,
        start=begin,
        end=finish,
        title="Atelier",
        attendees=extra.pop("attendees", 12),
        **extra,
    )


def test_an_agents_booking_is_pending_and_a_partners_confirmed(space, agent, partner, tuesday):
    assert book(space, agent, tuesday).status == "pending"
    assert book(space, partner, tuesday, "16:00", "18:00").status == "confirmed"


def test_a_space_needing_approval_keeps_partners_pending_but_not_staff(
    agent, partner, staff, tuesday
):
    hall = SpaceFactory(slug="grande-salle", requires_approval=True, capacity=120)
    assert book(hall, partner, tuesday, "09:00", "10:00").status == "pending"
    assert book(hall, staff, tuesday, "10:00", "11:00").status == "confirmed"


def test_the_booking_remembers_the_organisation_at_booking_time(space, partner, tuesday):
    booking = book(space, partner, tuesday)
    partner.organisation = None
    partner.save()
    booking.refresh_from_db()
    assert booking.organisation.name == "Région Pays de la Loire"


def test_back_to_back_bookings_are_allowed(space, partner, agent, tuesday):
    book(space, partner, tuesday, "10:00", "12:00")
    book(space, agent, tuesday, "12:00", "14:00")
    assert Booking.objects.active().count() == 2


def test_an_overlap_is_refused_with_the_next_free_slots(space, partner, agent, tuesday):
    book(space, partner, tuesday, "14:00", "16:00")
    with pytest.raises(services.SlotTaken) as refused:
        book(space, agent, tuesday, "15:00", "17:00")
    assert refused.value.messages == ["Ce créneau vient d'être pris."]
    assert refused.value.suggestions[0] == slot(tuesday, "16:00", "18:00")
    assert Booking.objects.count() == 1


def test_the_database_refuses_an_overlap_even_without_the_service(space, partner, agent, tuesday):
    book(space, partner, tuesday)
    start, end = slot(tuesday, "15:00", "15:30")
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(
            space=space,
            booked_by=agent,
            title="x",
            attendees=1,
            period=DateTimeTZRange(start, end, "[)"),
            status="pending",
        )
    # A cancelled booking no longer holds its slot.
    Booking.objects.update(status="cancelled")
    BookingFactory(
        space=space,
        booked_by=agent,
        title="x",
        attendees=1,
        period=DateTimeTZRange(start, end, "[)"),
        status="pending",
    )


def test_the_database_refuses_an_empty_or_unbounded_period(space, agent, tuesday):
    start, _ = slot(tuesday, "15:00", "16:00")
    for period in [DateTimeTZRange(start, start, "[)"), DateTimeTZRange(start, None, "[)")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            BookingFactory(
                space=space,
                booked_by=agent,
                title="x",
                attendees=1,
                period=period,
                status="pending",
            )


@pytest.mark.parametrize(
    ("day_offset", "start", "end", "extra", "message"),
    [
        (0, "16:00", "14:00", {}, "La fin doit suivre le début."),
        (0, "03:00", "05:00", {}, "« Salle d'atelier » est ouvert le mardi de 09:00 à 19:00."),
        (0, "18:00", "20:00", {}, "« Salle d'atelier » est ouvert le mardi de 09:00 à 19:00."),
        (5, "10:00", "12:00", {}, "« Salle d'atelier » est fermé le dimanche."),
        (
            0,
            "14:10",
            "16:00",
            {},
            "Un créneau commence et finit à l'heure pile, et quart, et demie ou moins le quart.",
        ),
        (0, "14:00", "14:15", {}, "Une réservation dure de 30 minutes à 12 heures."),
        (
            0,
            "14:00",
            "16:00",
            {"attendees": 500},
            "« Salle d'atelier » accueille 30 personnes au plus.",
        ),
        (
            0,
            "14:00",
            "16:00",
            {"is_public": True, "public_description": "x"},
            "Seuls les adhérents, les partenaires et l'équipe peuvent programmer un événement public.",
        ),
    ],
)
def test_each_rule_has_its_message(space, agent, tuesday, day_offset, start, end, extra, message):
    with pytest.raises(ValidationError) as refused:
        book(space, agent, tuesday + datetime.timedelta(days=day_offset), start, end, **extra)
    assert message in refused.value.messages
    assert not Booking.objects.exists()


def test_the_past_is_refused(space, agent):
    with pytest.raises(ValidationError, match="à venir"):
        book(space, agent, next_weekday(1, weeks_ahead=-2))


def test_a_closure_blocks_the_space(space, agent, tuesday):
    start, _ = slot(tuesday, "00:00", "01:00")
    closure(start, start + datetime.timedelta(days=3), "Vacances d'hiver")
    with pytest.raises(ValidationError, match="Vacances d'hiver"):
        book(space, agent, tuesday)


def test_a_closure_of_another_space_does_not(space, agent, tuesday):
    other = SpaceFactory(slug="autre")
    start, _ = slot(tuesday, "00:00", "01:00")
    closure(start, start + datetime.timedelta(days=1), spaces=[other])
    assert book(space, agent, tuesday).status == "pending"


def test_the_horizon_is_60_days_for_agents_and_180_for_members(space, agent, partner):
    far = next_weekday(1, weeks_ahead=12)  # 78 to 84 days ahead
    with pytest.raises(ValidationError, match="60 jours"):
        book(space, agent, far)
    assert book(space, partner, far).status == "confirmed"
    with pytest.raises(ValidationError, match="180 jours"):
        book(space, partner, next_weekday(1, weeks_ahead=30))


def test_at_most_ten_future_bookings_except_for_staff(space, agent, staff):
    for week in range(1, 6):
        for hours in [("09:00", "10:00"), ("10:00", "11:00")]:
            book(space, agent, next_weekday(1, week), *hours)
    with pytest.raises(ValidationError, match="déjà 10 réservations"):
        book(space, agent, next_weekday(2, 1))
    for week in range(1, 7):
        book(space, staff, next_weekday(3, week), "09:00", "10:00")
        book(space, staff, next_weekday(3, week), "10:00", "11:00")


def test_an_unverified_account_cannot_book(space, tuesday):
    with pytest.raises(PermissionDenied):
        book(space, UserFactory(verified=False), tuesday)


def test_emails_leave_after_commit(
    space, agent, partner, tuesday, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["equipe@la27eregion.fr"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        book(space, agent, tuesday)
        assert not mail.outbox
    emails = [c for c in callbacks if "email_send" in c.__qualname__]
    assert len(emails) == 2
    assert [m.to for m in mail.outbox] == [[agent.email], ["equipe@la27eregion.fr"]]
    assert "Réservation reçue" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        book(space, partner, tuesday, "10:00", "12:00")
    [confirmed] = mail.outbox
    assert "Réservation confirmée" in confirmed.subject and "10:00–12:00" in confirmed.subject


# Time zones -----------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2027, 3, 20, 12, tzinfo=PARIS), tick=False)
def test_bookings_around_the_spring_change_keep_their_paris_times(space, partner):
    before = book(space, partner, datetime.date(2027, 3, 26))  # Friday, UTC+1
    after = book(space, partner, datetime.date(2027, 3, 29))  # Monday, UTC+2
    before.refresh_from_db()
    after.refresh_from_db()
    assert before.start.astimezone(datetime.UTC).hour == 13
    assert after.start.astimezone(datetime.UTC).hour == 12
    assert (before.local_start.hour, after.local_start.hour) == (14, 14)


@time_machine.travel(datetime.datetime(2027, 10, 20, 12, tzinfo=PARIS), tick=False)
def test_a_weekly_series_keeps_its_wall_clock_time_across_the_autumn_change(space, partner):
    start, end = slot(datetime.date(2027, 10, 26), "14:00", "16:00")  # Tuesday before the change
    result = services.booking_series_create(
        space=space,
        user=partner,
        start=start,
        end=end,
        title="Atelier",
        attendees=10,
        conflict_mode="skip",
        count=3,
    )
    local_hours = [(b.local_start.hour, b.local_end.hour) for b in result.created]
    utc_hours = [b.start.astimezone(datetime.UTC).hour for b in result.created]
    assert local_hours == [(14, 16)] * 3
    assert utc_hours == [12, 13, 13]  # summer time, then winter time


# Series ----------------------------------------------------------------------------------


def test_a_series_skips_the_dates_in_conflict(space, partner, agent, tuesday):
    book(space, agent, tuesday + datetime.timedelta(weeks=1))
    start, end = slot(tuesday, "14:00", "16:00")
    result = services.booking_series_create(
        space=space,
        user=partner,
        start=start,
        end=end,
        title="Cycle",
        attendees=10,
        conflict_mode="skip",
        count=4,
    )
    assert len(result.created) == 3
    assert result.skipped[0][0] == tuesday + datetime.timedelta(weeks=1)
    assert {b.series_id for b in result.created} == {result.series.pk}


def test_all_or_nothing_books_nothing_when_one_date_is_taken(space, partner, agent, tuesday):
    book(space, agent, tuesday + datetime.timedelta(weeks=2))
    start, end = slot(tuesday, "14:00", "16:00")
    with pytest.raises(ValidationError, match="aucune date n'a été réservée"):
        services.booking_series_create(
            space=space,
            user=partner,
            start=start,
            end=end,
            title="Cycle",
            attendees=10,
            conflict_mode="all",
            until=tuesday + datetime.timedelta(weeks=3),
        )
    assert Booking.objects.count() == 1
    assert not BookingSeries.objects.exists()


def test_cancelling_the_rest_of_a_series(space, partner, tuesday):
    start, end = slot(tuesday, "14:00", "16:00")
    result = services.booking_series_create(
        space=space,
        user=partner,
        start=start,
        end=end,
        title="Cycle",
        attendees=10,
        conflict_mode="skip",
        count=4,
    )
    cancelled = services.booking_cancel(booking=result.created[1], by=partner, rest_of_series=True)
    assert len(cancelled) == 3
    statuses = list(Booking.objects.order_by("period").values_list("status", flat=True))
    assert statuses == ["confirmed", "cancelled", "cancelled", "cancelled"]


# Cancellations and decisions ---------------------------------------------------------------


def test_nobody_cancels_another_persons_booking(space, agent, partner, tuesday):
    booking = book(space, agent, tuesday)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, by=partner)


def test_staff_cancel_with_a_reason_only(space, agent, staff, tuesday):
    booking = book(space, agent, tuesday)
    with pytest.raises(ValidationError, match="motif"):
        services.booking_cancel(booking=booking, by=staff)
    services.booking_cancel(booking=booking, by=staff, reason="Travaux imprévus")
    booking.refresh_from_db()
    assert (booking.status, booking.decision_note, booking.decided_by) == (
        "cancelled",
        "Travaux imprévus",
        staff,
    )


def test_staff_confirm_or_reject_pending_bookings(
    space, agent, staff, tuesday, django_capture_on_commit_callbacks
):
    first, second = book(space, agent, tuesday), book(space, agent, tuesday, "10:00", "12:00")
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_decide(booking=first, by=staff, confirm=True)
    with pytest.raises(ValidationError, match="motif"):
        services.booking_decide(booking=second, by=staff, confirm=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_decide(
            booking=second, by=staff, confirm=False, note="Salle réservée à la maintenance"
        )
    assert "Salle réservée à la maintenance" in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="seule une réservation en attente"):
        services.booking_decide(booking=first, by=staff, confirm=False, note="x")
    with pytest.raises(PermissionDenied):
        services.booking_decide(booking=first, by=agent, confirm=True)


# Tasks ---------------------------------------------------------------------------------------


def test_undecided_pending_bookings_expire_once(
    space, agent, tuesday, django_capture_on_commit_callbacks
):
    booking = book(space, agent, tuesday)
    Booking.objects.filter(pk=booking.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=6)
    )
    fresh = book(space, agent, tuesday, "10:00", "12:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.bookings_expire() == 1
        assert services.bookings_expire() == 0
    booking.refresh_from_db()
    fresh.refresh_from_db()
    assert (booking.status, fresh.status) == ("expired", "pending")
    assert [m.subject for m in mail.outbox if "expirée" in m.subject]


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=PARIS), tick=False)  # a Monday
def test_reminders_go_once_the_day_before_with_a_single_use_release_link(
    space, partner, django_capture_on_commit_callbacks
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    booking = book(space, partner, tomorrow, "14:00", "16:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.bookings_send_reminders() == 1
        assert services.bookings_send_reminders() == 0
    [reminder] = [m for m in mail.outbox if "Demain à Superpublic" in m.subject]
    token = services.release_token(booking)
    assert token in reminder.body
    services.booking_release(token=token)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    with pytest.raises(ValidationError, match="déjà servi"):
        services.booking_release(token=token)
    with pytest.raises(ValidationError, match="pas valable"):
        services.booking_release(token=token + "x")


# Concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_people_booking_one_slot_at_once_get_exactly_one_booking(space, tuesday):
    people = [UserFactory(email=f"p{i}@exemple.fr") for i in range(20)]
    start, end = slot(tuesday, "14:00", "16:00")
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def attempt(user):
        try:
            barrier.wait()
            services.booking_create(
                space=space, user=user, start=start, end=end, title="Course", attendees=5
            )
            outcomes.append("booked")
        except services.SlotTaken:
            outcomes.append("taken")
        except Exception as error:  # anything else is a failure of the test
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked"] + ["taken"] * 19
    assert Booking.objects.active().count() == 1


@pytest.mark.django_db(transaction=True)
def test_fourteen_bookings_at_once_by_one_person_keep_to_the_quota(space, tuesday):
    person = UserFactory(email="presse@exemple.fr")  # an agent: a quota of ten
    starts = [f"{9 + i // 2:02d}:{30 * (i % 2):02d}" for i in range(14)]
    ends = [f"{9 + (i + 1) // 2:02d}:{30 * ((i + 1) % 2):02d}" for i in range(14)]
    barrier = threading.Barrier(14)
    outcomes: list[str] = []

    def attempt(start_time, end_time):
        try:
            barrier.wait()
            services.booking_create(
                space=space, user=person, start=slot(tuesday, start_time, end_time)[0],
                end=slot(tuesday, start_time, end_time)[1], title="Série", attendees=2,
            )  # fmt: skip
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(
                "quota" if "réservations à venir" in " ".join(error.messages) else repr(error)
            )
        except Exception as error:  # anything else is a failure of the test
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=pair) for pair in zip(starts, ends, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked"] * 10 + ["quota"] * 4
    assert Booking.objects.filter(booked_by=person).active().count() == 10
