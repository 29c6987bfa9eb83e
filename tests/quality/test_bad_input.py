"""Issue #14: input a person (or a robot) can type answers a 400 that says what was wrong,
never a 500. One test per case found on main, as it was reproduced."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from superpublic import services
from superpublic.models import Booking, BookingSeries
from superpublic.rules import paris_datetime
from tests.programmes.factories import ProjectFactory
from tests.superpublic.factories import SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return SpaceFactory(slug="atelier", name="Atelier")


@pytest.mark.parametrize(
    ("week", "reason"),
    [
        ("9999-W52", "Choisissez une semaine entre 2000 et 2100."),
        ("0001-W01", "Choisissez une semaine entre 2000 et 2100."),
        ("2027-W53", "l&#x27;année 2027 n&#x27;a pas de semaine 53"),
    ],
)
def test_a_week_out_of_bounds_shows_the_next_free_slots_with_the_reason(
    client, space, week, reason
):
    response = client.get(f"/superpublic/espaces/atelier/?semaine={week}")
    assert response.status_code == 400
    body = response.content.decode()
    assert reason in body and "Voici les prochaines disponibilités." in body


def test_the_week_grid_offers_no_link_to_a_week_it_would_refuse(client, space):
    response = client.get("/superpublic/espaces/atelier/?semaine=2100-W51")
    assert response.status_code == 200
    body = response.content.decode()
    assert "semaine=2100-W50" in body and "semaine=2100-W52" not in body


def test_a_blank_search_on_the_projects_api_lists_every_project(client):
    for n in range(3):
        ProjectFactory(slug=f"projet-{n}")
    for blank in [" ", "   ", "\t"]:
        response = client.get("/api/v1/projects/", {"q": blank})
        assert response.status_code == 200, blank
        assert response.json()["count"] == 3


def test_a_nul_byte_in_a_feed_token_is_a_400_that_says_so(client):
    response = client.get("/superpublic/ical/%00.ics")
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()
    assert client.get("/superpublic/ical/inconnu.ics").status_code == 404


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"from": "2027-02-30"}, "le 2027-02-30 n'existe pas"),
        ({"from": "9999-12-31"}, "choisissez une date entre 2000 et 2100"),
        ({"from": "2027-03-01", "to": "9999-12-31"}, "choisissez une date entre 2000 et 2100"),
        ({"from": "0001-01-01"}, "choisissez une date entre 2000 et 2100"),
        ({"from": "2027-03-01T10:00+99:00"}, "de -14:00 à +14:00"),
        ({"from": "2027-03-01T10:00+23:00"}, "de -14:00 à +14:00"),
        ({"from": "2027-03-01T10:00-15:30"}, "de -14:00 à +14:00"),
        ({"from": "2027-03-01T25:00"}, "cette heure n'existe pas"),
        ({"from": "hier"}, "2027-03-01T09:30"),
        ({"from": "2027-01-10", "to": "2027-01-01"}, "« to » doit suivre « from »"),
        ({"from": "2027-01-01", "to": "2027-06-01"}, "31 jours au plus"),
    ],
)
def test_impossible_or_far_dates_in_the_availability_api_are_a_400_with_a_detail(
    client, space, query, reason
):
    response = client.get("/api/v1/spaces/atelier/availability/", query)
    assert response.status_code == 400
    assert reason in response.json()["detail"]


@pytest.mark.parametrize(
    "moment", ["2027-03-01", "2027-03-01T10:00", "2027-03-01T10:00+14:00", "2027-03-01T09:00Z"]
)
def test_valid_moments_in_the_availability_api_still_answer(client, space, moment):
    response = client.get("/api/v1/spaces/atelier/availability/", {"from": moment})
    assert response.status_code == 200
    assert response.json()["from"][:10] in {"2027-02-28", "2027-03-01"}


def test_an_offset_whose_plus_was_lost_in_the_address_is_still_understood(client, space):
    response = client.get("/api/v1/spaces/atelier/availability/?from=2027-03-01T10:00+02:00")
    assert response.status_code == 200
    assert response.json()["from"] == "2027-03-01T09:00:00+01:00"


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        ("2027-02-30T10:00", "le 2027-02-30 n&#x27;existe pas"),
        ("9999-12-31T23:30", "choisissez une date entre 2000 et 2100"),
        ("2027-03-01T10:00+99:00", "de -14:00 à +14:00"),
    ],
)
def test_an_impossible_start_in_the_booking_link_re_renders_the_form_with_the_reason(
    client, agent, space, start, reason
):
    client.force_login(agent)
    response = client.get("/superpublic/reserver/", {"espace": "atelier", "debut": start})
    assert response.status_code == 400
    body = response.content.decode()
    assert "pas été comprise" in body and reason in body
    assert 'name="day"' in body  # the form is there to choose again


def test_a_weekly_series_starting_in_9999_is_refused_with_a_message(client, agent, space):
    client.force_login(agent)
    data = {"space": "atelier", "day": "9999-12-27", "start": "10:00", "end": "11:00", "attendees": "5",
            "title": "Très loin", "conflict_mode": "skip", "repeat": "on", "repeat_count": "2"}  # fmt: skip
    response = client.post("/superpublic/reserver/", data)
    assert response.status_code == 400
    assert "Choisissez une date entre 2000 et 2100." in response.content.decode()
    response = client.post(
        "/superpublic/reserver/",
        {**data, "day": "2027-03-01", "repeat_count": "", "repeat_until": "9999-12-31"},
    )
    assert response.status_code == 400
    assert "Choisissez une date entre 2000 et 2100." in response.content.decode()
    assert not Booking.objects.exists()


def test_the_series_service_refuses_a_series_past_the_end_of_the_calendar(agent, space):
    day = datetime.date(9999, 12, 27)
    with pytest.raises(ValidationError) as refused:
        services.booking_series_create(
            space=space, user=agent, title="Très loin", attendees=5,
            start=paris_datetime(day, datetime.time(10)), end=paris_datetime(day, datetime.time(11)),
            conflict_mode=BookingSeries.ConflictMode.SKIP, count=2,
        )  # fmt: skip
    assert refused.value.messages
    assert not Booking.objects.exists()
