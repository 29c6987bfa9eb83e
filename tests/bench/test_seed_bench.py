"""The bench's data: only in its own database, and reported as counted there."""

import pytest
from django.core.management import CommandError, call_command

from bench.management.commands import seed_bench
from lab.models import User

pytestmark = pytest.mark.django_db


def test_bench_data_never_goes_to_another_database():
    with pytest.raises(CommandError, match="lab_bench"):
        call_command(seed_bench.Command(), "--quick")
    assert not User.objects.filter(email__endswith="@bench.test").exists()
