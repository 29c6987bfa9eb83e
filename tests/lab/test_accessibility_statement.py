"""The accessibility statement (RGAA model) at /accessibilite/, and the footer's link to it."""

import re

import pytest

from lab.lib.typography import french_text

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_statement_follows_the_rgaa_model_in_french(client):
    response = client.get("/accessibilite/")
    assert response.status_code == 200
    body = text_of(response.content.decode())
    for part in [
        "Déclaration d'accessibilité",
        "La 27e Région, laboratoire de transformation publique",  # the entity
        "article 47 de la loi n° 2005-102",
        "est non conforme avec le référentiel",  # the conformity state…
        "aucun audit n'a encore mesuré son taux de conformité",  # …and why
        "ne remplacent pas un audit complet",
        "aucun taux de conformité",
        "axe-core",
        "1280 pixels",
        "390 pixels",
        "au clavier seul",
        "Contenus non accessibles",
        "Le plan de Superpublic est un dessin",
        "Les fichiers des publications (PDF) n'ont pas été vérifiés",
        "Cette déclaration a été établie le 22 novembre 2026",
        "Technologies utilisées",
        "Retour d'information et contact",
        "4 rue la Vacquerie",  # the site's contact route: the lab's address and phone
        "+33 1 83 62 98 27",
        "Voies de recours",
        "Défenseur des droits",
        "formulaire",
        "délégués",
        "Libre réponse 71120",
        "75342 Paris CEDEX 07",
    ]:
        assert french_text(part) in body, part
    # Without an audit the RGAA model allows no other state.
    assert "partiellement conforme" not in body and "totalement conforme" not in body


def test_the_statement_answers_in_english(client):
    response = client.get("/en/accessibilite/")
    assert response.status_code == 200
    body = text_of(response.content.decode())
    for part in [
        "Accessibility statement",
        "non-compliant",
        "no audit has yet measured its compliance rate",
        "Known non-compliance",
        "Libre réponse 71120",
    ]:
        assert part in body, part


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("/", '<a href="/accessibilite/">Accessibilité : non conforme</a>'),
        ("/superpublic/", '<a href="/accessibilite/">Accessibilité : non conforme</a>'),
        ("/en/", '<a href="/en/accessibilite/">Accessibility: non-compliant</a>'),
    ],
)
def test_every_page_footer_links_to_the_statement_with_its_state(client, page, link):
    html = client.get(page).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert french_text(link) in footer


def test_the_statement_is_in_the_sitemap(client):
    assert "/accessibilite/</loc>" in client.get("/sitemap.xml").content.decode()
