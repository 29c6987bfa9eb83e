"""A civil servant finds projects and asks for a programme; staff accept the request."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from lab.models import Region
from programmes.models import ProgrammeRequest, Project
from tests.e2e.helpers import admin_save, ask_for_programme, sign_in, sign_in_as_staff, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_find_projects_ask_for_a_programme_and_get_it_accepted(page, agent, staff, settings):
    call_command("seed_demo")
    settings.STAFF_NOTIFICATION_EMAILS = ["equipe@la27eregion.fr"]

    page.goto("/projets/?region=pays-de-la-loire")
    assert page.get_by_role("link", name=re.compile("La Transfo Pays de la Loire")).is_visible()

    # Filters refresh the results in place and keep the address shareable.
    page.wait_for_function("() => window.htmx !== undefined")
    # One entry per region of today; Bourgogne-Franche-Comté includes Burgundy's Transfo.
    page.get_by_label("Région").select_option("bourgogne-franche-comte")
    page.wait_for_url(re.compile(r"region=bourgogne-franche-comte"))
    assert page.get_by_role("link", name=re.compile("La Transfo Bourgogne")).is_visible()
    expected = Project.objects.published().in_region(
        Region.objects.get(slug="bourgogne-franche-comte")
    )
    count = expected.count()
    assert page.get_by_text(re.compile(rf"^{count} projets?")).is_visible()

    page.goto("/projets/")
    page.get_by_label("Rechercher un projet").fill("ruralite")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=re.compile("La Transfo Bourgogne")).click()
    page.get_by_role("link", name="La Transfo", exact=True).first.click()
    page.get_by_role("link", name="Demander ce programme").click()

    sign_in(page, agent.email, go_to_login=False)  # asked on the way, then back to the form
    page.wait_for_url(re.compile(r"/programmes/la-transfo/demander/"))
    ask_for_programme(
        page,
        need="Nos agents d'accueil veulent repenser les guichets.",
        start="2027-03-01",
        end="2027-09-30",
        participants="15",
        phone="01 83 62 98 27",
    )
    assert page.get_by_text("Nouvelle", exact=True).is_visible()
    assert any("Nouvelle demande : La Transfo" in m.subject for m in mail.outbox)

    sign_out(page)
    sign_in_as_staff(page, staff)

    request = ProgrammeRequest.objects.get()
    page.goto(f"/admin/programmes/programmerequest/{request.pk}/change/")
    page.get_by_label("Statut").select_option("accepted")
    page.get_by_label("Réponse au demandeur").fill("Nous vous appelons lundi.")
    admin_save(page, "programmes/programmerequest")
    request.refresh_from_db()
    assert request.status == "accepted"
    assert mail.outbox[-1].to == [agent.email] and "Acceptée" in mail.outbox[-1].subject


def test_filters_follow_each_change_and_back_restores_the_whole_page(page):
    call_command("seed_demo")
    page.goto("/projets/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_label("Programme").select_option("la-transfo")
    page.wait_for_url(re.compile(r"programme=la-transfo"))
    # A second change is followed too (the selects are new after each swap).
    page.get_by_label("Région").select_option("pays-de-la-loire")
    page.wait_for_url(
        re.compile(
            r"programme=la-transfo.*region=pays-de-la-loire|region=pays-de-la-loire.*programme=la-transfo"
        )
    )
    page.get_by_role("link", name=re.compile("La Transfo Pays de la Loire")).click()
    page.wait_for_url(re.compile(r"/projets/[\w-]+/$"))
    page.go_back()
    page.wait_for_url(re.compile(r"region=pays-de-la-loire"))
    # The whole page, with its header and styles, not the results fragment alone.
    assert page.get_by_role("banner").is_visible()
    assert page.get_by_role("heading", name="Projets", exact=True).is_visible()
    assert page.get_by_label("Région").input_value() == "pays-de-la-loire"
