"""Reads of the directory: facet counts over what the viewer may see, and nothing else."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from lab.lib.facets import FacetOption
from lab.models import Organisation


def profile_facets(queryset: QuerySet) -> dict[str, list[FacetOption]]:
    """Counts computed on the viewer's visible profiles: a hidden profile is never counted."""

    def group(field_slug: str, field_name: str) -> list[FacetOption]:
        rows = (
            queryset.filter(**{f"{field_slug}__isnull": False})
            .values(field_slug, field_name)
            .annotate(n=Count("pk", distinct=True))
            .order_by(field_name)
        )
        return [FacetOption(str(r[field_slug]), str(r[field_name]), r["n"]) for r in rows]

    # A profile has one region and one organisation: one grouped query gives both facets.
    kinds = dict(Organisation.Kind.choices)
    regions: dict[str, list] = {}
    by_kind: dict[str, int] = {}
    rows = queryset.values("region__slug", "region__name", "user__organisation__kind").annotate(
        n=Count("pk", distinct=True)
    )
    for row in rows:
        if row["region__slug"]:
            regions.setdefault(row["region__slug"], [row["region__name"], 0])[1] += row["n"]
        if row["user__organisation__kind"]:
            by_kind[row["user__organisation__kind"]] = (
                by_kind.get(row["user__organisation__kind"], 0) + row["n"]
            )
    return {
        "discipline": group("disciplines__slug", "disciplines__name"),
        "method": group("methods__slug", "methods__name"),
        "region": sorted(
            (FacetOption(slug, name, n) for slug, (name, n) in regions.items()),
            key=lambda o: o.label,
        ),
        "organisation_kind": sorted(
            (FacetOption(k, str(kinds.get(k, k)), n) for k, n in by_kind.items()),
            key=lambda o: o.label,
        ),
        "programme": group("projects__programme__slug", "projects__programme__name"),
    }
