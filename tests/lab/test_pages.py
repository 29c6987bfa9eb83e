import pytest

from lab.lib.typography import french_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/", "Le laboratoire en chiffres"),
        ("/mentions-legales/", "4 rue la Vacquerie"),
        ("/accessibilite/", "Défenseur des droits"),
        ("/donnees-personnelles/", "Vos droits"),
        ("/en/", "The lab in figures"),
        ("/en/accessibilite/", "Accessibility statement"),
        ("/en/donnees-personnelles/", "Your rights"),
    ],
)
def test_public_pages_answer_in_their_language(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_the_home_page_shows_member_regions_and_figures(client, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    body = _text(client.get("/").content.decode())
    for figure in map(french_text, ["50 %", "15 → 70", "2008", "9 conseils régionaux"]):
        assert figure in body
    # Today's member region (the founding nine's memberships ended with the 2016 reform), and
    # the founding years' figure.
    assert "Pays de la Loire" in body  # the one council still a member after the 2016 reform


def test_every_home_figure_follows_the_data(client, settings, staff):
    """Change the data, see the figures change: none of them is typed into the page."""
    from django.core.cache import cache
    from django.core.management import call_command

    from community.attendance import registration_mark_attended
    from community.models import Event
    from programmes.models import Project
    from tests.community.factories import RegistrationFactory

    settings.DEBUG = True
    call_command("seed_demo")
    body = _text(client.get("/").content.decode())
    assert french_text("7 éditions de Territoires en résidences") in body
    assert french_text("15 → 70") in body and french_text("50 %") in body
    trained = _trained(body)

    Project.objects.filter(slug="la-transfo-pays-de-la-loire").update(
        participants=15, network_size=30, ideas_generated=8, ideas_implemented=2
    )
    Project.objects.filter(slug="residence-ville-de-paris-accueil-mairie").update(published=False)
    training = Event.objects.filter(kind="training").first()
    registration_mark_attended(
        registration=RegistrationFactory(event=training), attended=True, by=staff
    )
    cache.clear()  # the page's shared copy for visitors (a minute at most in production)
    body = _text(client.get("/").content.decode())
    assert french_text("6 éditions de Territoires en résidences") in body
    assert french_text("30 → 100") in body  # (15 + 15) agents grown into (70 + 30)
    assert french_text("40 %") in body  # (6 + 2) implemented of (12 + 8)
    assert _trained(body) == trained + 1


def _text(html: str) -> str:
    """What a reader sees: the page without its tags, its spaces collapsed."""
    import re

    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", "", html))  # keeps no-break spaces


def _trained(body: str) -> int:
    import re

    match = re.search(r"(\d[\d  ]*) agents formés sur", body)
    return int(re.sub(r"\D", "", match.group(1)))


def test_the_home_page_stays_within_its_query_budget(
    client, settings, django_assert_max_num_queries
):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")  # programmes, projects, publications, public events, members
    # Programmes, the agenda, the latest projects, the latest publications, member regions,
    # partners: one query each; the figures: editions per programme, the projects' sums, the
    # training progress and the councils ever members (one each).
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_the_layout_has_a_skip_link_a_language_switch_and_the_footer(client):
    body = client.get("/").content.decode()
    assert '<a class="skip-link" href="#contenu">' in body
    assert 'id="contenu"' in body
    assert 'href="/en/"' in body and 'hreflang="en"' in body
    for url in ["/mentions-legales/", "/accessibilite/", "/donnees-personnelles/"]:
        assert f'href="{url}"' in body


def test_the_language_switch_keeps_the_query_string(client):
    body = client.get("/projets/", {"q": "lycée", "status": "ongoing"}).content.decode()
    assert 'href="/en/projets/?q=lyc%C3%A9e&amp;status=ongoing"' in body
    body = client.get("/en/projets/", {"page": "2"}).content.decode()
    assert 'href="/projets/?page=2"' in body


def test_the_account_menu_follows_the_user(client, agent, staff):
    assert "Se connecter" in client.get("/").content.decode()
    client.force_login(agent)
    body = client.get("/").content.decode()
    assert "Se déconnecter" in body and "Administration" not in body
    client.force_login(staff)
    assert "Administration" in client.get("/").content.decode()


def test_an_unknown_page_is_a_404_in_the_layout(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_security_headers_are_sent(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_every_french_string_has_an_english_translation():
    from pathlib import Path

    import polib

    po = polib.pofile(Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po")
    assert not [entry.msgid for entry in po.untranslated_entries()]
    assert not [entry.msgid for entry in po.fuzzy_entries()]
