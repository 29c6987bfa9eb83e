import pytest

pytestmark = pytest.mark.django_db


def test_healthy_without_a_broker_configured(client, settings):
    settings.CELERY_BROKER_URL = None
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.redis
def test_healthy_with_redis_up(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_unavailable_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down", "status": "unavailable"}


def test_only_reads_are_allowed(client):
    assert client.post("/healthz").status_code == 405
