"""What people type into addresses and forms, read safely: ISO weeks, dates, date-times, tokens.

Each reader returns a value Python's date arithmetic and PostgreSQL can both work with, or
raises `InvalidInput`: a 400 (django.core.exceptions.BadRequest) whose message, in French,
says what was expected. Refused: impossible days (30 February), weeks a year does not have,
years outside 2000–2100 (a week or a month on either side still computes), UTC offsets beyond
±14:00 (no place on Earth has more; PostgreSQL refuses some of them) and NUL bytes (PostgreSQL
refuses them in any text).

Views catch `InvalidInput` to re-render their page with the message, or let it rise to the
400 page (lab/errors.py shows its message); the API turns it into a DRF 400 with a `detail`
(lab/lib/api.py).
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext as _

from lab.lib.dates import PARIS

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
MAX_OFFSET = datetime.timedelta(hours=14)

WEEK = re.compile(r"(?P<year>\d{4})-W(?P<week>\d{2})", re.ASCII)
DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII)
DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,6})\d*)?)?"
    # An offset, or one whose + became a space in an address that did not encode it.
    r"(?:\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)|\s(?P<lost_plus>\d{2}:?\d{2}))?",
    re.ASCII,
)


class InvalidInput(BadRequest, ValueError):
    """A value that cannot be understood; `message` is meant for the person who typed it.

    A ValueError too, so callers that already caught a parser's ValueError keep working."""

    def __init__(self, message: str, *, param: str | None = None):
        super().__init__(message)
        self.message = message
        self.param = param


def _bounds() -> dict:
    return {"earliest": EARLIEST.year, "latest": LATEST.year}


def within_bounds(day: datetime.date) -> bool:
    return EARLIEST <= day <= LATEST


def validate_within_bounds(day: datetime.date | None) -> None:
    """A form field validator: the same bounds for dates typed in forms."""
    if day is not None and not within_bounds(day):
        raise ValidationError(
            _("Choisissez une date entre %(earliest)s et %(latest)s.") % _bounds(),
            code="out_of_bounds",
        )


def text(value: str | None, *, param: str) -> str:
    """Any text, without NUL bytes (which PostgreSQL refuses)."""
    value = value or ""
    if "\x00" in value:
        raise InvalidInput(
            _("« %(param)s » contient un caractère nul : il n'est pas accepté.") % {"param": param},
            param=param,
        )
    return value


def iso_week(value: str | None, *, param: str = "semaine") -> datetime.date | None:
    """The Monday of an ISO week written YYYY-Www (2027-W05), None when empty."""
    value = text(value, param=param).strip()
    if not value:
        return None
    match = WEEK.fullmatch(value)
    if match is None:
        raise InvalidInput(
            _("Semaine inconnue : écrivez-la comme 2027-W05."),
            param=param,
        )
    try:
        monday = datetime.date.fromisocalendar(int(match["year"]), int(match["week"]), 1)
    except ValueError:
        raise InvalidInput(
            _("Semaine inconnue : l'année %(year)s n'a pas de semaine %(week)s.")
            % {"year": match["year"], "week": match["week"]},
            param=param,
        ) from None
    if not (within_bounds(monday) and within_bounds(monday + datetime.timedelta(days=6))):
        raise InvalidInput(
            _("Choisissez une semaine entre %(earliest)s et %(latest)s.") % _bounds(), param=param
        )
    return monday


def _date(value: str, param: str) -> datetime.date:
    match = DATE.fullmatch(value)
    if match is None:
        raise InvalidInput(
            _("« %(param)s » : écrivez la date comme 2027-03-01.") % {"param": param},
            param=param,
        )
    try:
        day = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise InvalidInput(
            _("« %(param)s » : le %(value)s n'existe pas.") % {"param": param, "value": value},
            param=param,
        ) from None
    if not within_bounds(day):
        raise InvalidInput(
            _("« %(param)s » : choisissez une date entre %(earliest)s et %(latest)s.")
            % {"param": param, **_bounds()},
            param=param,
        )
    return day


def iso_date(value: str | None, *, param: str) -> datetime.date | None:
    """A day written YYYY-MM-DD, None when empty."""
    value = text(value, param=param).strip()
    return _date(value, param) if value else None


def iso_datetime(
    value: str | None, *, param: str, dates: bool = False, tz: datetime.tzinfo = PARIS
) -> datetime.datetime | None:
    """An aware moment written 2027-03-01T09:30 (Paris time), with seconds or an offset
    (Z, +01:00) if wished; with `dates`, a day alone means its midnight. None when empty."""
    value = text(value, param=param).strip()
    if not value:
        return None
    if dates and DATE.fullmatch(value):
        return datetime.datetime.combine(_date(value, param), datetime.time(0), tzinfo=tz)
    match = DATETIME.fullmatch(value)
    if match is None:
        raise InvalidInput(
            (
                _(
                    "« %(param)s » : écrivez une date comme 2027-03-01, ou une date et une heure comme 2027-03-01T09:30."
                )
                if dates
                else _("« %(param)s » : écrivez la date et l'heure comme 2027-03-01T09:30.")
            )
            % {"param": param},
            param=param,
        )
    day = _date(match["date"], param)
    try:
        time = datetime.time(
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"] or 0),
            int((match["fraction"] or "0").ljust(6, "0")),
        )
    except ValueError:
        raise InvalidInput(
            _("« %(param)s » : cette heure n'existe pas.") % {"param": param}, param=param
        ) from None
    zone = tz
    if match["tz"] or match["lost_plus"]:
        zone = _offset(match["tz"] or f"+{match['lost_plus']}", param)
    return datetime.datetime.combine(day, time, tzinfo=zone)


def _offset(written: str, param: str) -> datetime.tzinfo:
    if written == "Z":
        return datetime.UTC
    digits = written[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    offset = datetime.timedelta(hours=hours, minutes=minutes)
    if minutes >= 60 or offset > MAX_OFFSET:
        raise InvalidInput(
            _("« %(param)s » : un décalage horaire va de -14:00 à +14:00.") % {"param": param},
            param=param,
        )
    return datetime.timezone(-offset if written[0] == "-" else offset)
