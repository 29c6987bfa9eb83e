"""A partner downloads the priority publication; an agent sees the teaser and asks to be told."""

import re

import pytest
from django.core.management import call_command

from publications.models import Publication, ReleaseAlert
from tests.e2e.helpers import download, sign_in, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_priority_publication_for_partners_teaser_for_others(page, partner, agent):
    call_command("seed_demo")
    priority = Publication.objects.get(slug="cahier-des-intertransfos")

    sign_in(page, partner.email)
    page.goto("/publications/")
    page.get_by_role("link", name="Cahier des InterTransfos").click()
    pdf = download(page, re.compile(r"Cahier des InterTransfos \(PDF\)"))
    assert pdf.suggested_filename == "cahier-des-intertransfos.pdf"
    assert priority.files.get().downloads == 1

    sign_out(page)
    sign_in(page, agent.email)
    page.goto("/publications/cahier-des-intertransfos/")
    assert page.get_by_text(
        re.compile("accès prioritaire adhérents et partenaires jusqu'au")
    ).first.is_visible()
    assert page.get_by_role("link", name=re.compile(r"\(PDF\)")).count() == 0
    page.get_by_role("button", name="Prévenez-moi à la sortie").click()
    assert page.get_by_text("Nous vous préviendrons à la sortie.").first.is_visible()
    assert ReleaseAlert.objects.filter(user=agent, publication=priority).exists()

    feed = page.request.get("/publications/feed/").text()
    assert "Chantiers ouverts au public" in feed and "InterTransfos" not in feed
