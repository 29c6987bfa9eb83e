"""schemathesis against a live server: no 5xx, every response matches the OpenAPI schema."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

# How many examples, where: a few per operation, many on the parameters people type.
CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_the_api_keeps_its_schema_under_generated_requests(live_server, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    settings.DEBUG = True  # demo accounts and content, as after `make run`
    call_command("seed_demo", "--accounts")
    st = shutil.which("schemathesis") or str(Path(sys.executable).with_name("schemathesis"))
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {
        **api_settings.DEFAULT_THROTTLE_RATES,
        "anon": "1000000/hour",
    }
    try:
        result = subprocess.run(
            [st, "--config-file", str(CONFIG), "run", f"{live_server.url}/api/schema/",
             "--checks", "not_a_server_error,response_schema_conformance", "--request-timeout", "10", "--no-color"],
            capture_output=True, text=True, timeout=240, check=False,
        )  # fmt: skip
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
    assert result.returncode == 0, result.stdout[-4000:]
    assert "passed" in result.stdout
