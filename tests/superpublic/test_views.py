import datetime

import pytest
import time_machine
from django.core import mail
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from lab.lib.dates import paris_datetime
from superpublic import services
from superpublic.models import Booking, CalendarFeed
from superpublic.selectors import week_label
from tests.lab.factories import UserFactory
from tests.superpublic.factories import SpaceFactory, closure, next_weekday, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return SpaceFactory(slug="atelier", name="Atelier", capacity=25)


@pytest.fixture
def tuesday():
    return next_weekday(1)


def form_data(day, start="14:00", end="16:00", **extra):
    return {"space": "atelier", "day": day.isoformat(), "start": start, "end": end, "attendees": "12", "title": "Atelier personas",
            "purpose": "Préparer la Transfo", "conflict_mode": "skip", **extra}  # fmt: skip


def post(client, capture, data):
    with capture(execute=True):
        return client.post("/superpublic/reserver/", data)


def test_anyone_sees_availability_but_booking_needs_an_account(client, space, tuesday):
    response = client.get(f"/superpublic/espaces/atelier/?semaine={week_label(tuesday)}")
    assert response.status_code == 200
    assert "/superpublic/reserver/?espace=atelier&amp;debut=" in response.content.decode()
    response = client.get("/superpublic/reserver/?espace=atelier")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post("/superpublic/reserver/", form_data(tuesday)).status_code == 302
    assert not Booking.objects.exists()


def test_a_free_slot_opens_the_prefilled_form(client, agent, space, tuesday):
    client.force_login(agent)
    start, _ = slot(tuesday, "14:00", "15:00")
    response = client.get(
        "/superpublic/reserver/",
        {"espace": "atelier", "debut": start.astimezone(datetime.UTC).isoformat()},
    )
    initial = response.context["form"].initial
    assert (initial["space"], initial["day"], initial["start"], initial["end"]) == (
        "atelier",
        tuesday,
        "14:00",
        "15:00",
    )


def test_an_agent_books_and_waits_a_partner_is_confirmed(
    client, agent, partner, space, tuesday, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    response = post(client, django_capture_on_commit_callbacks, form_data(tuesday))
    booking = Booking.objects.get()
    assert response["Location"] == f"/superpublic/reservations/{booking.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "En attente de validation" in page and "cinq jours" in page
    client.force_login(partner)
    post(client, django_capture_on_commit_callbacks, form_data(tuesday, "16:00", "18:00"))
    assert Booking.objects.get(booked_by=partner).status == "confirmed"


def test_a_taken_slot_is_refused_with_the_next_free_ones(
    client, agent, partner, space, tuesday, django_capture_on_commit_callbacks
):
    client.force_login(partner)
    post(client, django_capture_on_commit_callbacks, form_data(tuesday))
    client.force_login(agent)
    response = post(
        client, django_capture_on_commit_callbacks, form_data(tuesday, "15:00", "16:00")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce créneau vient d&#x27;être pris." in body
    assert "Créneaux libres les plus proches" in body and "16:00–17:00" in body
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "16:00", "end": "14:00"}, "La fin doit suivre le début."),
        ({"start": "03:00", "end": "05:00"}, "est ouvert le mardi de 09:00 à 19:00"),
        ({"start": "14:15", "end": "16:00"}, "Choisissez une heure pile ou une demi-heure"),
        ({"start": "25:00"}, "Choisissez une heure dans la liste"),
        ({"end": "16:00:00.5"}, "Choisissez une heure dans la liste"),
        ({"last_day": "yesterday"}, "Le dernier jour doit suivre le premier."),
        ({"last_day": "next", "repeat": "on", "repeat_count": "3"}, "choisissez l'un ou l'autre"),
        ({"last_day": "weeks"}, "14 au plus"),
        ({"last_day": "sunday"}, "est fermé le samedi"),
        ({"start": "07:00", "end": "08:00"}, "est ouvert le"),
        ({"day": "sunday"}, "est fermé le dimanche"),
        ({"attendees": "500"}, "accueille 25 personnes au plus"),
        ({"day": "far"}, "60 jours"),
        ({"day": "pas-une-date"}, "Saisissez une date valide"),
        ({"title": ""}, "Ce champ est obligatoire"),
        ({"repeat": "on"}, "soit une date de fin, soit un nombre de semaines"),
        ({"is_public": "on", "public_description": "Grand débat"}, None),  # ignored for agents
    ],
)
def test_bad_input_gets_a_message_and_stores_nothing(
    client, agent, space, tuesday, django_capture_on_commit_callbacks, data, message
):
    client.force_login(agent)
    if data.get("day") == "sunday":
        data["day"] = (tuesday + datetime.timedelta(days=5)).isoformat()
    if data.get("day") == "far":
        data["day"] = (tuesday + datetime.timedelta(days=3 * 365)).isoformat()
    last_days = {"yesterday": -1, "next": 1, "weeks": 20, "sunday": 5}
    if data.get("last_day") in last_days:
        data["last_day"] = (
            tuesday + datetime.timedelta(days=last_days[data["last_day"]])
        ).isoformat()
    response = post(client, django_capture_on_commit_callbacks, {**form_data(tuesday), **data})
    if message is None:
        booking = Booking.objects.get()
        assert not booking.is_public
        return
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Booking.objects.exists()
    assert not mail.outbox


def test_a_closure_is_explained(client, agent, space, tuesday, django_capture_on_commit_callbacks):
    start, _ = slot(tuesday, "00:00", "01:00")
    closure(start, start + datetime.timedelta(days=1), "Inventaire")
    client.force_login(agent)
    response = post(client, django_capture_on_commit_callbacks, form_data(tuesday))
    assert response.status_code == 400 and "Inventaire" in response.content.decode()


def test_only_privileged_people_make_public_events_and_they_show_in_the_agenda(
    client, partner, space, tuesday, django_capture_on_commit_callbacks
):
    client.force_login(partner)
    assert "is_public" in client.get("/superpublic/reserver/").context["form"].fields
    post(
        client,
        django_capture_on_commit_callbacks,
        form_data(tuesday, is_public="on", public_description="Apéro 27 de rentrée"),
    )
    booking = Booking.objects.get()
    assert booking.is_public and booking.status == "confirmed"
    assert "Atelier personas" in client.get("/superpublic/").content.decode()
    ics = client.get("/superpublic/agenda.ics")
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = ics.content.decode()
    assert "SUMMARY:Atelier personas" in calendar and "Apéro 27 de rentrée" in calendar


def test_public_views_never_say_who_booked(client, agent, space, tuesday):
    start, end = slot(tuesday, "14:00", "16:00")
    services.booking_create(
        space=space,
        user=agent,
        start=start,
        end=end,
        title="Réunion secrète RH",
        attendees=3,
        purpose="Dossier confidentiel",
    )
    client.logout()
    page = client.get(
        f"/superpublic/espaces/atelier/?semaine={week_label(tuesday)}"
    ).content.decode()
    assert "occupé" in page and "secrète" not in page and agent.email not in page
    ics = client.get("/superpublic/espaces/atelier.ics").content.decode()
    assert "SUMMARY:Occupé" in ics and "secrète" not in ics and "confidentiel" not in ics
    assert "secrète" not in client.get("/superpublic/agenda.ics").content.decode()


def test_nobody_sees_or_cancels_another_persons_booking(client, agent, partner, space, tuesday):
    start, end = slot(tuesday, "14:00", "16:00")
    booking = services.booking_create(
        space=space, user=agent, start=start, end=end, title="À moi", attendees=3
    )
    client.force_login(partner)
    assert client.get(f"/superpublic/reservations/{booking.pk}/").status_code == 404
    assert client.post(f"/superpublic/reservations/{booking.pk}/annuler/").status_code == 404
    assert "À moi" not in client.get("/superpublic/mes-reservations/").content.decode()
    booking.refresh_from_db()
    assert booking.status == "pending"


def test_owners_cancel_one_date_or_the_rest_of_a_series(
    client, partner, space, tuesday, django_capture_on_commit_callbacks
):
    client.force_login(partner)
    post(
        client,
        django_capture_on_commit_callbacks,
        form_data(tuesday, repeat="on", repeat_count="3"),
    )
    first, second, _third = Booking.objects.order_by("period")
    client.post(f"/superpublic/reservations/{first.pk}/annuler/", {"scope": "one"})
    client.post(f"/superpublic/reservations/{second.pk}/annuler/", {"scope": "rest"})
    assert (
        list(Booking.objects.order_by("period").values_list("status", flat=True))
        == ["cancelled"] * 3
    )
    page = client.get("/superpublic/mes-reservations/").content.decode()
    assert "Annulée" in page


def test_the_private_feed_needs_its_token_and_can_be_reset(client, partner, space, tuesday):
    start, end = slot(tuesday, "14:00", "16:00")
    services.booking_create(
        space=space, user=partner, start=start, end=end, title="Mon atelier", attendees=3
    )
    client.force_login(partner)
    client.post("/superpublic/mes-reservations/flux/")
    token = CalendarFeed.objects.get(user=partner).token
    client.logout()
    feed = client.get(f"/superpublic/ical/{token}.ics")
    assert feed.status_code == 200 and b"Mon atelier" in feed.content
    assert feed["Cache-Control"] == "private, no-store"
    assert client.get("/superpublic/ical/devine.ics").status_code == 404
    client.force_login(partner)
    client.post("/superpublic/mes-reservations/flux/")
    assert client.get(f"/superpublic/ical/{token}.ics").status_code == 404


def test_the_release_link_asks_before_acting(client, partner, space, tuesday):
    start, end = slot(tuesday, "14:00", "16:00")
    booking = services.booking_create(
        space=space, user=partner, start=start, end=end, title="x", attendees=3
    )
    token = services.release_token(booking)
    assert client.get(f"/superpublic/liberer/{token}/").status_code == 200
    booking.refresh_from_db()
    assert booking.status == "confirmed"  # a GET (a mail scanner) changes nothing
    assert client.post(f"/superpublic/liberer/{token}/").status_code == 200
    assert client.post(f"/superpublic/liberer/{token}/").status_code == 400
    booking.refresh_from_db()
    assert booking.status == "cancelled"


@pytest.mark.parametrize("week", ["zzz", "2026-W99", "2026-W", "-W5", "2026-W05x"])
def test_malformed_weeks_are_a_400_with_a_message(client, space, week):
    response = client.get(f"/superpublic/espaces/atelier/?semaine={week}")
    assert response.status_code == 400
    assert "Semaine inconnue" in response.content.decode()


def test_malformed_start_in_the_booking_link_is_explained(client, agent, space):
    client.force_login(agent)
    response = client.get("/superpublic/reserver/?espace=atelier&debut=demain-matin")
    assert response.status_code == 400  # the form is there, with what went wrong
    assert "pas été comprise" in response.content.decode()
    assert "2027-03-01T09:30" in response.content.decode()


def test_staff_confirm_in_the_admin_and_see_the_overview(
    client, agent, staff, space, tuesday, django_capture_on_commit_callbacks
):
    start, end = slot(tuesday, "14:00", "16:00")
    booking = services.booking_create(
        space=space, user=agent, start=start, end=end, title="À valider", attendees=3
    )
    client.force_login(staff)
    queue = client.get("/admin/superpublic/booking/?status__exact=pending")
    assert "À valider" in queue.content.decode()
    assert "/admin/superpublic/booking/vue-d-ensemble/" in queue.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/superpublic/booking/", {"action": "confirm", "_selected_action": [booking.pk]}
        )
    booking.refresh_from_db()
    assert booking.status == "confirmed" and booking.decided_by == staff
    assert "Réservation confirmée" in mail.outbox[-1].subject
    overview = client.get(
        f"/admin/superpublic/booking/vue-d-ensemble/?semaine={week_label(tuesday)}"
    )
    assert overview.status_code == 200 and "À valider" in overview.content.decode()


def test_staff_reject_in_bulk_with_a_reason(
    client, agent, staff, space, tuesday, django_capture_on_commit_callbacks
):
    start, end = slot(tuesday, "14:00", "16:00")
    booking = services.booking_create(
        space=space, user=agent, start=start, end=end, title="Non", attendees=3
    )
    client.force_login(staff)
    ask = client.post(
        "/admin/superpublic/booking/", {"action": "reject", "_selected_action": [booking.pk]}
    )
    assert ask.status_code == 200 and "Motif" in ask.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/superpublic/booking/",
            {
                "action": "reject",
                "_selected_action": [booking.pk],
                "apply": "1",
                "reason": "Salle en travaux",
            },
        )
    booking.refresh_from_db()
    assert (booking.status, booking.decision_note) == ("rejected", "Salle en travaux")


def _crowded_week(space, monday):
    """200 short bookings in one week, written directly (the grid must not care how many)."""
    people = [UserFactory(email=f"b{i}@exemple.fr") for i in range(5)]
    rows = []
    for i in range(200):
        day = monday + datetime.timedelta(days=i % 5)
        start = slot(day, "09:00", "09:30")[0] + datetime.timedelta(minutes=3 * (i // 5))
        rows.append(Booking(space=space, booked_by=people[i % 5], title=f"B{i}", attendees=1, status="confirmed",
                            period=DateTimeTZRange(start, start + datetime.timedelta(minutes=3), "[)")))  # fmt: skip
    Booking.objects.bulk_create(rows)
    return people[0]


def test_pages_stay_within_their_query_budget(client, space, django_assert_max_num_queries):
    monday = next_weekday(0)
    owner = _crowded_week(space, monday)
    for other in range(4):
        SpaceFactory(slug=f"s{other}")
    with django_assert_max_num_queries(12):
        assert client.get("/superpublic/").status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            client.get(f"/superpublic/espaces/atelier/?semaine={week_label(monday)}").status_code
            == 200
        )
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        assert client.get("/superpublic/mes-reservations/").status_code == 200
    assert timezone.now()


def _pending_bookings(agent, space, day, count: int) -> list[Booking]:
    """`count` pending bookings of an agent on `day`, two hours apart."""
    bookings = []
    for n in range(count):
        start, end = slot(day, f"{10 + 2 * n}:00", f"{11 + 2 * n}:00")
        bookings.append(
            services.booking_create(
                space=space, user=agent, start=start, end=end, title=f"R{n}", attendees=3
            )
        )
    return bookings


def _admin_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(("count", "wording"), [(1, "1 réservation confirmée."), (2, "2 réservations confirmées.")])  # fmt: skip
def test_the_admin_says_how_many_bookings_it_confirmed_in_good_french(
    client, agent, staff, space, tuesday, count, wording
):
    bookings = _pending_bookings(agent, space, tuesday, count)
    client.force_login(staff)
    response = client.post(
        "/admin/superpublic/booking/",
        {"action": "confirm", "_selected_action": [b.pk for b in bookings]},
        follow=True,
    )
    assert wording in _admin_messages(response)


@pytest.mark.parametrize(
    ("action", "count", "wording"),
    [
        ("reject", 1, "1 réservation refusée."),
        ("reject", 2, "2 réservations refusées."),
        ("cancel", 1, "1 réservation annulée."),
        ("cancel", 3, "3 réservations annulées."),
    ],
)
def test_the_admin_says_how_many_bookings_it_refused_or_cancelled(
    client, agent, staff, space, tuesday, action, count, wording
):
    bookings = _pending_bookings(agent, space, tuesday, count)
    client.force_login(staff)
    response = client.post(
        "/admin/superpublic/booking/",
        {"action": action, "_selected_action": [b.pk for b in bookings], "apply": "1",
         "reason": "Salle en travaux"},
        follow=True,
    )  # fmt: skip
    assert wording in _admin_messages(response)
    assert "(s)" not in " ".join(_admin_messages(response))


@pytest.mark.parametrize(
    ("now", "monday", "day"),
    [
        # Sunday evening: this week is all past, the page opens on the next one, on its Monday.
        (datetime.datetime(2026, 11, 22, 20), datetime.date(2026, 11, 23), datetime.date(2026, 11, 23)),
        # Tuesday morning: this week, today.
        (datetime.datetime(2026, 11, 24, 8), datetime.date(2026, 11, 23), datetime.date(2026, 11, 24)),
        # Tuesday after closing: this week still, from Wednesday.
        (datetime.datetime(2026, 11, 24, 19, 30), datetime.date(2026, 11, 23), datetime.date(2026, 11, 25)),
        # Friday after closing: the next week.
        (datetime.datetime(2026, 11, 27, 19, 30), datetime.date(2026, 11, 30), datetime.date(2026, 11, 30)),
    ],
)  # fmt: skip
def test_the_week_grid_opens_on_the_first_week_and_day_with_free_slots(
    client, space, now, monday, day
):
    with time_machine.travel(paris_datetime(now.date(), now.time()), tick=False):
        response = client.get("/superpublic/espaces/atelier/")
    assert response.status_code == 200
    assert (response.context["monday"], response.context["day"]) == (monday, day)
    page = response.content.decode()
    # Free slots to pick, and the day a phone shows first is the one selected in the picker.
    assert f"Réserver le {_french_day(day)} {day.day} novembre, 09:00" in page
    picker = page.split('class="day-picker"')[1].split("</nav>")[0]
    assert picker.count('aria-current="true"') == 1
    assert (
        f'jour={day.isoformat()}#semaine" data-column="{day.weekday()}" aria-current="true"'
        in picker
    )
    # Column headers in words, without capitalised abbreviations.
    assert f'<th scope="col">{_french_day(monday)} {monday.day} ' in page


def _french_day(day: datetime.date) -> str:
    return ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][day.weekday()]


def test_a_day_asked_for_opens_its_week_with_that_day_selected(client, space):
    with time_machine.travel(
        paris_datetime(datetime.date(2026, 11, 24), datetime.time(8)), tick=False
    ):
        response = client.get("/superpublic/espaces/atelier/?jour=2026-12-03")
        assert (response.context["monday"], response.context["day"]) == (
            datetime.date(2026, 11, 30), datetime.date(2026, 12, 3),
        )  # fmt: skip
        # A day outside the week asked for: the week wins, its first open day is selected.
        response = client.get("/superpublic/espaces/atelier/?semaine=2026-W50&jour=2026-12-03")
        assert response.context["day"] == datetime.date(2026, 12, 7)
        assert client.get("/superpublic/espaces/atelier/?jour=demain").status_code == 400
