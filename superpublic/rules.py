"""Superpublic's booking rules, as plain functions of their inputs (docs/architecture.md).

Kept apart from the services so the week grid, the suggestions of free slots and the
services all read the same rules.
"""

from __future__ import annotations

import datetime

from lab.lib.dates import PARIS, paris_datetime

GRID = datetime.timedelta(minutes=15)
# What a person picks on the site: the week grid's rows and the booking form's times.
STEP = datetime.timedelta(minutes=30)
MIN_DURATION = datetime.timedelta(minutes=30)
MAX_DURATION = datetime.timedelta(hours=12)  # a day of a booking: several days make a group
MAX_DAYS = 14  # a multi-day booking or event: one booking per room and day, at most two weeks
RESIDENCY_MIN_DAYS = 2
RESIDENCY_MAX_DAYS = 182  # temporary residents stay days to weeks, up to six months
HORIZON_DAYS = {"authenticated": 60, "privileged": 180}
MAX_FUTURE_BOOKINGS = 10
PENDING_EXPIRES_AFTER = datetime.timedelta(days=5)


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(PARIS)


def on_grid(moment: datetime.datetime) -> bool:
    moment = local(moment)
    return moment.second == 0 and moment.microsecond == 0 and moment.minute % 15 == 0


def on_step(time: datetime.time) -> bool:
    """Whether a time picked on the site falls on the step (on the hour or the half hour)."""
    minutes = STEP.seconds // 60
    return time.second == 0 and time.microsecond == 0 and time.minute % minutes == 0


def step_times(opens: datetime.time, closes: datetime.time) -> list[datetime.time]:
    """The times on the step from `opens` to `closes`, both included when on the step."""
    day = datetime.date(2000, 1, 1)
    moment, last = datetime.datetime.combine(day, opens), datetime.datetime.combine(day, closes)
    extra = (moment.minute * 60 + moment.second) % STEP.seconds
    if extra or moment.microsecond:
        moment = moment.replace(microsecond=0) + datetime.timedelta(seconds=STEP.seconds - extra)
    times = []
    while moment <= last:
        times.append(moment.time())
        moment += STEP
    return times


def horizon_days(privileged: bool) -> int:
    return HORIZON_DAYS["privileged" if privileged else "authenticated"]


def ceil_to_grid(moment: datetime.datetime) -> datetime.datetime:
    moment = local(moment).replace(second=0, microsecond=0)
    extra = moment.minute % 15
    if extra:
        moment += datetime.timedelta(minutes=15 - extra)
    return moment


def days_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def daily_periods(
    first: datetime.date, last: datetime.date, opens: datetime.time, closes: datetime.time
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Each day from `first` to `last`, the same Paris wall-clock hours (14:00 stays 14:00
    across a change of time): the periods of a multi-day booking, nights left free."""
    return [
        (paris_datetime(day, opens), paris_datetime(day, closes))
        for day in days_between(first, last)
    ]


def residency_period(
    first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """A residency holds its space day and night: from the first day's midnight in Paris to
    the midnight after the last day (23 or 25 hours on the days the time changes)."""
    return paris_datetime(first, datetime.time(0)), paris_datetime(
        last + datetime.timedelta(days=1), datetime.time(0)
    )
