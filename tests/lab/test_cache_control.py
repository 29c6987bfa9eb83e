"""What a cache between the site and a person may keep."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.publications.factories import PublicationFactory
from tests.superpublic.factories import BookingFactory, SpaceFactory, next_weekday, slot

pytestmark = pytest.mark.django_db

PERSONAL = [
    "/superpublic/mes-reservations/",
    "/communaute/mon-profil/",
    "/programmes/mes-demandes/",
    "/accounts/email/",
]


def test_personal_pages_are_never_stored(client, agent):
    start, end = slot(next_weekday(1), "10:00", "11:00")
    booking = BookingFactory(space=SpaceFactory(), booked_by=agent, period=(start, end))
    client.force_login(agent)
    for url in [*PERSONAL, f"/superpublic/reservations/{booking.pk}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], (
            url
        )


def test_any_other_page_for_a_signed_in_person_is_private(client, partner):
    now = timezone.now()
    PublicationFactory(slug="fenetre", title="F", public_from=now + timezone.timedelta(days=9))
    client.force_login(partner)
    for url in [
        "/",
        "/communaute/",
        "/projets/",
        "/api/v1/publications/fenetre/",
        "/mentions-legales/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"], url


def test_public_pages_for_visitors_say_nothing_private(client):
    response = client.get("/mentions-legales/")
    assert "private" not in response.get("Cache-Control", "")
