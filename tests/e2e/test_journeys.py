"""One journey per kind of user, each as a person would do it, end to end in the browser."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.utils import timezone

from community.models import Profile, Registration
from lab.lib.dates import paris_datetime
from programmes.models import Programme, ProgrammeRequest
from publications.models import Publication
from superpublic import services as booking_services
from superpublic.models import Booking, Space
from tests.e2e.helpers import (
    admin_action,
    admin_save,
    ask_for_programme,
    book,
    confirm_email,
    confirm_pending_booking,
    download,
    open_booking_form,
    open_free_slot,
    sign_in,
    sign_in_as_staff,
    sign_up,
    wait_for_booking_page,
)
from tests.programmes.factories import ProgrammeRequestFactory
from tests.superpublic.factories import next_weekday

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.COMMUNITY_POLICY_VERSION = "2026-11"
    call_command("seed_demo")


def test_a_civil_servant(page, demo):
    page.goto("/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Programmes"
    ).click()
    assert page.get_by_role("heading", name="Nos programmes").is_visible()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Projets"
    ).click()
    page.wait_for_function(
        "() => window.htmx !== undefined"
    )  # the filters refresh in place once htmx is there
    page.get_by_label("Région").select_option("pays-de-la-loire")
    page.wait_for_url(re.compile(r"region=pays-de-la-loire"))
    page.get_by_role("link", name=re.compile("La Transfo Pays de la Loire")).click()
    assert page.get_by_role("heading", name=re.compile("La Transfo Pays de la Loire")).is_visible()

    # Sign up, verify the address, and come back signed in.
    sign_up(page, first_name="Inès", last_name="Martin", email="ines.martin@valdemarne.fr")
    confirm_email(page)
    page.wait_for_url(lambda url: "/confirm-email/" not in url)  # the confirmation is done

    # Ask for a programme.
    page.goto("/programmes/territoires-en-residences/")
    page.get_by_role("link", name="Demander ce programme").click()
    ask_for_programme(
        page,
        organisation="Conseil départemental du Val-de-Marne",
        need="Repenser l'accueil de nos maisons des solidarités.",
        start=(timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        end=(timezone.localdate() + datetime.timedelta(days=270)).isoformat(),
        participants="12",
        phone="01 43 99 70 00",
    )

    # Book a room next week, see it pending, cancel it.
    tuesday = next_weekday(1)
    open_free_slot(page, "petite-salle", tuesday, "10:00")
    book(page, title="Entretien usagers", attendees="4")
    wait_for_booking_page(page)
    page.goto("/superpublic/mes-reservations/")
    assert page.get_by_text("En attente de validation").is_visible()
    page.get_by_role("link", name=re.compile("^Annuler")).first.click()
    page.get_by_role("button", name="Oui, annuler").click()
    assert page.get_by_text(re.compile("1 réservation annulée")).is_visible()
    assert Booking.objects.get(title="Entretien usagers").status == "cancelled"
    assert ProgrammeRequest.objects.filter(requester__email="ines.martin@valdemarne.fr").exists()


def test_a_partner(page, demo, partner):
    sign_in(page, partner.email)
    page.goto("/publications/cahier-des-intertransfos/")
    assert download(page, re.compile(r"\(PDF\)")).suggested_filename.endswith(".pdf")

    tuesday = next_weekday(1, weeks_ahead=2)
    open_booking_form(page, "atelier", tuesday, "17:00")
    book(
        page,
        title="Apéro des partenaires",
        end="19:00",
        public_description="Rencontre ouverte entre partenaires et agents.",
    )
    wait_for_booking_page(page)
    page.goto("/superpublic/")
    assert page.get_by_text("Apéro des partenaires").is_visible()

    page.goto("/communaute/evenements/")
    page.get_by_role("link", name="Apéro 27").click()
    page.get_by_role("button", name="M'inscrire").click()
    assert page.get_by_text("Vous êtes inscrit.").is_visible()
    assert Registration.objects.get(user=partner).status == "registered"


def test_staff(page, demo, agent, staff):
    # Something to decide for each step.
    tuesday = next_weekday(1)
    space = Space.objects.get(slug="salle-de-reunion-vacquerie")
    booking = booking_services.booking_create(
        space=space, user=agent, start=paris_datetime(tuesday, datetime.time(9)), end=paris_datetime(tuesday, datetime.time(10)),
        title="Point d'étape", attendees=4,
    )  # fmt: skip
    request = ProgrammeRequestFactory(
        programme=Programme.objects.get(slug="la-transfo"), requester=agent, organisation=None, organisation_name="Val-de-Marne",
        need="Accueil", desired_start=tuesday, desired_end=tuesday + datetime.timedelta(days=60), expected_participants=10,
        phone="0143997000", status=ProgrammeRequest.Status.NEW,
    )  # fmt: skip
    profile = Profile.objects.filter(visibility="public").first()

    sign_in_as_staff(page, staff)
    confirm_pending_booking(page, "Point d'étape")

    page.goto(f"/admin/programmes/programmerequest/{request.pk}/change/")
    page.get_by_label("Statut").select_option("accepted")
    admin_save(page, "programmes/programmerequest")

    priority = Publication.objects.get(slug="cahier-des-intertransfos")
    admin_action(
        page,
        "/admin/publications/publication/?acces=window",
        row="Cahier des InterTransfos",
        action="release_now",
    )
    page.get_by_text("Ouvert à tous.").wait_for()

    admin_action(
        page,
        f"/admin/community/profile/?{urlencode({'q': profile.display_name})}",
        row=profile.display_name.split()[-1],
        action="hide",
    )
    page.get_by_label(re.compile("Motif")).fill("Fiche de test à revoir.")
    page.get_by_role("button", name="Valider").click()
    page.get_by_text(re.compile("Fiches masquées")).wait_for()

    booking.refresh_from_db()
    request.refresh_from_db()
    priority.refresh_from_db()
    profile.refresh_from_db()
    assert booking.status == "confirmed" and request.status == "accepted"
    assert not priority.in_window and profile.hidden_by_staff
