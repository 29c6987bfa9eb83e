"""Booking Superpublic in the browser: an agent waits for approval, a partner runs a public event."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command

from superpublic.models import Booking
from superpublic.selectors import week_label
from tests.e2e.helpers import book, sign_in, sign_out
from tests.lab.factories import UserFactory
from tests.superpublic.test_services import next_weekday

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_book_with_the_keyboard_get_it_confirmed_and_run_a_public_event(page, agent, partner):
    call_command("seed_demo")
    tuesday = next_weekday(1)
    sign_in(page, agent.email)

    # From the week grid, with the keyboard only, to the prefilled form.
    page.goto(f"/superpublic/espaces/atelier/?semaine={week_label(tuesday)}")
    link = page.get_by_role("link", name=re.compile(rf"Réserver le mardi {tuesday.day} \S+, 14:00"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/superpublic/reserver/\?espace=atelier"))
    book(page, title="Atelier accueil", end="16:00")
    page.wait_for_url(re.compile(r"/superpublic/reservations/\d+/"))
    assert page.get_by_text("En attente de validation").is_visible()
    booking = Booking.objects.get(title="Atelier accueil")
    assert (booking.local_start.hour, booking.local_end.hour, booking.status) == (14, 16, "pending")

    # Staff confirm it in the admin.
    sign_out(page)
    staff = UserFactory(email="equipe@exemple.fr", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    sign_in(page, staff.email, secret=secret)
    page.goto("/admin/superpublic/booking/?status__exact=pending")
    page.get_by_role("checkbox", name=re.compile("Atelier accueil")).check()
    page.locator("select[name=action]").select_option("confirm")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("1 réservation confirmée.").wait_for()
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    sign_out(page)

    # A partner programmes a public event; it shows in the agenda and its feed.
    sign_in(page, partner.email)
    page.goto(f"/superpublic/reserver/?espace=grande-salle&debut={tuesday.isoformat()}T17:00")
    book(
        page,
        title="Remix Public de printemps",
        end="19:00",
        public_description="Agents de toutes administrations, venez remixer.",
    )
    page.wait_for_url(re.compile(r"/superpublic/reservations/\d+/"))
    page.goto("/superpublic/")
    assert page.get_by_text("Remix Public de printemps").is_visible()
    assert "Remix Public de printemps" in page.request.get("/superpublic/agenda.ics").text()

    # The same slot again: refused, with the next free slots to pick from.
    page.goto(f"/superpublic/reserver/?espace=atelier&debut={tuesday.isoformat()}T15:00")
    book(page, title="Doublon")
    assert page.get_by_text("Ce créneau vient d'être pris.").is_visible()
    assert page.get_by_text("Créneaux libres les plus proches").is_visible()
    assert not Booking.objects.filter(title="Doublon").exists()
