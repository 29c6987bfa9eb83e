"""Booking Superpublic in the browser: an agent waits for approval, a partner runs a public event."""

import datetime
import re

import pytest
from django.core.management import call_command

from superpublic.models import Booking
from tests.e2e.helpers import (
    book,
    confirm_pending_booking,
    open_booking_form,
    open_free_slot,
    sign_in,
    sign_in_as_staff,
    sign_out,
    wait_for_booking_page,
)
from tests.superpublic.factories import next_weekday

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_book_with_the_keyboard_get_it_confirmed_and_run_a_public_event(
    page, agent, partner, staff
):
    call_command("seed_demo")
    tuesday = next_weekday(1)
    sign_in(page, agent.email)

    # From the week grid, with the keyboard only, to the prefilled form.
    open_free_slot(page, "atelier", tuesday, "14:00", keyboard=True)
    page.wait_for_url(re.compile(r"/superpublic/reserver/\?espace=atelier"))
    book(page, title="Atelier accueil", end="16:00")
    wait_for_booking_page(page)
    assert page.get_by_text("En attente de validation").is_visible()
    booking = Booking.objects.get(title="Atelier accueil")
    assert (booking.local_start.hour, booking.local_end.hour, booking.status) == (14, 16, "pending")

    # Staff confirm it in the admin.
    sign_out(page)
    sign_in_as_staff(page, staff)
    confirm_pending_booking(page, "Atelier accueil")
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    sign_out(page)

    # A partner programmes a public event; it shows in the agenda and its feed.
    sign_in(page, partner.email)
    open_booking_form(page, "grande-salle", tuesday, "17:00")
    book(
        page,
        title="Remix Public de printemps",
        end="19:00",
        public_description="Agents de toutes administrations, venez remixer.",
    )
    wait_for_booking_page(page)
    page.goto("/superpublic/")
    assert page.get_by_text("Remix Public de printemps").is_visible()
    assert "Remix Public de printemps" in page.request.get("/superpublic/agenda.ics").text()

    # The same slot again: refused, with the next free slots to pick from.
    open_booking_form(page, "atelier", tuesday, "15:00")
    book(page, title="Doublon")
    assert page.get_by_text("Ce créneau vient d'être pris.").is_visible()
    assert page.get_by_text("Créneaux libres les plus proches").is_visible()
    assert not Booking.objects.filter(title="Doublon").exists()


def test_the_form_follows_the_day_then_the_booking_is_cancelled_after_a_confirmation(page, agent):
    from superpublic.models import OpeningHours
    from tests.superpublic.factories import SpaceFactory

    space = SpaceFactory(slug="atelier", name="Atelier", capacity=25)
    SpaceFactory(slug="co-working", name="Plateau de co-working", allows_residency=True)
    OpeningHours.objects.filter(space=space, weekday=0).update(opens="10:00", closes="12:30")
    tuesday = next_weekday(1)
    sign_in(page, agent.email)
    open_free_slot(page, "atelier", tuesday, "14:00")
    start, end = page.get_by_label(re.compile(r"^Début")), page.get_by_label(re.compile(r"^Fin"))
    options = "el => Array.from(el.options, o => o.value)"
    assert start.evaluate(options) == [f"{h:02d}:{m:02d}" for h in range(9, 19) for m in (0, 30)]
    assert (start.input_value(), end.input_value()) == ("14:00", "15:00")
    # Monday, when the room opens 10:00 to 12:30: the menus follow at once.
    page.get_by_label(re.compile(r"^Date\W*$")).fill(f"{tuesday - datetime.timedelta(days=1)}")
    page.get_by_label(re.compile(r"^Date\W*$")).dispatch_event("change")
    assert start.evaluate(options) == ["10:00", "10:30", "11:00", "11:30", "12:00"]
    assert end.evaluate(options)[-1] == "12:30" and end.input_value() > start.input_value()
    page.get_by_label(re.compile(r"^Date\W*$")).fill(f"{tuesday}")
    page.get_by_label(re.compile(r"^Date\W*$")).dispatch_event("change")
    # A residency needs no hours: they hide, and come back.
    page.get_by_label("une résidence, jour et nuit").check()
    assert not start.is_visible()
    page.get_by_label("une réservation, sur un ou plusieurs jours").check()
    assert start.is_visible()
    start.select_option("14:00")
    book(page, title="Atelier accueil", end="16:00")

    # The booking's page: the message, its status and what comes next.
    page.wait_for_url(re.compile(r"/superpublic/reservations/\d+/$"))
    assert page.get_by_text(re.compile("Demande enregistrée")).is_visible()
    assert page.get_by_text("En attente de validation").first.is_visible()
    assert page.get_by_role("heading", name="Et maintenant ?").is_visible()

    # Cancelling asks first, then says what it did.
    page.get_by_role("link", name="Annuler cette réservation").click()
    page.wait_for_url(re.compile(r"/annuler/$"))
    assert Booking.objects.get().status == "pending"
    page.get_by_role("button", name="Oui, annuler").click()
    page.wait_for_url(re.compile(r"/superpublic/mes-reservations/$"))
    assert page.get_by_text(re.compile("1 réservation annulée")).is_visible()
    assert page.get_by_text("Aucune réservation à venir.").is_visible()
    assert Booking.objects.get().status == "cancelled"
