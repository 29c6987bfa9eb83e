"""Issue #14: teasers stay teasers. A publication in its priority window shows its teaser
(title, subtitle, cover, summary) to whoever may not read it yet, in every channel: its
files, the search, the API, the page's metadata."""

from __future__ import annotations

import datetime
import json
import re

import pytest
import time_machine

from tests.lab.factories import OrganisationFactory, UserFactory
from tests.publications.factories import PublicationFactory

NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC)
RELEASE = NOW + datetime.timedelta(days=30)

pytestmark = pytest.mark.django_db

# Words found only beyond the teaser of the priority publication.
SECRETS = {
    "body": "Le zeppelin municipal décolle au printemps.",
    "authors": "Hortense Clairvoyante",
    "publisher": "Éditions Souterraines",
    "isbn": "978-2-11-009932-7",
    "external_url": "https://exemple.fr/film-secret",
}
MAY_READ = {
    "anonymous": False,
    "agent": False,
    "lapsed": False,
    "partner": True,
    "co_editor": True,
    "staff": True,
}


@pytest.fixture
def co_editor(db):
    organisation = OrganisationFactory(name="Ville coéditrice", slug="ville-coed", kind="city")
    return UserFactory(email="coeditrice@exemple.fr", organisation=organisation)


@pytest.fixture
def reader(request):
    """The person named by the test's `who`, and only them (each account costs a hash)."""
    who = request.node.callspec.params["who"]
    return None if who == "anonymous" else request.getfixturevalue(who)


@pytest.fixture
def priority(co_editor):
    with time_machine.travel(NOW, tick=False):
        publication = PublicationFactory(
            slug="avant-premiere",
            public_from=RELEASE,
            title="Les communs en fenêtre",
            subtitle="Un cahier prospectif",
            summary="Ce que les régions ont appris des tiers-lieux.",
            licence="CC BY-SA 4.0",
            **SECRETS,
        )
        publication.co_editors.add(co_editor.organisation)
        # A public one with the same hidden word in its body: the search must still find it.
        PublicationFactory(slug="ouverte", title="Zeppelins d'hier", body="Le zeppelin de 1910.")
    return publication


def sign_in(client, reader):
    if reader is not None:
        client.force_login(reader)


def comparable(response, path: str) -> tuple[str, dict]:
    """Body and headers without what depends on the address asked or changes at each request."""
    body = response.content.decode().replace(path, "PATH")
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    headers = {k: v for k, v in response.headers.items() if k not in {"Content-Length"}}
    return body, headers


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", list(MAY_READ))
def test_a_priority_file_answers_exactly_as_a_file_that_does_not_exist(
    client, reader, priority, who
):
    sign_in(client, reader)
    file = priority.files.get()
    real = client.get(f"/publications/avant-premiere/fichiers/{file.pk}/")
    if MAY_READ[who]:
        assert real.status_code == 200
        return
    missing_id = file.pk + 1000
    missing = client.get(f"/publications/avant-premiere/fichiers/{missing_id}/")
    assert real.status_code == missing.status_code == 404
    assert [t.name for t in real.templates] == [t.name for t in missing.templates]
    assert comparable(real, f"/fichiers/{file.pk}/") == comparable(
        missing, f"/fichiers/{missing_id}/"
    )
    # The way in for members: the publication's page, which says how to get access.
    body = real.content.decode()
    assert 'href="/publications/avant-premiere/"' in body and "Fichier introuvable" in body
    assert ("Connectez-vous" in body) is (who == "anonymous")


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", list(MAY_READ))
@pytest.mark.parametrize("where", ["/publications/", "/api/v1/publications/"])
def test_the_search_reads_only_the_teaser_of_what_one_may_not_read(
    client, reader, priority, who, where
):
    sign_in(client, reader)

    def found(q: str) -> set[str]:
        response = client.get(where, {"q": q})
        assert response.status_code == 200
        if where.startswith("/api/"):
            return {item["slug"] for item in response.json()["results"]}
        return {publication.slug for publication, _rights in response.context["items"]}

    may_read = MAY_READ[who]
    # The teaser is searched for everyone.
    assert found("communs") == {"avant-premiere"}
    assert found("prospectif") == {"avant-premiere"}
    assert found("tiers-lieux") == {"avant-premiere"}
    # A word of the hidden body or authors finds it only for those who may read it…
    assert found("zeppelin") == ({"avant-premiere", "ouverte"} if may_read else {"ouverte"})
    assert found("Clairvoyante") == ({"avant-premiere"} if may_read else set())
    # …and excluding it says nothing either.
    assert found("communs -zeppelin") == (set() if may_read else {"avant-premiere"})


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", list(MAY_READ))
def test_the_api_shows_only_the_teaser_of_what_one_may_not_read(client, reader, priority, who):
    sign_in(client, reader)
    listed = client.get("/api/v1/publications/").json()["results"]
    detail = client.get("/api/v1/publications/avant-premiere/").json()
    csv = client.get("/api/v1/publications/", {"format": "csv"}).content.decode()
    item = next(item for item in listed if item["slug"] == "avant-premiere")
    assert item == detail
    assert (item["title"], item["subtitle"], item["summary"]) == (
        "Les communs en fenêtre",
        "Un cahier prospectif",
        "Ce que les régions ont appris des tiers-lieux.",
    )
    assert item["access"] == "priority" and item["public_from"]
    if MAY_READ[who]:
        assert {field: item[field] for field in SECRETS} == SECRETS
        assert item["licence"] == "CC BY-SA 4.0" and item["files"]
    else:
        assert all(item[field] == "" for field in [*SECRETS, "licence"])
        assert item["files"] == []
        for secret in [*SECRETS.values(), "zeppelin municipal"]:
            assert secret not in json.dumps(listed, ensure_ascii=False) and secret not in csv


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", list(MAY_READ))
def test_the_page_and_its_metadata_show_only_the_teaser_of_what_one_may_not_read(
    client, reader, priority, who
):
    sign_in(client, reader)
    page = client.get("/publications/avant-premiere/").content.decode()
    metadata = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert metadata["name"] == "Les communs en fenêtre"
    assert metadata["abstract"] == "Ce que les régions ont appris des tiers-lieux."
    assert metadata["isAccessibleForFree"] is False
    if MAY_READ[who]:
        assert metadata["author"] == "Hortense Clairvoyante"
        assert metadata["publisher"] == "Éditions Souterraines"
    else:
        assert not {"author", "publisher", "license"} & set(metadata)
        for secret in [*SECRETS.values(), "zeppelin"]:
            assert secret not in page, secret


def test_once_public_everything_shows_to_everyone(client, priority):
    with time_machine.travel(RELEASE + datetime.timedelta(minutes=1), tick=False):
        item = client.get("/api/v1/publications/avant-premiere/").json()
        assert {field: item[field] for field in SECRETS} == SECRETS
        found = client.get("/api/v1/publications/", {"q": "zeppelin"}).json()["results"]
        assert {p["slug"] for p in found} == {"avant-premiere", "ouverte"}
        file = priority.files.get()
        assert client.get(f"/publications/avant-premiere/fichiers/{file.pk}/").status_code == 200


@time_machine.travel(NOW, tick=False)
def test_kept_search_results_never_pass_from_a_reader_to_one_who_may_not_read(
    client, priority, partner, agent
):
    """The list's results are kept for a minute: never across what people may open."""

    def found(who) -> str:
        client.logout()
        if who is not None:
            client.force_login(who)
        return client.get("/publications/", {"q": "zeppelin"}).content.decode()

    assert "/publications/avant-premiere/" in found(partner)
    assert "/publications/avant-premiere/" not in found(agent)
    assert "/publications/avant-premiere/" not in found(None)
    assert "/publications/avant-premiere/" in found(partner)
