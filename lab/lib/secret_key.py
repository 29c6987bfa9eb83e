"""Production refuses a SECRET_KEY anyone could know: signed links (address confirmations,
release links, invitations) are only as safe as that key."""

from __future__ import annotations

from pathlib import Path

MIN_LENGTH = 50
# Files of this repository that hold example or development keys: a key found in them is public.
PUBLIC_FILES = [".env.example", "README.md", "docker-compose.yml", "lab/settings.py", "Dockerfile"]
PLACEHOLDERS = ("change-me", "changeme", "dev-only", "not-for-production", "django-insecure-")


def weak_secret(value: str, root: Path) -> str | None:
    """Why `value` must not sign anything in production, or None when it may."""
    if len(value) < MIN_LENGTH:
        return f"shorter than {MIN_LENGTH} characters"
    if len(set(value)) < 10:
        return "too few different characters"
    lowered = value.lower()
    if any(placeholder in lowered for placeholder in PLACEHOLDERS):
        return "a placeholder, not a secret"
    for name in PUBLIC_FILES:
        path = root / name
        if path.is_file() and value in path.read_text(encoding="utf-8", errors="ignore"):
            return f"written in {name}, which is public"
    return None
