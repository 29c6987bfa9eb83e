"""Production settings fail loudly when incomplete and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k" * 10 + "Zq8#vX2!mN4@pL6$rT9%wY1^bC3&dF5*gH7(jK0)lQ-",
    "ALLOWED_HOSTS": "la27eregion.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://localhost:25",
}


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    leaks = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in leaks}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"]
)
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_debug():
    result = _manage("check", env={**PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_passes_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("change-me-to-64-random-characters", "shorter than 50"),
        ("x" * 64, "too few different characters"),
        ("change-me-" + "aB3dE5gH7jK9mN1pQ2sT4vW6yZ8" * 2, "placeholder"),
        ("dev-only-secret-key-not-for-production-use-0123456789abcdef", "placeholder"),
    ],
)
def test_production_refuses_a_weak_or_public_secret_key(secret, reason):
    result = _manage("check", env={**PRODUCTION, "SECRET_KEY": secret})
    assert result.returncode != 0
    assert "SECRET_KEY refused" in result.stderr and reason in result.stderr


def test_production_refuses_a_secret_key_written_in_the_repository(tmp_path):
    from lab.lib.secret_key import weak_secret

    key = "Zq8vX2mN4pL6rT9wY1bC3dF5gH7jK0lQ" * 2
    (tmp_path / ".env.example").write_text(f"SECRET_KEY={key}\n")
    assert weak_secret(key, tmp_path) == "written in .env.example, which is public"
    assert weak_secret(key, tmp_path / "elsewhere") is None
