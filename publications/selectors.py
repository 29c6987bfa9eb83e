"""Reads of the collection for other pages (the home page)."""

from __future__ import annotations

from django.db.models import QuerySet

from publications.models import Publication


def latest_publications(user, limit: int = 4) -> QuerySet:
    """The newest publications this person may see at least the teaser of."""
    return Publication.objects.visible_to(user).order_by("-published_at")[:limit]
