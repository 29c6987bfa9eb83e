"""Paris wall-clock times: the platform's times are stored aware (UTC) and lived in Paris."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def paris_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A wall-clock time in Paris on `day`, made aware (DST handled by zoneinfo)."""
    return datetime.datetime.combine(day, time, tzinfo=PARIS)
