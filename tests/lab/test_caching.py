"""Shared copies of pages: served again without a query, dropped the moment the data changes,
never shown to someone who should see something else."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone

from community.models import Profile
from lab import caching
from programmes.models import Project
from publications.models import Publication
from tests.lab.factories import UserFactory
from tests.programmes.factories import ProjectFactory
from tests.superpublic.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_page_is_served_again_without_a_query(client, django_assert_num_queries):
    ProjectFactory(title="Cantine de Lannion")
    assert "Cantine de Lannion" in client.get("/projets/").content.decode()
    with django_assert_num_queries(0):
        again = client.get("/projets/")
    assert again.status_code == 200
    assert "Cantine de Lannion" in again.content.decode()
    # The language and the htmx partial are copies of their own.
    assert "Projects" in client.get("/en/projets/").content.decode()
    partial = client.get("/projets/", headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="resultats"')
    assert "<html" not in partial
    assert "<html" in client.get("/projets/").content.decode()


def test_a_write_drops_the_copies_that_show_it(client):
    project = ProjectFactory(title="Cantine de Lannion")
    client.get("/projets/")
    project.title = "Cantine de Morlaix"
    project.save()
    assert "Cantine de Morlaix" in client.get("/projets/").content.decode()
    # Writes without signals (an admin bulk action is an UPDATE) drop them too.
    client.get("/projets/")
    caching_before = caching.generations(["catalogue"])
    Project.objects.filter(pk=project.pk).update(published=False)
    caching.bump("catalogue")
    assert caching.generations(["catalogue"]) != caching_before
    assert "Cantine de Morlaix" not in client.get("/projets/").content.decode()


def test_the_admin_publish_action_shows_the_project_at_once(client, staff):
    project = ProjectFactory(title="Cantine de Lannion", published=False)
    assert "Cantine de Lannion" not in client.get("/projets/").content.decode()
    admin = Client()
    admin.force_login(staff)
    response = admin.post(
        "/admin/programmes/project/", {"action": "publish", "_selected_action": [project.pk]}
    )
    assert response.status_code == 302
    assert "Cantine de Lannion" in client.get("/projets/").content.decode()


def test_signed_in_people_never_get_the_anonymous_copy(client, agent):
    client.get("/projets/")
    client.force_login(agent)
    page = client.get("/projets/").content.decode()
    assert "Se déconnecter" in page
    assert agent.first_name in page


def test_a_page_with_a_message_for_someone_is_not_shared(client):
    SpaceFactory(slug="atelier", name="Atelier")
    first = client.get("/superpublic/espaces/atelier/?semaine=semaine-inconnue")
    assert first.status_code == 400
    assert "Semaine inconnue" in first.content.decode()
    assert "Semaine inconnue" not in client.get("/superpublic/espaces/atelier/").content.decode()


def test_a_response_that_holds_a_csrf_token_or_a_cookie_is_not_stored():
    calls = []

    @caching.shared_for_anonymous("catalogue")
    def with_form(request):
        calls.append(1)
        return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")

    @caching.shared_for_anonymous("catalogue")
    def with_cookie(request):
        calls.append(1)
        response = HttpResponse("ok")
        response.set_cookie("seen", "1")
        return response

    def request():
        made = RequestFactory().get("/formulaire/")
        made.user = AnonymousUser()
        made.session = SessionStore()
        made._messages = FallbackStorage(made)
        return made

    for view in (with_form, with_cookie):
        calls.clear()
        view(request())
        view(request())
        assert len(calls) == 2


def test_a_new_booking_shows_on_the_week_grid_at_once(client, agent):
    from superpublic.selectors import parse_week
    from superpublic.services import booking_create

    space = SpaceFactory(slug="atelier", name="Atelier")
    monday = parse_week(None) + datetime.timedelta(days=7)
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    url = f"/superpublic/espaces/atelier/?semaine={week}"
    before = client.get(url).content.decode()
    start = timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=1), datetime.time(10))
    )
    booking_create(
        user=agent,
        space=space,
        start=start,
        end=start + datetime.timedelta(hours=2),
        attendees=5,
        title="Atelier vélo",
    )
    after = client.get(url).content.decode()
    assert after != before


def test_the_directory_part_is_shared_by_audience_only(client, partner, settings):
    settings.COMMUNITY_POLICY_VERSION = "2026-11"
    for visibility in ("public", "members"):
        Profile.objects.create(
            user=UserFactory(), display_name=f"Fiche {visibility}", slug=f"fiche-{visibility}",
            visibility=visibility, consent_at=timezone.now(), consent_version="2026-11",
        )  # fmt: skip
    client.force_login(partner)
    assert "Fiche members" in client.get("/communaute/").content.decode()
    client.logout()
    page = client.get("/communaute/").content.decode()
    assert "Fiche public" in page
    assert "Fiche members" not in page
    # A new consent policy hides every profile at once, copies included.
    settings.COMMUNITY_POLICY_VERSION = "2027-01"
    assert "Fiche public" not in client.get("/communaute/").content.decode()


def test_the_publication_list_follows_the_clock_and_the_audience(client, staff):
    now = timezone.now().replace(microsecond=0)
    Publication.objects.create(
        slug="brouillon", title="Un brouillon", kind="book", year=2026, summary="…", body="…",
        status="draft",
    )  # fmt: skip
    Publication.objects.create(
        slug="a-venir", title="À paraître", kind="book", year=2026, summary="…", body="…",
        status="published", published_at=now + datetime.timedelta(minutes=5),
    )  # fmt: skip
    client.force_login(staff)
    assert "Un brouillon" in client.get("/publications/").content.decode()
    client.logout()
    with time_machine.travel(now, tick=False):
        page = client.get("/publications/").content.decode()
        assert "Un brouillon" not in page
        assert "À paraître" not in page
    with time_machine.travel(now + datetime.timedelta(minutes=5), tick=False):
        assert "À paraître" in client.get("/publications/").content.decode()


def test_writes_in_a_transaction_bump_again_once_on_commit():
    from django.db import transaction

    connection = transaction.get_connection()
    assert connection.in_atomic_block  # the test's own transaction

    def pending():
        return [f for _, f, _ in connection.run_on_commit if isinstance(f, caching._BumpOnCommit)]

    ProjectFactory()
    ProjectFactory()
    Profile.objects.create(user=UserFactory(), display_name="Fiche", slug="fiche")
    assert len(pending()) == 1
    assert pending()[0].topics >= {"catalogue", "community", "publications", "superpublic"}
    before = caching.generations(["catalogue"])
    pending()[0]()
    assert caching.generations(["catalogue"]) != before


def test_a_lost_generation_never_restarts_low():
    caching.bump("catalogue")
    first = caching.generations(["catalogue"])
    from django.core.cache import cache

    cache.delete("generation:catalogue")
    assert int(caching.generations(["catalogue"])) > int(first)


def test_messages_are_kept_for_their_reader():
    """Reading whether a page is shareable must not consume the messages it will show."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    from django.contrib import messages

    messages.info(request, "Bonjour")
    assert not caching._shareable(request)
    assert [str(m) for m in get_messages(request)] == ["Bonjour"]


def test_without_the_cache_pages_still_render_and_content_writes_stand(client, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    project = ProjectFactory(title="Cantine de Quimper")  # its bump fails, the save stands
    assert Project.objects.filter(pk=project.pk).exists()
    assert "Cantine de Quimper" in client.get("/projets/").content.decode()
    assert "cache is unreachable" in caplog.text or "Cache unreachable" in caplog.text


def test_forgetting_everything_keeps_other_sites_keys():
    from django.core.cache import cache

    cache.set("user:1", "a kept copy")
    raw = cache.client.get_client() if hasattr(cache, "client") else None
    if raw is not None:  # Redis: a key of another prefix (another site, Celery) must stay
        raw.set("someone-else:key", "theirs")
    caching.forget_everything()
    assert cache.get("user:1") is None
    if raw is not None:
        assert raw.get("someone-else:key") == b"theirs"
        raw.delete("someone-else:key")
