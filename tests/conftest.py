"""Shared fixtures: one reusable set of users and the real services."""

from __future__ import annotations

import datetime
import os
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.cache import cache
from django.utils import timezone

from lab.celery import app as celery_app
from tests.lab.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.members.factories import ReferentFactory

PASSWORD = "un-mot-de-passe-solide"


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now (the current 30 s step)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(what: str, reason: str):
    """Skip a test that needs a missing service, except in CI where it must fail."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI: {reason}")
    pytest.skip(f"{what} unavailable: {reason}")


@pytest.fixture(autouse=True)
def _isolated_storage_and_cache(settings, tmp_path, worker_id):
    """Uploaded files go to a temporary folder; each test starts with an empty cache."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Keep the test's keys apart from a developer's server sharing the same Redis.
    caches = {name: {**config} for name, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"test-{worker_id}"
    settings.CACHES = caches
    cache.clear()  # this prefix only (lab/lib/cache.py)
    yield


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in the site's default language: a request to an /en/ page leaves English
    active in its thread, and a later test's reverse() would then build /en/ addresses."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _regions_are_there(request):
    """Regions come from a data migration, and a transactional test's flush removes them."""
    if "_django_db_helper" not in request.fixturenames:
        return
    request.getfixturevalue("_django_db_helper")
    from lab.models import Region
    from lab.regions import ensure_regions

    try:
        if Region.objects.count() < 40:
            ensure_regions(Region)
    except RuntimeError:  # a test without database access
        return


def reset_celery_connections() -> None:
    """After the broker changed (or a test worker stopped and closed the pools): new pools."""
    from kombu import pools

    pools.reset()  # kombu keeps its pools in a registry by connection: closed ones stay there
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True, scope="session")
def _celery_runs_tasks_in_process():
    """Tasks run in the test process; the worker test switches to the real broker."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


@pytest.fixture
def redis_url() -> str:
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        require_service("Redis", "REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError) as error:
        require_service("Redis", f"{url} does not answer ({error})")
    return url


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def agent(db):
    """A civil servant whose organisation has no membership."""
    organisation = OrganisationFactory(
        name="Conseil départemental du Val-de-Marne",
        slug="cd-val-de-marne-test",
        kind="departmental_council",
    )
    return UserFactory(email="agent@exemple.fr", first_name="Alex", organisation=organisation)


@pytest.fixture
def partner_organisation(db):
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Région Pays de la Loire", slug="region-pdl-test"),
        tier="member",
    )
    return membership.organisation


@pytest.fixture
def partner(partner_organisation):
    """A member of an organisation with an active, open-ended membership."""
    return UserFactory(
        email="partenaire@exemple.fr", first_name="Dominique", organisation=partner_organisation
    )


@pytest.fixture
def referent(partner_organisation):
    """A referent of the partner's organisation (members.Referent, set by staff)."""

    user = UserFactory(
        email="referente@exemple.fr", first_name="Morgane", organisation=partner_organisation
    )
    ReferentFactory(user=user, organisation=partner_organisation)
    return user


@pytest.fixture
def lapsed(db, today):
    """A member of an organisation whose membership ended yesterday."""
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="Région Ancienne", slug="region-ancienne-test"),
        starts=today - datetime.timedelta(days=400),
        ends=today - datetime.timedelta(days=1),
    )
    return UserFactory(
        email="ancien@exemple.fr", first_name="Sacha", organisation=membership.organisation
    )


@pytest.fixture
def staff(db):
    """Lab staff with a second factor set up."""
    user = UserFactory(
        email="equipe@exemple.fr", first_name="Camille", is_staff=True, is_superuser=True
    )
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


@pytest.fixture
def staff_without_mfa(db):
    return UserFactory(email="nouveau@exemple.fr", is_staff=True, is_superuser=True)


@pytest.fixture
def plain_staff(db):
    """Staff with a second factor but no superuser powers (what a new team member gets)."""
    user = UserFactory(email="stagiaire@exemple.fr", first_name="Lou", is_staff=True)
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


@pytest.fixture
def users(agent, partner, referent, lapsed, staff, staff_without_mfa, plain_staff):
    """The reusable set, by name; None stands for the anonymous visitor."""
    return {
        "anonymous": None, "agent": agent, "partner": partner, "referent": referent, "lapsed": lapsed, "staff": staff,
        "staff_without_mfa": staff_without_mfa, "plain_staff": plain_staff,
        "unverified": UserFactory(email="pas-encore@exemple.fr", verified=False),
        "inactive": UserFactory(email="parti@exemple.fr", is_active=False),
    }  # fmt: skip


# The local OpenID provider (ProConnect's stand-in), for the ProConnect tests.
from tests.oidc_provider.fixture import oidc_provider, proconnect_settings  # noqa: E402, F401
