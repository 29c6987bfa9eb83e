"""CSRF on every form, security headers, production cookies and HSTS."""

import subprocess
import sys

import pytest
from django.test import Client

from tests.lab.test_settings import PRODUCTION, ROOT
from tests.programmes.factories import ProgrammeFactory
from tests.superpublic.factories import SpaceFactory

pytestmark = pytest.mark.django_db

FORMS_ANONYMOUS = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
FORMS_SIGNED_IN = [
    "/programmes/la-transfo/demander/",
    "/superpublic/reserver/",
    "/communaute/mon-profil/",
    "/accounts/email/",
    "/accounts/password/change/",
]


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("url", FORMS_ANONYMOUS)
def test_anonymous_forms_set_the_cookie_and_refuse_a_post_without_token(csrf_client, url):
    response = csrf_client.get(url)
    assert response.status_code == 200 and "csrftoken" in response.cookies
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert csrf_client.post(url, {"login": "x", "email": "x@exemple.fr"}).status_code == 403


@pytest.mark.parametrize("url", FORMS_SIGNED_IN)
def test_signed_in_forms_set_the_cookie_and_refuse_a_post_without_token(csrf_client, agent, url):
    ProgrammeFactory(slug="la-transfo")
    SpaceFactory(slug="atelier")
    csrf_client.force_login(agent)
    response = csrf_client.get(url)
    assert response.status_code == 200 and "csrftoken" in response.cookies
    assert csrf_client.post(url, {}).status_code == 403


def test_post_only_actions_refuse_a_post_without_token(csrf_client, agent):
    csrf_client.force_login(agent)
    for url in [
        "/superpublic/mes-reservations/flux/",
        "/communaute/mon-profil/supprimer/",
        "/accounts/logout/",
    ]:
        assert csrf_client.post(url).status_code == 403, url


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_sends_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    env = {**PRODUCTION, "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "lab.settings"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "True", "False"]


def test_images_are_checked_by_content_and_size(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from superpublic.models import Space

    space = SpaceFactory(slug="atelier", name="Atelier")
    client.force_login(staff)
    data = {"name": "Atelier", "slug": "atelier", "kind": "workshop", "capacity": "20", "order": "0", "active": "on",
            "opening_hours-TOTAL_FORMS": "0", "opening_hours-INITIAL_FORMS": "0"}  # fmt: skip
    fake = SimpleUploadedFile("photo.jpg", b"MZ not an image at all", content_type="image/jpeg")
    response = client.post(f"/admin/superpublic/space/{space.pk}/change/", {**data, "photo": fake})
    assert response.status_code == 200 and "photo" in response.context["adminform"].form.errors
    big = SimpleUploadedFile(
        "photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/png"
    )
    response = client.post(f"/admin/superpublic/space/{space.pk}/change/", {**data, "photo": big})
    assert response.status_code == 200 and "photo" in response.context["adminform"].form.errors
    assert not Space.objects.get(pk=space.pk).photo
