"""Joining, in a browser: from a priority publication's teaser to an application, staff accept
it in the admin, and the agent now downloads the publication; a referent invites a colleague
who joins with one click from the email."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from lab.models import Membership, OutgoingEmail, User
from members.models import Application
from tests.e2e.helpers import admin_save, download, sign_in, sign_in_as_staff, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_join_staff_accept_then_download(page, agent, staff):
    call_command("seed_demo")
    sign_in(page, agent.email)
    page.goto("/publications/cahier-des-intertransfos/")
    assert page.get_by_role("link", name=re.compile(r"\(PDF\)")).count() == 0
    page.get_by_role("main").get_by_role("link", name="Devenir adhérent ou partenaire").click()
    page.wait_for_url(re.compile(r"/adherer/$"))
    page.get_by_role("link", name="Demander l'adhésion").click()
    # The agent's own organisation and contact details come filled in.
    assert page.get_by_label("Votre organisation").input_value() == agent.organisation.name
    page.get_by_label("Type de structure").select_option("departement")
    page.get_by_label("Adhérent").check()
    page.get_by_label("Votre message").fill("Nous voulons accueillir une résidence.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.get_by_text(re.compile("Votre demande est envoyée")).wait_for()
    application = Application.objects.get()
    sign_out(page)

    sign_in_as_staff(page, staff)
    page.goto(f"/admin/members/application/{application.pk}/change/")
    page.get_by_label("Statut").select_option("accepted")
    page.locator("#id_starts").fill(timezone.localdate().strftime("%d/%m/%Y"))
    admin_save(page, "members/application")
    assert Membership.objects.filter(organisation=agent.organisation).exists()
    sign_out(page)

    sign_in(page, agent.email)
    page.goto("/publications/cahier-des-intertransfos/")
    pdf = download(page, re.compile(r"Cahier des InterTransfos \(PDF\)"))
    assert pdf.suggested_filename == "cahier-des-intertransfos.pdf"


def test_a_referent_invites_a_colleague_who_joins_in_one_click(page, referent):
    sign_in(page, referent.email)
    page.goto("/organisation/")
    page.get_by_label("Adresse de votre collègue").fill("collegue@exemple.fr")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.get_by_text(re.compile("Invitation envoyée")).wait_for()
    sign_out(page)
    link = OutgoingEmail.objects.get(template="members/invitation").context["url"]
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_label("Prénom").fill("Lou")
    page.get_by_label(re.compile(r"^Nom\W*$")).fill("Collègue")
    page.get_by_label(re.compile(r"^Mot de passe")).fill("un-long-mot-de-passe-2026")
    page.get_by_role("button", name="Créer mon compte et rejoindre").click()
    page.wait_for_url(re.compile(r"/organisation/$"))
    assert page.get_by_role("cell", name="Lou Collègue").is_visible()
    assert User.objects.get(email="collegue@exemple.fr").organisation == referent.organisation
