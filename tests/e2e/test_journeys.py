"""One journey per kind of user, each as a person would do it, end to end in the browser."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from community.models import Profile, Registration
from lab.lib.dates import paris_datetime
from programmes.models import Programme, ProgrammeRequest
from publications.models import Publication
from superpublic import services as booking_services
from superpublic.models import Booking, Space
from superpublic.selectors import week_label
from tests.conftest import PASSWORD
from tests.e2e.helpers import book, sign_in
from tests.lab.factories import UserFactory
from tests.superpublic.test_services import next_weekday

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
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Martin")
    page.get_by_label("Courriel").fill("ines.martin@valdemarne.fr")
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(lambda url: "/confirm-email/" not in url)  # the confirmation is done

    # Ask for a programme.
    page.goto("/programmes/territoires-en-residences/")
    page.get_by_role("link", name="Demander ce programme").click()
    page.get_by_label("Votre organisation").fill("Conseil départemental du Val-de-Marne")
    page.get_by_label("Votre besoin, avec vos mots").fill(
        "Repenser l'accueil de nos maisons des solidarités."
    )
    page.get_by_label("Début souhaité").fill(
        (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    )
    page.get_by_label("Fin souhaitée").fill(
        (timezone.localdate() + datetime.timedelta(days=270)).isoformat()
    )
    page.get_by_label("Nombre de participants attendus").fill("12")
    page.get_by_label("Téléphone").fill("01 43 99 70 00")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url(re.compile(r"/programmes/mes-demandes/"))

    # Book a room next week, see it pending, cancel it.
    tuesday = next_weekday(1)
    page.goto(f"/superpublic/espaces/petite-salle/?semaine={week_label(tuesday)}")
    page.get_by_role(
        "link", name=re.compile(rf"Réserver le mardi {tuesday.day} \S+, 10:00")
    ).click()
    book(page, title="Entretien usagers", attendees="4")
    page.wait_for_url(re.compile(r"/superpublic/reservations/\d+/"))
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
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"\(PDF\)")).click()
    assert download.value.suggested_filename.endswith(".pdf")

    tuesday = next_weekday(1, weeks_ahead=2)
    page.goto(f"/superpublic/reserver/?espace=atelier&debut={tuesday.isoformat()}T17:00")
    book(
        page,
        title="Apéro des partenaires",
        end="19:00",
        public_description="Rencontre ouverte entre partenaires et agents.",
    )
    page.wait_for_url(re.compile(r"/superpublic/reservations/\d+/"))
    page.goto("/superpublic/")
    assert page.get_by_text("Apéro des partenaires").is_visible()

    page.goto("/communaute/evenements/")
    page.get_by_role("link", name="Apéro 27").click()
    page.get_by_role("button", name="M'inscrire").click()
    assert page.get_by_text("Vous êtes inscrit.").is_visible()
    assert Registration.objects.get(user=partner).status == "registered"


def test_staff(page, demo, agent):
    staff = UserFactory(
        email="equipe@exemple.fr", first_name="Camille", is_staff=True, is_superuser=True
    )
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    # Something to decide for each step.
    tuesday = next_weekday(1)
    space = Space.objects.get(slug="salle-de-reunion-vacquerie")
    booking = booking_services.booking_create(
        space=space, user=agent, start=paris_datetime(tuesday, datetime.time(9)), end=paris_datetime(tuesday, datetime.time(10)),
        title="Point d'étape", attendees=4,
    )  # fmt: skip
    request = ProgrammeRequest.objects.create(
        programme=Programme.objects.get(slug="la-transfo"), requester=agent, organisation_name="Val-de-Marne", need="Accueil", desired_start=tuesday,
        desired_end=tuesday + datetime.timedelta(days=60), expected_participants=10, phone="0143997000",
    )  # fmt: skip
    profile = Profile.objects.filter(visibility="public").first()

    sign_in(page, staff.email, secret=secret)
    page.goto("/admin/superpublic/booking/?status__exact=pending")
    page.get_by_role("checkbox", name=re.compile("Point d'étape")).check()
    page.locator("select[name=action]").select_option("confirm")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("1 réservation confirmée.").wait_for()

    page.goto(f"/admin/programmes/programmerequest/{request.pk}/change/")
    page.get_by_label("Statut").select_option("accepted")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/programmes/programmerequest/$"))

    priority = Publication.objects.get(slug="cahier-des-intertransfos")
    page.goto("/admin/publications/publication/?acces=window")
    page.get_by_role("checkbox", name=re.compile("Cahier des InterTransfos")).check()
    page.locator("select[name=action]").select_option("release_now")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Ouvert à tous.").wait_for()

    page.goto(f"/admin/community/profile/?{urlencode({'q': profile.display_name})}")
    page.get_by_role("checkbox", name=re.compile(profile.display_name.split()[-1])).check()
    page.locator("select[name=action]").select_option("hide")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_label(re.compile("Motif")).fill("Fiche de test à revoir.")
    page.get_by_role("button", name="Valider").click()
    page.get_by_text(re.compile("Fiches masquées")).wait_for()

    booking.refresh_from_db()
    request.refresh_from_db()
    priority.refresh_from_db()
    profile.refresh_from_db()
    assert booking.status == "confirmed" and request.status == "accepted"
    assert not priority.in_window and profile.hidden_by_staff
