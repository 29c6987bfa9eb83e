"""One notion of event in the browser: a partner's public booking is an event of the events page,
at the same times as in the Superpublic agenda, and people register for it."""

import pytest
from django.core.management import call_command

from community.models import Event, Registration
from tests.e2e.helpers import book, open_booking_form, sign_in, sign_out, wait_for_booking_page
from tests.superpublic.factories import next_weekday

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_partners_public_booking_is_an_event_people_register_for(page, partner, agent):
    call_command("seed_demo")
    wednesday = next_weekday(2)
    sign_in(page, partner.email)
    open_booking_form(page, "atelier", wednesday, "14:00")
    book(
        page,
        title="Prototypes ouverts des Pays de la Loire",
        end="16:30",
        attendees="20",
        public_description="Venez essayer les prototypes de l'accueil des usagers.",
    )
    wait_for_booking_page(page)
    sign_out(page)

    # In the agenda, linked to its page; on the events page at the same times.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/superpublic/")
    entry = page.locator(".agenda li", has_text="Prototypes ouverts")
    agenda_times = entry.locator("time").evaluate_all("els => els.map(e => e.dateTime)")
    sign_in(page, agent.email)
    page.goto("/communaute/evenements/")
    listed = page.locator(".agenda li", has_text="Prototypes ouverts")
    assert listed.get_by_text("Atelier, Superpublic").is_visible()
    assert listed.locator("time").evaluate_all("els => els.map(e => e.dateTime)") == agenda_times
    listed.get_by_role("link", name="Prototypes ouverts des Pays de la Loire").click()
    page.get_by_role("heading", name="Prototypes ouverts des Pays de la Loire").wait_for()
    assert page.get_by_text("Atelier, Superpublic, 4 rue la Vacquerie").is_visible()
    page.get_by_role("button", name="M'inscrire").click()
    page.get_by_text("Vous êtes inscrit").wait_for()
    event = Event.objects.get(title="Prototypes ouverts des Pays de la Loire")
    assert Registration.objects.get(event=event).user == agent
    assert [t.split("+")[0][:16] for t in agenda_times] == [
        f"{wednesday.isoformat()}T14:00",
        f"{wednesday.isoformat()}T16:30",
    ]
