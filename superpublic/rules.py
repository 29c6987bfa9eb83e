"""Superpublic's booking rules, as plain functions of their inputs (docs/architecture.md).

Kept apart from the services so the week grid, the suggestions of free slots and the
services all read the same rules.
"""

from __future__ import annotations

import datetime

from lab.lib.dates import PARIS, paris_datetime  # noqa: F401 (the rules speak Paris time)

GRID = datetime.timedelta(minutes=15)
MIN_DURATION = datetime.timedelta(minutes=30)
MAX_DURATION = datetime.timedelta(hours=12)
HORIZON_DAYS = {"authenticated": 60, "privileged": 180}
MAX_FUTURE_BOOKINGS = 10
PENDING_EXPIRES_AFTER = datetime.timedelta(days=5)


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(PARIS)


def on_grid(moment: datetime.datetime) -> bool:
    moment = local(moment)
    return moment.second == 0 and moment.microsecond == 0 and moment.minute % 15 == 0


def horizon_days(privileged: bool) -> int:
    return HORIZON_DAYS["privileged" if privileged else "authenticated"]


def ceil_to_grid(moment: datetime.datetime) -> datetime.datetime:
    moment = local(moment).replace(second=0, microsecond=0)
    extra = moment.minute % 15
    if extra:
        moment += datetime.timedelta(minutes=15 - extra)
    return moment
