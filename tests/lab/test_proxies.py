"""Who the client is behind the proxy: the rate limits count real addresses, not claimed ones.

The proxy (nginx, Caddy) appends the address it saw to X-Forwarded-For; what is further left was
written by the client. With TRUSTED_PROXY_COUNT = 1 the client is the last address of the
header; with 0 (no proxy) the header is ignored.
"""

from __future__ import annotations

import pytest
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the socket's address: the proxy's


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


@pytest.fixture
def three_api_calls_a_minute():
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"}
    yield
    AnonRateThrottle.THROTTLE_RATES = original


def _api(client, forwarded: str | None) -> int:
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.get("/api/v1/themes/", **headers).status_code


def test_a_spoofed_header_does_not_escape_the_api_throttle_behind_the_proxy(
    client, behind_one_proxy, three_api_calls_a_minute
):
    codes = [_api(client, f"198.51.100.{i}, 203.0.113.7") for i in range(5)]
    assert codes[:3] == [200] * 3 and codes[3:] == [429, 429]
    # Another real client, one the proxy saw, is not held back.
    assert _api(client, "203.0.113.8") == 200


def test_without_a_proxy_the_header_is_ignored(client, three_api_calls_a_minute):
    codes = [_api(client, f"198.51.100.{i}") for i in range(5)]
    assert codes[3:] == [429, 429]


def _login(client, email: str, password: str, forwarded: str):
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_failed_logins_from_one_client_do_not_lock_others_out(client, agent, behind_one_proxy):
    for i in range(12):  # other addresses each time: only the per-address limit applies
        _login(client, f"inconnu{i}@exemple.fr", "mauvais", f"198.51.100.{i}, 203.0.113.7")
    blocked = _login(client, agent.email, PASSWORD, "203.0.113.7")
    assert "Trop de tentatives" in blocked.content.decode()
    # Someone else, behind the same proxy, signs in.
    response = _login(client, agent.email, PASSWORD, "203.0.113.99")
    assert response.status_code == 302
