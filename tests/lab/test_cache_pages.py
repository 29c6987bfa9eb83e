"""Whole pages shared by anonymous visitors (lab/lib/cache_pages.py): who gets the copy, and
what is never stored."""

import pytest

from tests.lab import cache_pages_urls
from tests.programmes.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_calls_yet():
    for name in cache_pages_urls.calls:
        cache_pages_urls.calls[name] = 0


def test_a_second_anonymous_visit_is_served_from_the_copy_without_a_query(
    client, django_assert_num_queries
):
    ProjectFactory(slug="transfo-x", title="Transfo X")
    first = client.get("/projets/")
    assert first.status_code == 200 and "max-age=60" in first["Cache-Control"]
    with django_assert_num_queries(0):
        second = client.get("/projets/")
    assert second.status_code == 200 and second.content == first.content


def test_a_change_shows_once_the_copy_expires(client, settings):
    project = ProjectFactory(slug="transfo-x", title="Transfo X")
    assert "Transfo X" in client.get("/projets/transfo-x/").content.decode()
    project.title = "Transfo Y"
    project.save()
    assert "Transfo X" in client.get("/projets/transfo-x/").content.decode()  # the copy
    from django.core.cache import cache

    cache.clear()  # as if 60 seconds had passed
    assert "Transfo Y" in client.get("/projets/transfo-x/").content.decode()


def test_a_signed_in_person_never_gets_the_copy_nor_leaves_theirs(client, partner):
    assert "Se connecter" in client.get("/").content.decode()  # the copy is made
    client.force_login(partner)
    mine = client.get("/")
    assert "Se connecter" not in mine.content.decode()
    assert "private" in mine["Cache-Control"]
    client.logout()
    theirs = client.get("/").content.decode()
    assert "Se connecter" in theirs and partner.email not in theirs


@pytest.mark.urls("tests.lab.cache_pages_urls")
def test_an_anonymous_page_is_made_once_then_shared(client):
    client.get("/plain/")
    client.get("/plain/")
    assert cache_pages_urls.calls["plain"] == 1


@pytest.mark.urls("tests.lab.cache_pages_urls")
def test_an_address_with_a_parameter_the_page_does_not_read_gets_no_copy(client):
    client.get("/plain/?utm_source=lettre")
    client.get("/plain/?utm_source=lettre")
    assert cache_pages_urls.calls["plain"] == 2


@pytest.mark.urls("tests.lab.cache_pages_urls")
def test_a_page_holding_a_csrf_token_is_never_stored(client):
    first = client.get("/csrf/")
    assert "private" in first["Cache-Control"] and "csrfmiddlewaretoken" in first.content.decode()
    client.get("/csrf/")
    assert cache_pages_urls.calls["csrf"] == 2


@pytest.mark.urls("tests.lab.cache_pages_urls")
def test_a_page_setting_a_cookie_is_never_stored(client):
    assert "private" in client.get("/cookie/")["Cache-Control"]
    client.cookies.clear()
    client.get("/cookie/")
    assert cache_pages_urls.calls["cookie"] == 2


@pytest.mark.urls("tests.lab.cache_pages_urls")
def test_a_page_showing_a_message_it_added_is_never_stored(client):
    first = client.get("/message/")
    assert "Ajouté par la page" in first.content.decode() and "private" in first["Cache-Control"]
    client.get("/message/")
    assert cache_pages_urls.calls["message"] == 2


@pytest.mark.urls("tests.lab.cache_pages_urls")
def test_a_visitor_with_a_message_waiting_gets_the_page_made_for_them(client):
    client.get("/plain/")  # the copy, without a message
    shown = client.get("/leave-a-message/", follow=True)
    assert "Votre demande est envoyée" in shown.content.decode()
    assert "private" in shown["Cache-Control"]
    after = client.get("/plain/")  # the message was shown once; the copy again
    assert "Votre demande est envoyée" not in after.content.decode()
    assert cache_pages_urls.calls["plain"] == 2


def test_the_htmx_partial_and_the_full_page_are_two_copies(client, django_assert_num_queries):
    ProjectFactory(slug="transfo-x", title="Transfo X")
    partial = client.get("/projets/", headers={"HX-Request": "true"})
    full = client.get("/projets/")
    assert "<html" not in partial.content.decode() and "<html" in full.content.decode()
    with django_assert_num_queries(0):
        assert client.get("/projets/", headers={"HX-Request": "true"}).content == partial.content
        assert client.get("/projets/").content == full.content


def test_the_french_and_english_pages_are_two_copies(client, django_assert_num_queries):
    french = client.get("/projets/").content.decode()
    english = client.get("/en/projets/").content.decode()
    assert 'lang="fr"' in french and 'lang="en"' in english
    with django_assert_num_queries(0):
        assert 'lang="en"' in client.get("/en/projets/").content.decode()
        assert 'lang="fr"' in client.get("/projets/").content.decode()
