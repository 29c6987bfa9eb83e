"""An agent joins the directory; a partner sees more; an event fills up and waitlists."""

import re

import pytest
from django.core.management import call_command

from community.models import Event, Registration
from tests.e2e.helpers import sign_in, sign_out
from tests.lab.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_join_the_directory_see_members_profiles_and_fill_an_event(page, agent, partner):
    call_command("seed_demo")
    sign_in(page, agent.email)
    page.goto("/communaute/mon-profil/")
    page.get_by_label(re.compile(r"^Nom affiché")).fill("Alex Agent du Val-de-Marne")
    page.get_by_label(re.compile(r"^Fonction")).fill("Chargé d'accueil")
    page.get_by_label("Publique : visible de tous").check()
    page.get_by_label(re.compile("J'accepte que ma fiche")).check()
    page.get_by_role("button", name="Enregistrer ma fiche").click()
    page.wait_for_url(re.compile(r"/communaute/alex-agent"))
    page.goto("/communaute/?q=val-de-marne")
    assert page.get_by_role("link", name="Alex Agent du Val-de-Marne").is_visible()
    agent_count = int(re.search(r"(\d+) praticien", page.goto("/communaute/").text()).group(1))
    sign_out(page)

    sign_in(page, partner.email)
    partner_count = int(re.search(r"(\d+) praticien", page.goto("/communaute/").text()).group(1))
    assert partner_count > agent_count  # members-only profiles too

    # The Apéro 27 fills up; the next person is waitlisted.
    apero = Event.objects.get(slug="apero-27")
    Event.objects.filter(pk=apero.pk).update(capacity=1)
    page.goto("/communaute/evenements/apero-27/")
    page.get_by_role("button", name="M'inscrire").click()
    assert page.get_by_text("Vous êtes inscrit.").is_visible()
    sign_out(page)
    latecomer = UserFactory(email="retard@exemple.fr")
    sign_in(page, latecomer.email)
    page.goto("/communaute/evenements/apero-27/")
    page.get_by_role("button", name="Rejoindre la liste d'attente").click()
    assert page.get_by_text(re.compile("vous êtes sur liste d'attente")).first.is_visible()
    assert Registration.objects.get(user=latecomer).status == "waitlisted"
