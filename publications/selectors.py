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


def downloads_by(organisation_id: int, years: list[int]) -> dict[int, int]:
    """Files downloaded by people of an organisation, by year (downloads record no person):
    what its membership report counts (members/selectors.py). One query."""
    from publications.models import Download

    rows = (
        Download.objects.filter(organisation_id=organisation_id, at__year__in=years)
        .values_list("at__year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def coedited_by(organisation_id: int) -> QuerySet:
    """Published publications an organisation co-edited (its public page: titles only, which
    the teaser shows to anyone anyway)."""
    return (
        Publication.objects.published()
        .filter(co_editors=organisation_id)
        .only("title", "slug", "year", "kind")
        .order_by("-year", "title")
    )
