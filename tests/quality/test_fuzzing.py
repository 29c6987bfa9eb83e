"""Property tests: the booking service under random input, and list pages under random queries."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab.lib.dates import PARIS
from superpublic import services
from superpublic.models import Booking
from tests.superpublic.factories import SpaceFactory
from tests.superpublic.test_services import next_weekday

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _overlaps_in_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM superpublic_booking a JOIN superpublic_booking b
               ON a.space_id = b.space_id AND a.id < b.id AND a.period && b.period
               WHERE a.status IN ('pending', 'confirmed') AND b.status IN ('pending', 'confirmed')"""
        )
        return cursor.fetchone()[0]


@FUZZ
@given(
    actions=st.lists(
        st.tuples(
            st.sampled_from(["book", "cancel"]),
            st.integers(0, 1),  # space
            st.integers(-3, 16),  # day offset from next Monday
            st.integers(0, 96),  # start, in quarter hours from midnight
            st.integers(-2, 60),  # length, in quarter hours
            st.integers(0, 2),  # who
            st.integers(-5, 200),  # attendees
        ),
        min_size=1,
        max_size=12,
    )
)
def test_the_booking_service_never_stores_overlaps_and_refuses_cleanly(
    agent, partner, staff, actions
):
    Booking.objects.all().delete()
    spaces = [SpaceFactory(slug="fuzz-a", capacity=30), SpaceFactory(slug="fuzz-b", capacity=80)]
    people = [agent, partner, staff]
    monday = next_weekday(0)
    for kind, space, day, start, length, who, attendees in actions:
        user = people[who]
        if kind == "cancel":
            booking = Booking.objects.filter(booked_by=user).active().first()
            if booking:
                with contextlib.suppress(ValidationError):  # a booking already started
                    services.booking_cancel(booking=booking, by=user)
            continue
        begin = datetime.datetime.combine(
            monday + datetime.timedelta(days=day), datetime.time(0), tzinfo=PARIS
        ) + datetime.timedelta(minutes=15 * start)
        end = begin + datetime.timedelta(minutes=15 * length)
        try:
            services.booking_create(
                space=spaces[space],
                user=user,
                start=begin,
                end=end,
                title="Fuzz",
                attendees=attendees,
            )
        except ValidationError as error:
            assert error.messages  # every refusal says why
    assert _overlaps_in_database() == 0


LIST_PAGES = [
    "/programmes/",
    "/regions/",
    "/superpublic/",
    "/communaute/evenements/",
    "/projets/",
    "/publications/",
    "/communaute/",
    "/superpublic/espaces/fuzz-a/",
    "/api/v1/projects/",
    "/api/v1/publications/",
]
PARAMS = ["carte", "q", "programme", "region", "theme", "status", "year", "tri", "page", "kind", "access", "discipline", "method",
          "organisation_kind", "semaine", "page_size", "format"]  # fmt: skip


@FUZZ
@given(
    page=st.sampled_from(LIST_PAGES),
    query=st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=40), max_size=5),
)
def test_list_pages_never_fail_on_odd_queries(client, page, query):
    SpaceFactory(slug="fuzz-a")
    if query.get("format") not in (None, "json", "csv", "api"):
        query.pop("format")
    query = {key: value.replace("\x00", "") for key, value in query.items()}
    response = client.get(page, query)
    assert response.status_code < 500, (page, query)
