"""Reads of Superpublic: the week grid of a space, the public agenda, a person's bookings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import DateTimeField, F, Func, Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext

from lab.lib import inputs
from superpublic import rules
from superpublic.models import ACTIVE_STATUSES, Booking, Closure, Space
from superpublic.services import span

SLOT = rules.STEP


@dataclass
class Cell:
    start: datetime.datetime
    state: str  # free, busy, closed, past
    event: Booking | None = None  # only public events are named
    # A free cell's link: its start as the booking form's `debut`, and its label for screen
    # readers (made here once per day and row, not by two date filters per cell).
    start_param: str = ""
    label: str = ""


@dataclass
class Row:
    label: str
    cells: list[Cell] = field(default_factory=list)


def parse_week(value: str | None) -> datetime.date:
    """The Monday of an ISO week written YYYY-Www; the current week when empty.

    Raises InvalidInput (a ValueError) with the reason when malformed or out of bounds."""
    monday = inputs.iso_week(value)
    if monday is None:
        today = timezone.localdate()
        return today - datetime.timedelta(days=today.weekday())
    return monday


def week_label(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def neighbour_week(monday: datetime.date, weeks: int) -> str | None:
    """The label of the week `weeks` away, None past the dates the site accepts."""
    other = monday + datetime.timedelta(weeks=weeks)
    sunday = other + datetime.timedelta(days=6)
    return (
        week_label(other) if inputs.within_bounds(other) and inputs.within_bounds(sunday) else None
    )


def week_grid(space: Space, monday: datetime.date) -> tuple[list[datetime.date], list[Row]]:
    """Half-hour rows by day columns: free, busy (public events named), closed or past.

    Three queries whatever the number of bookings: hours (prefetched), bookings, closures.
    Each cell compares itself with its day's bookings and closures only.
    """
    hours = {h.weekday: h for h in space.opening_hours.all()}
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    if not any(d.weekday() in hours for d in days[5:]):
        days = days[:5]
    if not hours:
        return days, []
    first = min(h.opens for h in hours.values())
    last = max(h.closes for h in hours.values())
    week_start = rules.paris_datetime(monday, datetime.time(0))
    week_end = rules.paris_datetime(monday + datetime.timedelta(days=7), datetime.time(0))
    bookings = list(
        Booking.objects.filter(space=space)
        .active()
        .overlapping(week_start, week_end)
        .only("period", "is_public", "title", "status", "public_description")
    )
    closures = [
        (c.lower, c.upper)
        for c in Closure.objects.affecting(space)
        .filter(period__overlap=(week_start, week_end))
        .values_list("period", flat=True)
    ]
    # Each day's bookings and closures, so a cell looks only at its own day's (the grid has
    # up to 7 × 48 cells; scanning the week's bookings for each cost 6 ms on a busy week).
    day_bounds = {
        day: (
            rules.paris_datetime(day, datetime.time(0)),
            rules.paris_datetime(day + datetime.timedelta(days=1), datetime.time(0)),
        )
        for day in days
    }
    bookings_of = {
        day: [b for b in bookings if b.period.lower < end and start < b.period.upper]
        for day, (start, end) in day_bounds.items()
    }
    closures_of = {
        day: [c for c in closures if c[0] < end and start < c[1]]
        for day, (start, end) in day_bounds.items()
    }
    book = gettext("Réserver le %(when)s")
    day_names = {day: formats.date_format(day, "l j F") for day in days}
    now = timezone.now()
    rows: list[Row] = []
    time = datetime.datetime.combine(monday, first)
    while time.time() < last:
        row = Row(label=f"{time:%H:%M}")
        for day in days:
            start = rules.paris_datetime(day, time.time())
            end = start + SLOT
            opening = hours.get(day.weekday())
            if (
                opening is None
                or not (opening.opens <= time.time() and (time + SLOT).time() <= opening.closes)
                or any(c[0] < end and start < c[1] for c in closures_of[day])
            ):
                row.cells.append(Cell(start, "closed"))
                continue
            booking = next(
                (b for b in bookings_of[day] if b.period.lower < end and start < b.period.upper),
                None,
            )
            if booking is not None:
                row.cells.append(
                    Cell(
                        start,
                        "busy",
                        booking
                        if booking.is_public and booking.status == Booking.Status.CONFIRMED
                        else None,
                    )
                )
            elif start <= now:
                row.cells.append(Cell(start, "past"))
            else:
                row.cells.append(
                    Cell(
                        start,
                        "free",
                        start_param=f"{day:%Y-%m-%d}T{row.label}",
                        label=book % {"when": f"{day_names[day]}, {row.label}"},
                    )
                )
        rows.append(row)
        time += SLOT
    return days, rows


def has_free_slot(rows: list[Row], column: int | None = None) -> bool:
    """Whether the grid (or one of its days) still has a slot one may book."""
    return any(
        cell.state == "free"
        for row in rows
        for cell in (row.cells if column is None else row.cells[column : column + 1])
    )


def opening_week(space: Space) -> tuple[datetime.date, list[datetime.date], list[Row]]:
    """The week a space's page opens on: this one while it still has a free slot from now on,
    else the next (on a Sunday evening, or a Friday after closing, this week is all past)."""
    monday = parse_week(None)
    days, rows = week_grid(space, monday)
    if rows and not has_free_slot(rows):
        monday += datetime.timedelta(weeks=1)
        days, rows = week_grid(space, monday)
    return monday, days, rows


def opening_day(days: list[datetime.date], rows: list[Row]) -> datetime.date:
    """The day a phone shows first: the first from today on with a free slot, else the first
    from today on (the week's first day for a week gone by)."""
    today = timezone.localdate()
    ahead = [(column, day) for column, day in enumerate(days) if day >= today]
    for column, day in ahead:
        if has_free_slot(rows, column):
            return day
    return ahead[0][1] if ahead else days[0]


@dataclass(frozen=True)
class AgendaItem:
    """One public event of the agenda: a booking, or a group of them (an event's rooms and
    days) seen as one, from the start of its first day to the end of its last."""

    uid: str
    title: str
    description: str
    start: datetime.datetime
    end: datetime.datetime
    spaces: list[str]
    page: str
    updated_at: datetime.datetime

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.start)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.end)

    @property
    def place(self) -> str:
        return ", ".join(self.spaces)

    @property
    def several_days(self) -> bool:
        return self.local_end.date() != self.local_start.date()


def public_agenda(
    limit: int | None = 20, *, since: datetime.datetime | None = None
) -> list[AgendaItem]:
    """The public events still to come (or ending after `since`), one query: the confirmed public
    bookings grouped by their group, so an event in two rooms over two days is one entry."""
    since = since or timezone.now()
    lower = Func(F("period"), function="LOWER", output_field=DateTimeField())
    upper = Func(F("period"), function="UPPER", output_field=DateTimeField())
    rows = (
        Booking.objects.public_events()
        # A group's days may have begun: look back as far as a group lasts (the index on the
        # end of public events serves this), then keep the groups ending after `since`.
        .filter(period__endswith__gt=since - datetime.timedelta(days=rules.MAX_DAYS))
        .annotate(key=Coalesce("group_id", -F("id")))
        .values("key")
        .annotate(
            first=Min(lower),
            last=Max(upper),
            title_=Max("title"),
            description=Max("public_description"),
            page=Max("group__page"),
            spaces=ArrayAgg("space__name", distinct=True),
            updated=Max("updated_at"),
        )
        .filter(last__gt=since)
        .order_by("first", "key")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        AgendaItem(
            uid=f"group-{row['key']}" if row["key"] > 0 else f"booking-{-row['key']}",
            title=row["title_"],
            description=row["description"],
            start=row["first"],
            end=row["last"],
            spaces=sorted(row["spaces"]),
            page=row["page"] or "",
            updated_at=row["updated"],
        )
        for row in rows
    ]


@dataclass
class BookingEntry:
    """What a person sees as one booking: a booking, or the days and rooms of its group."""

    bookings: list[Booking]

    @property
    def booking(self) -> Booking:
        return self.bookings[0]

    @property
    def local_start(self) -> datetime.datetime:
        return rules.local(min(b.start for b in self.bookings))

    @property
    def local_end(self) -> datetime.datetime:
        return rules.local(max(b.end for b in self.bookings))

    @property
    def spaces(self) -> str:
        return ", ".join(dict.fromkeys(b.space.name for b in self.bookings))

    @property
    def several_spaces(self) -> bool:
        return len({b.space_id for b in self.bookings}) > 1

    @property
    def days(self) -> int:
        return len({rules.local(b.start).date() for b in self.bookings})

    @property
    def when(self) -> str:
        """« mardi 3 mars 2026, 09:00–18:00 », or the days of a group at the same hours."""
        if self.days == 1 or self.booking.kind == Booking.Kind.RESIDENCY:
            return span(self.local_start, self.local_end)
        first = rules.local(self.booking.start)
        return gettext("du %(first)s au %(last)s, chaque jour %(opens)s–%(closes)s") % {
            "first": formats.date_format(self.local_start, "l j F Y"),
            "last": formats.date_format(self.local_end, "l j F Y"),
            "opens": f"{first:%H:%M}",
            "closes": f"{rules.local(self.booking.end):%H:%M}",
        }

    @property
    def status(self) -> str:
        return self.booking.status

    @property
    def cancel_target(self) -> Booking | None:
        """The booking to cancel the entry by (its first still to come), None when it cannot
        be cancelled any more (past, in progress, or no longer active)."""
        return next((b for b in self.bookings if b.is_active and b.is_future), None)


def booking_entries(bookings) -> list[BookingEntry]:
    """Bookings (ordered) gathered by group, in the order of their first."""
    entries: dict[int, BookingEntry] = {}
    for booking in bookings:
        key = booking.group_id or -booking.pk
        if key in entries:
            entries[key].bookings.append(booking)
        else:
            entries[key] = BookingEntry([booking])
    return list(entries.values())


def my_bookings(user) -> tuple[list[BookingEntry], list[BookingEntry]]:
    """A person's bookings still to come (pending or confirmed), and the others: past,
    cancelled, refused or expired (the latest 50). Two queries."""
    now = timezone.now()
    mine = Booking.objects.owned_by(user).select_related("space")
    upcoming = mine.active().filter(period__endswith__gt=now).order_by("period", "space__order")
    others = (
        mine.filter(Q(period__endswith__lte=now) | ~Q(status__in=ACTIVE_STATUSES))
        .order_by("-period")[:50]
    )  # fmt: skip
    return booking_entries(upcoming), booking_entries(others)


def hours_booked_by(organisation_id: int, years: list[int]) -> dict[int, float]:
    """Hours of confirmed bookings made for an organisation, by year of their start (Paris time):
    what its membership report counts (members/selectors.py). One query."""
    from django.contrib.postgres.fields.ranges import RangeEndsWith, RangeStartsWith
    from django.db.models import DurationField, ExpressionWrapper, Sum
    from django.db.models.functions import ExtractYear

    from superpublic.models import BookingStatus

    rows = (
        Booking.objects.filter(organisation_id=organisation_id, status=BookingStatus.CONFIRMED)
        .annotate(year=ExtractYear(RangeStartsWith("period")))
        .filter(year__in=years)
        .values("year")
        .annotate(
            length=Sum(
                ExpressionWrapper(
                    RangeEndsWith("period") - RangeStartsWith("period"),
                    output_field=DurationField(),
                )
            )
        )
        .order_by()
    )
    return {row["year"]: row["length"].total_seconds() / 3600 for row in rows}
