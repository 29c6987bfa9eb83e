"""Redis is an optimisation: with it unreachable, every page answers as it would without a cache.

The cache is pointed at a port where nothing listens, whatever REDIS_URL says (machine Redis
or none), and the main pages are walked as each kind of person.
"""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache

from tests.conftest import PASSWORD
from tests.programmes.factories import ProjectFactory
from tests.superpublic.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # released on close: nothing listens there


@pytest.fixture
def redis_down(settings):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "lab.lib.cache.RedisOrMemoryCache",
            "LOCATION": url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    assert cache.get("anything") is None  # the cache answers, with nothing
    assert not cache.redis_reachable
    return url


@pytest.fixture
def content(db):
    project = ProjectFactory(slug="projet-visible", title="Projet visible")
    space = SpaceFactory(slug="atelier", name="Atelier")
    return {"project": project, "space": space}


PUBLIC = [
    "/",
    "/en/",
    "/programmes/",
    "/projets/",
    "/projets/?q=ruralite&status=completed",
    "/projets/projet-visible/",
    "/regions/",
    "/regions/pays-de-la-loire/",
    "/superpublic/",
    "/superpublic/espaces/atelier/",
    "/publications/",
    "/communaute/",
    "/communaute/evenements/",
    "/api/v1/projects/",
    "/api/v1/projects/?format=csv",
    "/api/v1/spaces/atelier/availability/",
    "/mentions-legales/",
]
PERSONAL = [
    "/superpublic/mes-reservations/",
    "/superpublic/reserver/?espace=atelier",
    "/programmes/mes-demandes/",
    "/communaute/mon-profil/",
    "/accounts/email/",
]


@pytest.mark.parametrize("name", ["anonymous", "agent", "partner", "staff"])
def test_every_main_page_answers_with_redis_down(client, users, redis_down, content, name):
    if users[name]:
        client.force_login(users[name])
    for url in PUBLIC + (PERSONAL if users[name] else []):
        response = client.get(url)
        assert response.status_code == 200, url
    if name == "staff":
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/superpublic/booking/").status_code == 200


def test_sign_in_and_sign_out_work_with_redis_down(client, agent, redis_down):
    response = client.post("/accounts/login/", {"login": agent.email, "password": PASSWORD})
    assert response.status_code == 302
    assert agent.first_name in client.get("/").content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert "Se connecter" in client.get("/").content.decode()


def test_healthz_names_redis_when_it_is_down(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "down"
    assert response.json()["database"] == "ok"


def test_failed_sign_ins_are_still_limited_with_redis_down(client, agent, redis_down):
    for _ in range(5):
        client.post("/accounts/login/", {"login": agent.email, "password": "pas-le-bon"})
    response = client.post("/accounts/login/", {"login": agent.email, "password": PASSWORD})
    assert "Trop de tentatives" in response.content.decode()
    assert not response.context["user"].is_authenticated
