"""Reads of the collection: for other pages (the home page), and the list's version."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from publications.models import Publication


def latest_publications(user, limit: int = 4) -> QuerySet:
    """The newest publications this person may see at least the teaser of."""
    return Publication.objects.visible_to(user).order_by("-published_at")[:limit]


def collection_version(visible: QuerySet) -> str:
    """What changes whenever a card of the list does: how many publications are listed, when
    the latest was saved, how many are still in their priority window. A publication saved
    (its themes with it), published, appearing or leaving its window by the clock changes it."""
    found = visible.order_by().aggregate(
        n=Count("pk"),
        last=Max("updated_at"),
        windows=Count("pk", filter=Q(public_from__gt=timezone.now())),
    )
    last = found["last"].timestamp() if found["last"] else 0
    return f"{found['n']}-{last}-{found['windows']}"
