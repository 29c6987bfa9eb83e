"""The bench's data: only in its own database, and reported as counted there."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from bench.management.commands import seed_bench
from lab.lib.dates import paris_datetime
from lab.models import User
from superpublic.models import Booking, Closure

pytestmark = pytest.mark.django_db


def test_bench_data_never_goes_to_another_database():
    with pytest.raises(CommandError, match="lab_bench"):
        call_command(seed_bench.Command(), "--quick")
    assert not User.objects.filter(email__endswith="@bench.test").exists()


def test_seeded_sizes_are_read_back(monkeypatch, capsys):
    """A small seed on the test database (taken for the bench's): what is printed is counted."""
    monkeypatch.setattr(seed_bench, "BENCH_DATABASE", connection.settings_dict["NAME"])
    small = {"organisations": 12, "users": 40, "projects": 50, "profiles": 30,
             "publications": 20, "bookings": 2000, "events": 5}  # fmt: skip
    monkeypatch.setattr(seed_bench, "QUICK", small)
    monkeypatch.setattr(
        seed_bench, "ACCOUNTS", {"agent": 3, "member": 3, "staff": 1, "contender": 2}
    )
    call_command(seed_bench.Command(), "--quick")
    counts = seed_bench.read_back()
    # Spread around today, so this week has some (unless the winter closure takes all of it).
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    friday_noon = paris_datetime(monday + datetime.timedelta(days=4), datetime.time(12))
    closed = Closure.objects.filter(period__contains=friday_noon - datetime.timedelta(days=4))
    assert counts["bookings_this_week"] > 0 or closed.filter(period__contains=friday_noon).exists()
    # The bench's own bookings: not those the demo's events hold (their rooms, as booking groups).
    bench_bookings = Booking.objects.exclude(space__slug__in=seed_bench.FREE_SPACES).filter(
        group__isnull=True
    )
    assert bench_bookings.count() == small["bookings"]
    assert not Booking.objects.filter(space__slug__in=seed_bench.FREE_SPACES).exists()
    assert counts["profiles"] >= small["profiles"]
    printed = capsys.readouterr().out.splitlines()
    table = printed[printed.index("Bench data in the database (counted):") + 1 :]
    assert {line.split()[0]: int(line.split()[1].replace(",", "")) for line in table} == counts
    # Run again with --if-needed: nothing is added.
    call_command(seed_bench.Command(), "--quick", "--if-needed")
    assert seed_bench.read_back() == counts
    assert "already in place" in capsys.readouterr().out
