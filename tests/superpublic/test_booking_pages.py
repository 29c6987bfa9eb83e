"""What a person sees around a booking: the form's time menus, several days and residencies from
the site, the booking's own page, cancelling with a confirmation, « Mes réservations »."""

import datetime
import json
import re

import pytest
from django.core import mail

from superpublic import services
from superpublic.models import Booking, OpeningHours
from tests.lab.factories import UserFactory
from tests.superpublic.factories import SpaceFactory, next_weekday, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return SpaceFactory(
        slug="atelier",
        name="Atelier",
        capacity=25,
        accessibility="De plain-pied, tables réglables.",
    )


@pytest.fixture
def coworking():
    return SpaceFactory(slug="co-working", name="Plateau de co-working", allows_residency=True)


@pytest.fixture
def tuesday():
    return next_weekday(1)


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'<option value="([^"]*)"', select.group(1))


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    return re.search(r'<option value="([^"]*)" selected>', select.group(1)).group(1)


def half_hours(first: str, last: str) -> list[str]:
    day = datetime.date(2000, 1, 1)
    moment = datetime.datetime.combine(day, datetime.time.fromisoformat(first))
    end = datetime.datetime.combine(day, datetime.time.fromisoformat(last))
    found = []
    while moment <= end:
        found.append(f"{moment:%H:%M}")
        moment += datetime.timedelta(minutes=30)
    return found


def text(response) -> str:
    """A page's text as written: without its typographic spaces and escaped apostrophes."""
    return (
        response.content.decode()
        .replace("\u202f", " ")
        .replace("\u00a0", " ")
        .replace("&#x27;", "'")
    )


def form_data(day, start="14:00", end="16:00", **extra):
    return {"space": "atelier", "day": day.isoformat(), "start": start, "end": end, "attendees": "12",
            "title": "Atelier personas", "purpose": "", "conflict_mode": "skip", **extra}  # fmt: skip


def post(client, capture, data):
    with capture(execute=True):
        return client.post("/superpublic/reserver/", data)


# The time menus follow the space's hours that day, by half hours ------------------------------


def test_the_time_menus_offer_the_days_opening_hours_by_half_hours(client, agent, space, tuesday):
    OpeningHours.objects.filter(space=space, weekday=0).update(
        opens=datetime.time(10), closes=datetime.time(12, 30)
    )
    client.force_login(agent)
    page = text(client.get(f"/superpublic/reserver/?espace=atelier&debut={tuesday}T14:00"))
    assert options(page, "start") == half_hours("09:00", "18:30")
    assert options(page, "end") == half_hours("09:30", "19:00")
    assert (selected(page, "start"), selected(page, "end")) == ("14:00", "15:00")
    # Monday: that space opens 10:00 to 12:30.
    monday = tuesday - datetime.timedelta(days=1)
    page = text(client.get(f"/superpublic/reserver/?espace=atelier&debut={monday}T10:30"))
    assert options(page, "start") == half_hours("10:00", "12:00")
    assert options(page, "end") == half_hours("10:30", "12:30")
    # The hours of every space and weekday are there for the script that follows the choices.
    hours = json.loads(re.search(r'id="opening-hours"[^>]*>(.*?)</script>', page).group(1))
    assert hours["atelier"]["0"] == ["10:00", "12:30"] and hours["atelier"]["1"] == [
        "09:00",
        "19:00",
    ]
    assert "/static/js/booking.js" in page


def test_without_a_day_or_on_a_closed_day_the_menus_span_the_spaces_week(
    client, agent, space, tuesday
):
    SpaceFactory(slug="grande-salle", name="Grande salle")
    OpeningHours.objects.filter(space__slug="grande-salle").update(closes=datetime.time(21))
    client.force_login(agent)
    saturday = tuesday + datetime.timedelta(days=4)
    page = text(client.get(f"/superpublic/reserver/?espace=atelier&debut={saturday}T10:00"))
    assert options(page, "start") == half_hours("09:00", "18:30")
    # No space chosen: every space's hours.
    page = text(client.get("/superpublic/reserver/"))
    assert options(page, "end") == half_hours("09:30", "21:00")


def test_a_posted_form_offers_the_menus_of_the_space_and_day_it_names(
    client, agent, space, tuesday, django_capture_on_commit_callbacks
):
    SpaceFactory(slug="grande-salle", name="Grande salle")
    OpeningHours.objects.filter(space__slug="grande-salle", weekday=1).update(
        closes=datetime.time(21)
    )
    client.force_login(agent)
    response = post(
        client, django_capture_on_commit_callbacks,
        form_data(tuesday, "20:00", "21:15", space="grande-salle"),
    )  # fmt: skip
    assert response.status_code == 400
    page = text(response)
    assert "Choisissez une heure pile ou une demi-heure" in page
    assert options(page, "end")[-2:] == ["21:00", "21:15"]  # what was sent stays shown
    assert selected(page, "end") == "21:15"
    assert not Booking.objects.exists()


def test_the_time_menus_are_cheap_to_render(client, agent, space, django_assert_max_num_queries):
    client.force_login(agent)
    with django_assert_max_num_queries(8):
        page = text(client.get("/superpublic/reserver/?espace=atelier"))
    # Two menus of about twenty half hours, not two of sixty-four quarter hours.
    assert len(options(page, "start")) + len(options(page, "end")) == 40


# After booking: a message, the booking's page and what happens next ----------------------------


def test_an_agent_is_told_the_booking_waits_for_the_team_and_what_comes_next(
    client, agent, space, tuesday, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    response = post(client, django_capture_on_commit_callbacks, form_data(tuesday))
    page = text(client.get(response["Location"]))
    assert "Demande enregistrée" in page  # the message, once on the booking's page
    assert "En attente de validation" in page
    assert "sous cinq jours ouvrés" in page and "courriel" in page
    booking = Booking.objects.get()
    assert f'href="/superpublic/reservations/{booking.pk}/annuler/"' in page
    assert "Annuler cette réservation" in page
    assert f"{tuesday.day}" in page and "14:00–16:00" in page


def test_a_partner_is_confirmed_and_told_how_to_get_there(
    client, partner, space, tuesday, django_capture_on_commit_callbacks
):
    client.force_login(partner)
    response = post(client, django_capture_on_commit_callbacks, form_data(tuesday))
    page = text(client.get(response["Location"]))
    assert "C'est réservé" in page and "Confirmée" in page
    assert "Venir à Superpublic" in page and "4 rue la Vacquerie, 75011 Paris" in page
    assert "De plain-pied, tables réglables." in page
    assert "un rappel" in page


# Cancelling asks first, then counts what it cancelled -----------------------------------------


def test_cancelling_asks_first_then_moves_the_booking_out_of_upcoming(
    client, agent, space, tuesday, django_capture_on_commit_callbacks
):
    start, end = slot(tuesday, "14:00", "16:00")
    booking = services.booking_create(
        space=space, user=agent, start=start, end=end, title="Atelier accueil", attendees=3
    )
    client.force_login(agent)
    mine = text(client.get("/superpublic/mes-reservations/"))
    upcoming = mine.split('id="a-venir"')[1].split('id="passees"')[0]
    assert "Atelier accueil" in upcoming
    assert f'href="/superpublic/reservations/{booking.pk}/annuler/"' in upcoming
    # The link asks before anything happens.
    ask = client.get(f"/superpublic/reservations/{booking.pk}/annuler/")
    assert ask.status_code == 200
    asked = text(ask)
    assert "Annuler « Atelier accueil » ?" in asked and "Oui, annuler" in asked
    assert "14:00–16:00" in asked and 'method="post"' in asked
    booking.refresh_from_db()
    assert booking.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/superpublic/reservations/{booking.pk}/annuler/", follow=True)
    assert response.redirect_chain[-1][0] == "/superpublic/mes-reservations/"
    page = text(response)
    assert "1 réservation annulée : le créneau est de nouveau libre." in page
    upcoming, past = page.split('id="a-venir"')[1].split('id="passees"')
    assert "Atelier accueil" not in upcoming and "Aucune réservation à venir." in upcoming
    assert "Atelier accueil" in past and "Annulée" in past
    assert "Réservation annulée" in mail.outbox[-1].subject
    # Asked again: nothing left to cancel, and it says so.
    again = text(client.get(f"/superpublic/reservations/{booking.pk}/annuler/"))
    assert "ne peut plus être annulée" in again and "Oui, annuler" not in again


def test_cancelling_the_rest_of_a_series_counts_in_the_plural(
    client, partner, space, tuesday, django_capture_on_commit_callbacks
):
    client.force_login(partner)
    post(
        client,
        django_capture_on_commit_callbacks,
        form_data(tuesday, repeat="on", repeat_count="3"),
    )
    first = Booking.objects.order_by("period").first()
    asked = text(client.get(f"/superpublic/reservations/{first.pk}/annuler/"))
    assert "cette date et les 2 suivantes de la série" in asked
    response = client.post(
        f"/superpublic/reservations/{first.pk}/annuler/", {"scope": "rest"}, follow=True
    )
    assert "3 réservations annulées : les créneaux sont de nouveau libres." in text(response)
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}


def test_staff_cancelling_someone_elses_booking_give_a_reason(
    client, agent, staff, space, tuesday, django_capture_on_commit_callbacks
):
    start, end = slot(tuesday, "14:00", "16:00")
    booking = services.booking_create(
        space=space, user=agent, start=start, end=end, title="x", attendees=3
    )
    client.force_login(staff)
    assert "Motif envoyé à la personne" in text(
        client.get(f"/superpublic/reservations/{booking.pk}/annuler/")
    )
    response = client.post(f"/superpublic/reservations/{booking.pk}/annuler/", follow=True)
    assert "Donnez le motif" in text(response)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/superpublic/reservations/{booking.pk}/annuler/", {"reason": "Dégât des eaux"}
        )
    booking.refresh_from_db()
    assert (booking.status, booking.decision_note) == ("cancelled", "Dégât des eaux")


# Several days in a row, and residencies, from the site -----------------------------------------


def test_several_days_in_a_row_are_one_group_shown_and_cancelled_whole(
    client, agent, space, tuesday, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    thursday = tuesday + datetime.timedelta(days=2)
    response = post(
        client, django_capture_on_commit_callbacks,
        form_data(tuesday, "09:00", "18:00", last_day=thursday.isoformat()),
    )  # fmt: skip
    bookings = list(Booking.objects.order_by("period"))
    assert [b.local_start.date() for b in bookings] == [
        tuesday + datetime.timedelta(days=n) for n in range(3)
    ]
    assert len({b.group_id for b in bookings}) == 1 and bookings[0].group_id
    assert {(b.local_start.time(), b.local_end.time(), b.status) for b in bookings} == {
        (datetime.time(9), datetime.time(18), "pending")
    }
    assert response["Location"] == bookings[0].get_absolute_url()
    assert len(mail.outbox) == 2  # one receipt for the whole, one note to the team
    # Its page shows every day, from any of them.
    page = text(client.get(bookings[1].get_absolute_url()))
    assert page.count("09:00–18:00 · Atelier") == 3
    assert "chaque jour 09:00–18:00" in page and "Annuler toute la réservation" in page
    # « Mes réservations » shows it once.
    mine = text(client.get("/superpublic/mes-reservations/"))
    assert mine.count('class="booking-card"') == 1
    # Cancelling asks, listing the three days, then cancels them all.
    asked = text(client.get(f"/superpublic/reservations/{bookings[0].pk}/annuler/"))
    assert "Ces 3 réservations seront annulées ensemble" in asked
    response = client.post(f"/superpublic/reservations/{bookings[0].pk}/annuler/", follow=True)
    assert "3 réservations annulées" in text(response)
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}


def test_a_taken_day_refuses_the_whole_with_the_next_dates_that_fit(
    client, agent, partner, space, tuesday, django_capture_on_commit_callbacks
):
    wednesday = tuesday + datetime.timedelta(days=1)
    start, end = slot(wednesday, "10:00", "11:00")
    services.booking_create(space=space, user=partner, start=start, end=end, title="x", attendees=2)
    client.force_login(agent)
    response = post(
        client, django_capture_on_commit_callbacks,
        form_data(tuesday, "09:00", "12:00", last_day=wednesday.isoformat()),
    )  # fmt: skip
    assert response.status_code == 400
    page = text(response)
    assert "est déjà pris de 09:00 à 12:00 : rien n'a été réservé." in page
    assert "Créneaux libres les plus proches" in page
    thursday = wednesday + datetime.timedelta(days=1)
    assert (
        f"debut={thursday}T09%3A00&amp;fin={thursday + datetime.timedelta(days=1)}T12%3A00" in page
    )
    assert Booking.objects.count() == 1
    # The suggestion opens the form filled with it: its days and hours.
    form = client.get(
        f"/superpublic/reserver/?espace=atelier&debut={thursday}T09:00&fin={thursday + datetime.timedelta(days=1)}T12:00"
    ).context["form"]
    assert (form.initial["day"], form.initial["last_day"], form.initial["start"], form.initial["end"]) == (
        thursday, thursday + datetime.timedelta(days=1), "09:00", "12:00",
    )  # fmt: skip


def test_a_residency_is_requested_for_ones_organisation_and_waits_for_the_team(
    client, agent, partner, coworking, space, tuesday, django_capture_on_commit_callbacks
):
    client.force_login(partner)
    form = text(client.get("/superpublic/reserver/"))
    assert "une résidence, jour et nuit" in form and "Plateau de co-working" in form
    last = tuesday + datetime.timedelta(days=20)
    data = form_data(
        tuesday, space="co-working", kind="residency", last_day=last.isoformat(), start="", end=""
    )
    response = post(client, django_capture_on_commit_callbacks, data)
    residency = Booking.objects.get()
    assert response["Location"] == residency.get_absolute_url()
    assert (residency.kind, residency.status, residency.resident) == (
        "residency",
        "pending",
        partner.organisation,
    )
    assert (residency.local_start.date(), residency.local_end.date()) == (
        tuesday,
        last + datetime.timedelta(days=1),
    )
    page = text(client.get(residency.get_absolute_url()))
    assert "demande de résidence" in page and partner.organisation.name in page
    assert "inclus" in page
    # Taken: refused, with the next dates where it fits, a residency again.
    client.force_login(agent)
    response = post(client, django_capture_on_commit_callbacks, data)
    assert response.status_code == 400
    assert "nature=residence" in text(response)
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"space": "atelier"}, "n'accueille pas de résidence"),
        ({"last_day": "same"}, "de 2 à 182 jours"),
        ({"last_day": ""}, "Indiquez le dernier jour de la résidence."),
        ({"repeat": "on", "repeat_count": "2"}, "Une résidence ne se répète pas."),
        ({"who": "nobody"}, "au nom d'une organisation"),
    ],
)
def test_a_residency_that_cannot_be_is_explained(
    client, agent, coworking, space, tuesday, django_capture_on_commit_callbacks, change, message
):
    person = UserFactory(email="sans-organisation@exemple.fr") if change.pop("who", None) else agent
    client.force_login(person)
    data = form_data(
        tuesday, space="co-working", kind="residency", start="", end="",
        last_day=(tuesday + datetime.timedelta(days=6)).isoformat(),
    )  # fmt: skip
    data.update(change)
    if data["last_day"] == "same":
        data["last_day"] = tuesday.isoformat()
    response = post(client, django_capture_on_commit_callbacks, data)
    assert response.status_code == 400
    assert message in text(response)
    assert not Booking.objects.exists()


def test_without_a_space_for_residencies_the_form_does_not_offer_them(client, agent, space):
    client.force_login(agent)
    page = text(client.get("/superpublic/reserver/"))
    assert 'name="kind"' not in page and "Votre réservation" in page and "Pour quoi" not in page


# « Mes réservations » -------------------------------------------------------------------------


def test_my_bookings_write_dates_in_words_and_stay_within_budget(
    client, partner, space, django_assert_max_num_queries
):
    first = next_weekday(1, weeks_ahead=1)
    for week in range(8):  # eight three-day bookings and a one-day one
        day = first + datetime.timedelta(weeks=week)
        services.booking_days_create(
            spaces=[space], user=partner, first_day=day, last_day=day + datetime.timedelta(days=2),
            opens=datetime.time(9), closes=datetime.time(12), title=f"Semaine {week}", attendees=4,
        )  # fmt: skip
    start, end = slot(first, "14:00", "16:00")
    services.booking_create(
        space=space, user=partner, start=start, end=end, title="Réunion", attendees=3
    )
    client.force_login(partner)
    with django_assert_max_num_queries(12):
        page = text(client.get("/superpublic/mes-reservations/"))
    assert page.count('class="booking-card"') == 9
    weekday = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][
        first.weekday()
    ]
    month = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre"][first.month - 1]  # fmt: skip
    assert f"{weekday} {first.day} {month} {first.year}, 14:00–16:00" in page
    assert not re.search(r"\b(lun|mar|mer|jeu|ven) \d", page)
    booking = Booking.objects.filter(title="Semaine 0").first()
    with django_assert_max_num_queries(12):
        assert client.get(booking.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/superpublic/reservations/{booking.pk}/annuler/").status_code == 200
