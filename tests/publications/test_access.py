"""The priority window: who reads and downloads what, the teaser, the boundary minute, staff's
preview, unknown addresses."""

import datetime

import pytest
import time_machine

from publications.permissions import publication_access
from tests.publications.factories import NOW, RELEASE

pytestmark = pytest.mark.django_db


READ = {
    # user: (draft, window, public) -> may read
    "anonymous": (False, False, True),
    "agent": (False, False, True),
    "partner": (False, True, True),
    "lapsed": (False, False, True),
    "co_editor": (False, True, True),
    "staff": (True, True, True),
}


@pytest.fixture
def everyone(users, co_editor):
    return {**users, "co_editor": co_editor}


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", list(READ))
def test_the_access_matrix(client, catalogue, everyone, who):
    user = everyone[who]
    if user:
        client.force_login(user)
    for index, state in enumerate(["draft", "window", "public"]):
        publication = catalogue[state]
        may_read = READ[who][index]
        rights = publication_access(publication, user)
        assert rights.read is may_read and rights.download is may_read, (who, state)
        detail = client.get(f"/publications/{publication.slug}/")
        if state == "draft" and not may_read:
            assert detail.status_code == 404
        else:
            assert detail.status_code == 200
            body = detail.content.decode()
            assert f"Résumé {publication.slug}" in body  # the teaser, for everyone
            assert (f"Corps {publication.slug}" in body) is may_read
        file = publication.files.get()
        download = client.get(f"/publications/{publication.slug}/fichiers/{file.pk}/")
        if may_read:
            assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
            assert b"".join(download.streaming_content).startswith(b"%PDF-")
        else:
            assert download.status_code in {302, 404}
            assert not hasattr(download, "streaming_content")
    listed = {p.slug for p, _rights in client.get("/publications/").context["items"]}
    assert listed == ({"avant-premiere", "ouverte"} | ({"brouillon"} if who == "staff" else set()))


@time_machine.travel(NOW, tick=False)
def test_the_teaser_says_until_when(client, catalogue, agent):
    client.force_login(agent)
    body = client.get("/publications/avant-premiere/").content.decode()
    assert "accès prioritaire adhérents et partenaires jusqu'au 22 décembre 2026" in body
    assert "Prévenez-moi à la sortie" in body


def test_the_window_closes_on_the_minute(client, catalogue, agent):
    file = catalogue["window"].files.get()
    url = f"/publications/avant-premiere/fichiers/{file.pk}/"
    with time_machine.travel(RELEASE - datetime.timedelta(seconds=1), tick=False):
        client.force_login(agent)  # sessions expire: sign in at the travelled time
        assert client.get(url).status_code == 404
        assert client.get("/publications/avant-premiere/")["Cache-Control"] == "private, no-store"
    with time_machine.travel(RELEASE, tick=False):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, max-age=3600"


def test_staff_preview_as_the_public(client, staff, catalogue):
    client.force_login(staff)
    with time_machine.travel(NOW, tick=False):
        body = client.get("/publications/avant-premiere/?apercu=public").content.decode()
    assert "Comment y accéder" in body and "Corps avant-premiere" not in body


@pytest.mark.parametrize("url", ["/publications/inconnue/", "/publications/inconnue/fichiers/1/"])
def test_unknown_slugs_and_files_are_404(client, url):
    assert client.get(url).status_code == 404
