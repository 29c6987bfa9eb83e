"""What ProConnect said about a person, as kept by allauth."""

from __future__ import annotations


def userinfo(data: dict) -> dict:
    """The verified userinfo claims of a login's data (or of a social account's extra_data)."""
    return data.get("userinfo") or {}
