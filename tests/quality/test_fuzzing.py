"""Property tests: the booking service under random input, list pages under random queries,
and every typed value (weeks, dates, offsets, tokens, searches, series) under its own grammar."""

from __future__ import annotations

import contextlib
import datetime
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab.lib.dates import PARIS
from lab.lib.inputs import EARLIEST, LATEST, WEEK
from superpublic import services
from superpublic.models import Booking
from tests.superpublic.factories import SpaceFactory, next_weekday

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


API_LISTS = [
    "/api/v1/programmes/",
    "/api/v1/projects/",
    "/api/v1/regions/",
    "/api/v1/organisations/",
    "/api/v1/publications/",
    "/api/v1/events/",
]
SEARCHABLE = ["/programmes/", "/regions/", "/projets/", "/publications/", "/communaute/",
              "/communaute/evenements/", *API_LISTS]  # fmt: skip
LIST_PAGES = [
    *SEARCHABLE,
    "/superpublic/",
    "/superpublic/espaces/fuzz-a/",
    "/superpublic/reserver/",
    "/api/v1/spaces/",
    "/api/v1/spaces/fuzz-a/availability/",
]
PARAMS = ["carte", "q", "programme", "region", "theme", "status", "year", "tri", "page", "kind", "access", "discipline", "method",
          "organisation_kind", "semaine", "page_size", "format", "from", "to", "debut", "espace", "audience", "generation",
          "code", "siren", "siret"]  # fmt: skip


@FUZZ
@given(
    page=st.sampled_from(LIST_PAGES),
    query=st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=40), max_size=5),
    signed_in=st.booleans(),
)
def test_list_pages_never_fail_on_odd_queries(client, agent, page, query, signed_in):
    """Any text, NUL bytes and unicode included, in any parameter of any list."""
    SpaceFactory(slug="fuzz-a")
    if signed_in:
        client.force_login(agent)
    else:
        client.logout()
    if query.get("format") not in (None, "json", "csv", "api"):
        query.pop("format")
    response = client.get(page, query)
    assert response.status_code < 500, (page, query)


# Typed values (issue #14): the classes of input that reached a 500 on main, each generated
# from its own grammar as well as from any text, with what a valid value must answer.

ANY_TEXT = st.text(max_size=30)  # NUL bytes, surrogates aside, any unicode
# Any day from year 1 to 9999, often near either end of the calendar or of the site's bounds.
FAR_DAYS = st.one_of(
    st.dates(),
    st.dates(max_value=datetime.date(1, 3, 1)),
    st.dates(min_value=datetime.date(9999, 10, 1)),
    st.dates(datetime.date(1999, 11, 1), datetime.date(2000, 2, 1)),
    st.dates(datetime.date(2100, 11, 1), datetime.date(2101, 2, 1)),
)
# The last two weeks there are: a weekly series starting there runs out of calendar.
END_OF_TIME = st.dates(min_value=datetime.date(9999, 12, 18))
BLANKS = st.text(alphabet=" \t\n\r\x0b\x0c\u00a0\u2003\u3000", max_size=6)


def _week(year: int, week: int) -> str:
    return f"{year:04d}-W{week:02d}"


def _accepted_monday(year: int, week: int) -> datetime.date | None:
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return monday if monday >= EARLIEST and monday + datetime.timedelta(days=6) <= LATEST else None


@FUZZ
@given(
    week=st.one_of(
        ANY_TEXT,
        st.builds(_week, st.integers(0, 9999), st.integers(0, 60)),
        st.builds(_week, st.integers(1995, 2105), st.integers(1, 53)),
    )
)
def test_any_week_answers_its_grid_or_a_400_with_the_next_free_slots(client, week):
    SpaceFactory(slug="fuzz-a")
    response = client.get("/superpublic/espaces/fuzz-a/", {"semaine": week})
    match = WEEK.fullmatch(week.strip())
    monday = _accepted_monday(int(match["year"]), int(match["week"])) if match else None
    if monday is not None or not week.strip():
        assert response.status_code == 200, week
        assert monday is None or response.context["monday"] == monday
    else:
        assert response.status_code == 400, week
        assert "Voici les prochaines disponibilités." in response.content.decode()


OFFSET_MINUTES = st.integers(-24 * 60 + 1, 24 * 60 - 1)


def _written(moment: datetime.datetime, offset: int | None, style: str) -> str:
    text = moment.strftime("%Y-%m-%dT%H:%M" + (":%S" if style == "seconds" else ""))
    text = text.rjust(16, "0") if moment.year < 1000 else text
    if offset is None:
        return text
    if offset == 0 and style == "z":
        return text + "Z"
    sign, minutes = ("-" if offset < 0 else "+"), abs(offset)
    separator = "" if style == "compact" else ":"
    return f"{text}{sign}{minutes // 60:02d}{separator}{minutes % 60:02d}"


def _iso_day(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


FAR_MOMENTS = st.one_of(
    ANY_TEXT,
    FAR_DAYS.map(_iso_day),
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32),
    ),  # impossible days too
    st.builds(
        _written, st.datetimes(), st.none() | OFFSET_MINUTES,
        st.sampled_from(["plain", "seconds", "compact", "z"]),
    ),
)  # fmt: skip
VALID_MOMENTS = st.builds(
    _written,
    st.datetimes(datetime.datetime(2000, 1, 2), datetime.datetime(2100, 11, 30)),
    st.none() | st.integers(-14 * 60, 14 * 60),
    st.sampled_from(["plain", "seconds", "compact", "z"]),
)


@FUZZ
@given(bounds=st.dictionaries(st.sampled_from(["from", "to"]), FAR_MOMENTS))
def test_any_availability_bounds_answer_200_or_a_400_with_a_detail(client, agent, bounds):
    SpaceFactory(slug="fuzz-a")
    client.force_login(agent)  # no anonymous throttle
    response = client.get("/api/v1/spaces/fuzz-a/availability/", bounds)
    assert response.status_code in {200, 400}, bounds
    if response.status_code == 400:
        assert response.json()["detail"], bounds


@FUZZ
@given(start=VALID_MOMENTS, days=st.integers(1, 31))
def test_valid_availability_bounds_always_answer_200(client, agent, start, days):
    SpaceFactory(slug="fuzz-a")
    client.force_login(agent)
    end = (datetime.datetime.fromisoformat(start[:16]) + datetime.timedelta(days=days)).strftime(
        "%Y-%m-%dT%H:%M"
    ) + start[16:]
    for bounds in [{"from": start}, {"from": start, "to": end}, {"from": start[:10]}]:
        response = client.get("/api/v1/spaces/fuzz-a/availability/", bounds)
        assert response.status_code == 200, (bounds, response.content)


@FUZZ
@given(token=st.text(max_size=40))
def test_any_feed_or_release_token_answers_404_or_400(client, token):
    quoted = quote(token, safe="")
    assert client.get(f"/superpublic/ical/{quoted}.ics").status_code in {400, 404}, token
    assert client.get(f"/superpublic/liberer/{quoted}/").status_code in {200, 404}, token
    assert client.post(f"/superpublic/liberer/{quoted}/").status_code in {400, 404}, token


@pytest.mark.parametrize("page", SEARCHABLE)
@settings(FUZZ, max_examples=12)
@given(q=BLANKS.filter(bool), sort=st.sampled_from([None, "pertinence"]))
def test_a_blank_search_lists_everything_on_every_list(client, page, q, sort):
    query = {"q": q} if sort is None else {"q": q, "tri": sort}
    response = client.get(page, query)
    assert response.status_code == 200, (page, query)
    if page.startswith("/api/"):
        assert response.json()["count"] == client.get(page).json()["count"]


@FUZZ
@given(
    day=FAR_DAYS | END_OF_TIME,
    repeat=st.sampled_from(["count", "until"]),
    count=st.integers(-1, 60),
    until=FAR_DAYS | END_OF_TIME,
)
def test_a_booking_with_far_dates_is_refused_with_a_message(
    client, agent, day, repeat, count, until
):
    SpaceFactory(slug="fuzz-a")
    client.force_login(agent)
    data = {"space": "fuzz-a", "day": _iso_day(day), "start": "10:00", "end": "11:00", "attendees": "5", "title": "Loin",
            "conflict_mode": "skip", "repeat": "on", "repeat_count": str(count) if repeat == "count" else "",
            "repeat_until": _iso_day(until) if repeat == "until" else ""}  # fmt: skip
    response = client.post("/superpublic/reserver/", data)
    assert response.status_code in {302, 400}, data
    if response.status_code == 400:
        assert (
            'class="errorlist' in response.content.decode() or "notice" in response.content.decode()
        )


@FUZZ
@given(
    day=(FAR_DAYS | END_OF_TIME).filter(lambda day: day.year > 1),
    hour=st.integers(0, 22),
    count=st.none() | st.integers(0, 60),
    until=FAR_DAYS | END_OF_TIME,
)
def test_weekly_occurrences_stop_at_the_end_of_the_calendar(day, hour, count, until):
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)
    occurrences = services.weekly_occurrences(
        start, start + datetime.timedelta(hours=1), until=None if count else until, count=count
    )
    assert len(occurrences) <= 52
    assert all(a < b for a, b in occurrences)
