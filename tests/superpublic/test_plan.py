"""The plan of Superpublic's floor (superpublic/plan.py): each space's state now, from its
opening hours, bookings and closures, its place on the plan, and the page that shows both."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from superpublic import plan, seed
from superpublic.models import FLOOR_DEPTH, FLOOR_WIDTH, Booking, Space
from superpublic.views import _within_the_minute
from tests.superpublic.factories import BookingFactory, SpaceFactory, closure, next_weekday, slot

pytestmark = pytest.mark.django_db


def placed(slug, x, y, width, depth, **extra):
    space = SpaceFactory(slug=slug, name=extra.pop("name", slug.title()), **extra)
    space.plan_x, space.plan_y = Decimal(x), Decimal(y)
    space.plan_width, space.plan_depth = Decimal(width), Decimal(depth)
    space.save()
    return space


def book(space, day, start, end, status=Booking.Status.CONFIRMED):
    return BookingFactory(
        space=space, status=status, period=DateTimeTZRange(*slot(day, start, end), "[)")
    )


@pytest.fixture
def tuesday():
    return next_weekday(1)


@pytest.fixture
def floor(tuesday):
    """Five spaces open 9:00–19:00, on a Tuesday: a hall booked 9:00–12:00 then 12:00–13:30,
    a workshop booked at 14:00, a meeting room booked all day, a small room closed until 11:00
    and a co-working floor free all day."""
    spaces = {
        "hall": placed("hall", 0, 0, 12, 10, capacity=80),
        "workshop": placed("workshop", 0, 10, 11, 5, capacity=25),
        "meeting": placed("meeting", "11.6", 10, "4.4", 5, capacity=10),
        "small": placed("small", 16, "11.5", 4, "3.5", capacity=6),
        "coworking": placed("coworking", 13, 0, 7, 10, capacity=20),
    }
    book(spaces["hall"], tuesday, "09:00", "12:00")
    book(spaces["hall"], tuesday, "12:00", "13:30", status=Booking.Status.PENDING)
    book(spaces["workshop"], tuesday, "14:00", "16:00")
    book(spaces["workshop"], tuesday, "09:00", "10:00", status=Booking.Status.CANCELLED)
    book(spaces["meeting"], tuesday, "08:00", "19:00")
    closure(*slot(tuesday, "09:00", "11:00"), reason="Travaux", spaces=[spaces["small"]])
    return spaces


def states_at(spaces, moment):
    with time_machine.travel(moment, tick=False):
        return plan.spaces_now(list(Space.objects.prefetch_related("opening_hours")), moment)


def by_slug(states):
    return {Space.objects.get(pk=pk).slug: state for pk, state in states.items()}


def test_each_space_says_whether_it_is_free_busy_or_closed_now_and_until_when(floor, tuesday):
    states = by_slug(states_at(floor, slot(tuesday, "10:07", "10:08")[0]))
    assert {slug: (state.state, state.short) for slug, state in states.items()} == {
        "hall": ("busy", "Occupé jusqu'à 13:30"),  # two bookings back to back, one pending
        "workshop": ("free", "Libre jusqu'à 14:00"),  # the cancelled one does not count
        "meeting": ("busy", "Occupé jusqu'à 19:00"),
        "small": ("closed", "Fermé, ouvre à 11:00"),
        "coworking": ("free", "Libre jusqu'à 19:00"),
    }
    assert states["coworking"].free_rest_of_day and not states["workshop"].free_rest_of_day
    assert states["coworking"].label == "Libre maintenant et jusqu'à la fermeture (19:00)"
    assert states["meeting"].label == "Occupé jusqu'à la fermeture (19:00)"
    assert states["hall"].label == "Occupé maintenant, jusqu'à 13:30"


def test_the_state_follows_the_clock_through_the_day(floor, tuesday):
    def hall_and_workshop(time):
        states = by_slug(states_at(floor, slot(tuesday, time, time)[0]))
        return states["hall"].short, states["workshop"].short

    assert hall_and_workshop("08:30") == ("Fermé, ouvre à 09:00", "Fermé, ouvre à 09:00")
    assert hall_and_workshop("13:29") == ("Occupé jusqu'à 13:30", "Libre jusqu'à 14:00")
    assert hall_and_workshop("13:30") == ("Libre jusqu'à 19:00", "Libre jusqu'à 14:00")
    assert hall_and_workshop("14:00") == ("Libre jusqu'à 19:00", "Occupé jusqu'à 16:00")
    assert hall_and_workshop("19:00") == ("Fermé", "Fermé")
    late = by_slug(states_at(floor, slot(tuesday, "20:00", "20:00")[0]))["hall"]
    assert late.label == "Fermé pour le reste de la journée"
    sunday = tuesday + datetime.timedelta(days=5)
    assert by_slug(states_at(floor, slot(sunday, "11:00", "11:00")[0]))["hall"].label == (
        "Fermé aujourd'hui"
    )


def test_a_closure_of_the_whole_day_closes_every_space(floor, tuesday):
    closure(*slot(tuesday, "00:00", "23:59"))
    states = states_at(floor, slot(tuesday, "15:00", "15:00")[0])
    assert {state.state for state in states.values()} == {"closed"}
    assert {state.short for state in states.values()} == {"Fermé"}


def test_the_states_cost_two_queries_whatever_the_number_of_spaces_and_bookings(
    floor, tuesday, django_assert_num_queries
):
    for n in range(6):
        space = SpaceFactory(slug=f"extra-{n}")
        for hour in range(9, 18):
            book(space, tuesday, f"{hour:02d}:00", f"{hour:02d}:30")
    closure(*slot(tuesday, "17:00", "18:00"), spaces=[floor["hall"], floor["coworking"]])
    spaces = list(Space.objects.prefetch_related("opening_hours"))
    moment = slot(tuesday, "10:07", "10:08")[0]
    with django_assert_num_queries(2):
        states = plan.spaces_now(spaces, moment)
    assert len(states) == 11
    assert states[floor["coworking"].pk].short == "Libre jusqu'à 17:00"  # its own closure


def test_superpublic_stays_within_its_query_budget(
    client, floor, tuesday, django_assert_max_num_queries
):
    for n in range(10):
        space = SpaceFactory(slug=f"extra-{n}")
        book(space, tuesday, "10:00", "11:00")
    with (
        time_machine.travel(slot(tuesday, "10:07", "10:08")[0], tick=False),
        # spaces, their hours, bookings, closures, the agenda
        django_assert_max_num_queries(5),
    ):
        assert client.get("/superpublic/").status_code == 200


def test_the_page_draws_the_placed_spaces_to_scale_and_lists_them_all(client, floor, tuesday):
    SpaceFactory(slug="annexe", name="Annexe sans plan", capacity=4)
    with time_machine.travel(slot(tuesday, "10:07", "10:08")[0], tick=False):
        html = client.get("/superpublic/").content.decode()
    drawing = re.search(r"<svg class=\"floor-plan-drawing\".*?</svg>", html, re.DOTALL).group()
    assert 'viewBox="-4 -12 208 176"' in drawing  # 20 m × 15 m in decimetres, no "12,5"
    links = re.findall(
        r'<a href="([^"]+)" class="plan-room is-(\w+)" aria-label="([^"]+)"', drawing
    )
    assert len(links) == 5 and ("/superpublic/espaces/hall/", "busy") in [
        link[:2] for link in links
    ]
    assert (
        "/superpublic/espaces/meeting/",
        "busy",
        "Meeting, 10 personnes, 22 m², Occupé jusqu&#x27;à la fermeture (19:00)",
    ) in links
    assert '<rect x="116.0" y="100.0" width="44.0" height="50.0">' in drawing  # 11.6 m…
    assert "Annexe" not in drawing  # no place on the plan: only in the list
    listing = html[html.index('class="programme-grid space-list"') :]
    for name in ["Hall", "Workshop", "Meeting", "Small", "Coworking", "Annexe sans plan"]:
        assert name in listing
    assert "Fermé pour l&#x27;instant, ouvre à 11:00" in listing
    assert "Libre maintenant, jusqu&#x27;à 14:00" in listing
    english = client.get("/en/superpublic/").content.decode()
    assert 'viewBox="-4 -12 208 176"' in english


def test_a_shared_copy_never_outlives_the_minute_it_was_made_in(client, floor, tuesday):
    """At 13:29:50 the hall is busy until 13:30; at 13:30:05 it is free: no copy of the
    first page may still be served."""
    with time_machine.travel(slot(tuesday, "13:29", "13:29")[0] + datetime.timedelta(seconds=50)):
        first = client.get("/superpublic/")
        assert int(re.search(r"max-age=(\d+)", first["Cache-Control"]).group(1)) <= 10
        assert "Occupé maintenant, jusqu&#x27;à 13:30" in first.content.decode()
        assert client.get("/superpublic/").content == first.content  # the copy, within the minute
    with time_machine.travel(slot(tuesday, "13:30", "13:30")[0] + datetime.timedelta(seconds=5)):
        second = client.get("/superpublic/").content.decode()
    assert "Occupé maintenant" not in second.split('class="programme-grid space-list"')[1][:400]
    assert "Libre maintenant et jusqu&#x27;à la fermeture (19:00)" in second


def test_a_copy_lives_at_most_thirty_seconds_and_none_is_made_at_the_end_of_a_minute():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 7, 2, tzinfo=datetime.UTC)):
        assert _within_the_minute() == 30
    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 7, 45, tzinfo=datetime.UTC)):
        assert _within_the_minute() == 15
    with time_machine.travel(
        datetime.datetime(2026, 11, 24, 9, 7, 59, 500_000, tzinfo=datetime.UTC), tick=False
    ):
        assert _within_the_minute() == 0


def test_a_place_on_the_plan_stays_within_the_floor_and_off_the_other_spaces():
    placed("hall", 0, 0, 12, 10)
    touching = SpaceFactory(slug="touching")
    touching.plan_x, touching.plan_y, touching.plan_width, touching.plan_depth = (
        Decimal(12), Decimal(0), Decimal(8), Decimal(10),
    )  # fmt: skip
    touching.full_clean()  # sharing a wall is fine
    for x, y, width, depth, message in [
        (19, 0, 2, 2, "tenir dans le plateau"),  # past the right side
        (0, 14, 2, 2, "tenir dans le plateau"),  # past the back
        (-1, 0, 2, 2, "tenir dans le plateau"),
        (5, 5, "0.5", 2, "tenir dans le plateau"),  # too thin
        (11, 9, 2, 2, "chevauche"),  # over the hall's corner
        (5, None, 2, 2, "quatre champs"),
    ]:
        space = SpaceFactory.build(slug="new", name="New", kind="meeting", capacity=4)
        space.plan_x = Decimal(x)
        space.plan_y = None if y is None else Decimal(y)
        space.plan_width, space.plan_depth = Decimal(width), Decimal(depth)
        with pytest.raises(ValidationError, match=message):
            space.full_clean()
    assert FLOOR_WIDTH * FLOOR_DEPTH == 300


def test_the_database_refuses_a_space_outside_the_floor_whatever_the_code_path():
    space = placed("hall", 0, 0, 12, 10)
    with transaction.atomic(), pytest.raises(IntegrityError, match="space_plan_within_floor"):
        Space.objects.filter(pk=space.pk).update(plan_width=Decimal(21))
    other = SpaceFactory(slug="other")
    with transaction.atomic(), pytest.raises(IntegrityError, match="space_plan_no_overlap"):
        Space.objects.filter(pk=other.pk).update(
            plan_x=Decimal(1), plan_y=Decimal(1), plan_width=Decimal(2), plan_depth=Decimal(2)
        )


def test_the_admin_edits_the_place_on_the_plan_with_help(rf, staff):
    request = rf.get("/admin/superpublic/space/add/")
    request.user = staff
    form = admin.site._registry[Space].get_form(request)()
    for name in ["plan_x", "plan_y", "plan_width", "plan_depth"]:
        assert form.fields[name].help_text
    assert "20 m" in str(form.fields["plan_x"].help_text)


def test_the_demo_spaces_fit_the_300_square_metres_with_their_areas():
    seed.run()
    spaces = list(Space.objects.all())
    assert len(spaces) == 5 and all(space.on_plan for space in spaces)
    for space in spaces:
        assert space.plan_width * space.plan_depth == space.area, space.slug
    assert sum(space.area for space in spaces) <= 300
