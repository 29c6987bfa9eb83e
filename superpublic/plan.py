"""The plan of Superpublic's floor and what each space is doing now.

`spaces_now` says, for each space, whether it is free now and until when, busy and until when,
or closed, from its opening hours (prefetched with the spaces), the active bookings and the
closures of the rest of the day: two queries whatever the number of spaces and bookings.
`floor_plan` places the spaces that have plan geometry (`Space.plan_*`, in metres) on the
drawing, in decimetres, with their texts cut to fit their walls.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from lab.lib.dates import paris_datetime
from lab.lib.svg import fits, wrap_words
from superpublic.models import FLOOR_DEPTH, FLOOR_WIDTH, Booking, Closure, Space

FREE, BUSY, CLOSED = "free", "busy", "closed"


def _time(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


@dataclass(frozen=True)
class SpaceNow:
    """What a space is doing at `at`: free (until `until`, the next booking or closing time),
    busy (until `until`, when its run of back-to-back bookings ends) or closed (`until`: when
    it opens or reopens today, if it does)."""

    state: str
    until: datetime.datetime | None = None
    closes: datetime.datetime | None = None
    opens_later: bool = False  # closed, but opens or reopens at `until` today

    @property
    def free_rest_of_day(self) -> bool:
        return self.state == FREE and self.until is not None and self.until == self.closes

    @property
    def short(self) -> str:
        """Free, busy or closed, with the time it lasts until (the plan's drawing)."""
        if self.state == FREE:
            return gettext("Libre jusqu'à %(time)s") % {"time": _time(self.until)}
        if self.state == BUSY:
            return gettext("Occupé jusqu'à %(time)s") % {"time": _time(self.until)}
        if self.opens_later:
            return gettext("Fermé, ouvre à %(time)s") % {"time": _time(self.until)}
        return gettext("Fermé")

    @property
    def label(self) -> str:
        """The same in a sentence (the list and the drawing's links)."""
        if self.state == FREE and self.free_rest_of_day:
            return gettext("Libre maintenant et jusqu'à la fermeture (%(time)s)") % {
                "time": _time(self.until)
            }
        if self.state == FREE:
            return gettext("Libre maintenant, jusqu'à %(time)s") % {"time": _time(self.until)}
        if self.state == BUSY and self.until == self.closes:
            return gettext("Occupé jusqu'à la fermeture (%(time)s)") % {"time": _time(self.until)}
        if self.state == BUSY:
            return gettext("Occupé maintenant, jusqu'à %(time)s") % {"time": _time(self.until)}
        if self.opens_later:
            return gettext("Fermé pour l'instant, ouvre à %(time)s") % {"time": _time(self.until)}
        if self.closes is None:
            return gettext("Fermé aujourd'hui")
        return gettext("Fermé pour le reste de la journée")


def _run_end(start: datetime.datetime, periods: list[tuple]) -> datetime.datetime:
    """The end of the run of periods that covers `start`, back to back or overlapping."""
    end = start
    for lower, upper in sorted(periods):
        if lower <= end < upper:
            end = upper
    return end


def space_now(
    space: Space, now: datetime.datetime, bookings: list[tuple], closures: list[tuple]
) -> SpaceNow:
    """`bookings` and `closures`: the (start, end) of this space's, from now to midnight."""
    today = timezone.localdate(now)
    hours = next((h for h in space.opening_hours.all() if h.weekday == today.weekday()), None)
    if hours is None:
        return SpaceNow(CLOSED)
    opens, closes = paris_datetime(today, hours.opens), paris_datetime(today, hours.closes)
    if now >= closes:
        return SpaceNow(CLOSED, closes=closes)
    if any(lower <= max(now, opens) and closes <= upper for lower, upper in closures):
        return SpaceNow(CLOSED)  # closed all day (what is left of it)
    if now < opens or any(lower <= now < upper for lower, upper in closures):
        reopens = _run_end(max(now, opens), closures)
        if reopens < closes:
            return SpaceNow(CLOSED, until=reopens, closes=closes, opens_later=True)
        return SpaceNow(CLOSED, closes=closes)
    if any(lower <= now < upper for lower, upper in bookings):
        return SpaceNow(BUSY, until=min(_run_end(now, bookings), closes), closes=closes)
    taken = [lower for lower, _ in bookings + closures if now < lower < closes]
    return SpaceNow(FREE, until=min(taken, default=closes), closes=closes)


def spaces_now(spaces: list[Space], now: datetime.datetime | None = None) -> dict[int, SpaceNow]:
    """Each space's state now, by id. Two queries: the active bookings and the closures from
    now to midnight (the spaces' opening hours come prefetched with them)."""
    now = now or timezone.now()
    midnight = paris_datetime(
        timezone.localdate(now) + datetime.timedelta(days=1), datetime.time(0)
    )
    ids = [space.pk for space in spaces]
    bookings: dict[int, list[tuple]] = {pk: [] for pk in ids}
    for space_id, period in (
        Booking.objects.active()
        .filter(space_id__in=ids)
        .overlapping(now, midnight)
        .values_list("space_id", "period")
    ):
        bookings[space_id].append((period.lower, period.upper))
    closures: dict[int, list[tuple]] = {pk: [] for pk in ids}
    for period, all_spaces, space_ids in (
        Closure.objects.filter(period__overlap=(now, midnight))
        .annotate(space_ids=ArrayAgg("spaces__id", filter=Q(spaces__isnull=False)))
        .values_list("period", "all_spaces", "space_ids")
    ):
        for pk in ids if all_spaces else [pk for pk in space_ids or [] if pk in closures]:
            closures[pk].append((period.lower, period.upper))
    return {
        space.pk: space_now(space, now, bookings[space.pk], closures[space.pk]) for space in spaces
    }


# The drawing, in decimetres (1 m = 10 units), with a margin for the street and the scale.
SCALE = 10
MARGIN = 4
STREET = 12  # above the floor: the street's name
BELOW = 14  # under the floor: the scale bar
PADDING = 2.5  # between a room's walls and its text
LINE = 1.3  # line height, in font sizes


@dataclass
class PlanLine:
    text: str
    y: float
    kind: str  # name, detail, state


@dataclass
class PlanRoom:
    space: Space
    now: SpaceNow
    x: float
    y: float
    width: float
    depth: float
    font_size: float = 5.0
    lines: list[PlanLine] = field(default_factory=list)

    @property
    def text_x(self) -> float:
        return round(self.x + PADDING, 1)

    @property
    def label(self) -> str:
        """What the drawing shows of it, for screen readers (its link's name)."""
        parts = [
            self.space.name,
            ngettext("%(count)s personne", "%(count)s personnes", self.space.capacity)
            % {"count": self.space.capacity},
        ]
        if self.space.floor_area:
            parts.append(f"{self.space.floor_area} m²")
        return ", ".join([*parts, self.now.label])


@dataclass
class FloorPlan:
    rooms: list[PlanRoom]
    width: int = int(FLOOR_WIDTH * SCALE)
    depth: int = int(FLOOR_DEPTH * SCALE)

    @property
    def view_box(self) -> str:
        return f"{-MARGIN} {-STREET} {self.width + 2 * MARGIN} {self.depth + STREET + BELOW}"

    @property
    def scale_bar(self) -> int:
        """Five metres, in the drawing's units."""
        return 5 * SCALE

    @property
    def scale_y(self) -> int:
        return self.depth + 8


def _room_lines(room: PlanRoom) -> None:
    """The name (on up to three lines), the capacity and the state, at the largest size that
    fits inside the room's walls (5 to 2.5 decimetres high)."""
    capacity = ngettext("%(count)s personne", "%(count)s personnes", room.space.capacity) % {
        "count": room.space.capacity
    }
    inner_width, inner_depth = room.width - 2 * PADDING, room.depth - 2 * PADDING
    for tenths in range(50, 24, -5):
        size = tenths / 10
        chars = fits(inner_width, size, em=0.6)
        texts = (
            [(line, "name") for line in wrap_words(room.space.name, chars, 3)]
            + [(line, "detail") for line in wrap_words(capacity, chars, 1)]
            + [(line, "state") for line in wrap_words(room.now.short, chars, 2)]
        )
        if len(texts) * size * LINE <= inner_depth:
            break
    room.font_size = size
    top = room.y + PADDING
    room.lines = [
        PlanLine(text, round(top + size * (1 + index * LINE), 1), kind)
        for index, (text, kind) in enumerate(texts)
    ]


def floor_plan(spaces: list[Space], states: dict[int, SpaceNow]) -> FloorPlan:
    """The spaces that have a place on the plan, drawn to scale; the others are only listed."""
    rooms = []
    for space in spaces:
        if not space.on_plan:
            continue
        room = PlanRoom(
            space=space,
            now=states[space.pk],
            x=float(space.plan_x * SCALE),
            y=float(space.plan_y * SCALE),
            width=float(space.plan_width * SCALE),
            depth=float(space.plan_depth * SCALE),
        )
        _room_lines(room)
        rooms.append(room)
    return FloorPlan(rooms)
