"""Reads of the catalogue that span relations: facet counts, region figures, related projects."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from lab.models import Organisation, Region
from programmes.filters import ProjectFilter
from programmes.models import Programme, Project


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


def project_facets(filterset: ProjectFilter) -> dict[str, list[FacetOption]]:
    """For each filter, its options with the number of projects each would give.

    Each count applies every other active filter, so a person sees what a click yields.
    One grouped query per filter, whatever the number of projects. Plain COUNT, not COUNT
    DISTINCT (which sorts every row): each filter matches a project at most once (one
    programme, one region, one year range, one theme), so no project row is repeated.
    """
    facets: dict[str, list[FacetOption]] = {}

    rows = (
        filterset.filtered_without("programme")
        .values("programme__slug", "programme__name", "programme__order")
        .annotate(n=Count("id"))
        .order_by("programme__order", "programme__name")
    )
    facets["programme"] = [
        FacetOption(r["programme__slug"], r["programme__name"], r["n"]) for r in rows
    ]

    rows = (
        filterset.filtered_without("theme")
        .filter(themes__isnull=False)
        .values("themes__slug", "themes__name")
        .annotate(n=Count("id"))
        .order_by("themes__name")
    )
    facets["theme"] = [FacetOption(r["themes__slug"], r["themes__name"], r["n"]) for r in rows]

    counts = dict(
        filterset.filtered_without("status").values_list("status").annotate(n=Count("id"))
    )
    facets["status"] = [
        FacetOption(value, str(label), counts[value])
        for value, label in Project.Status.choices
        if counts.get(value)
    ]

    facets["region"] = _region_options(filterset.filtered_without("region"))
    facets["year"] = _year_options(filterset.filtered_without("year"))
    return facets


def _region_options(queryset: QuerySet) -> list[FacetOption]:
    """Counts by region, where a region also counts its predecessors' or successor's projects."""
    rows = queryset.values(
        "region_id", "region__slug", "region__name", "region__generation",
        "region__successor_id", "region__successor__slug", "region__successor__name",
    ).annotate(n=Count("id"))  # fmt: skip
    direct: Counter[int] = Counter()
    labels: dict[int, tuple[str, str]] = {}
    successor_of: dict[int, int] = {}
    for row in rows:
        direct[row["region_id"]] += row["n"]
        name = row["region__name"]
        if row["region__generation"] == Region.Generation.PRE2016:
            name = f"{name} (avant 2016)"
        labels[row["region_id"]] = (row["region__slug"], name)
        if row["region__successor_id"]:
            successor_of[row["region_id"]] = row["region__successor_id"]
            labels.setdefault(
                row["region__successor_id"],
                (row["region__successor__slug"], row["region__successor__name"]),
            )
    totals: Counter[int] = Counter()
    for region_id in labels:
        totals[region_id] += direct[region_id]
    for old, new in successor_of.items():
        if old != new:
            totals[old] += direct[new]
            totals[new] += direct[old]
    options = [FacetOption(labels[i][0], labels[i][1], totals[i]) for i in labels if totals[i]]
    return sorted(options, key=lambda option: option.label)


def _year_options(queryset: QuerySet) -> list[FacetOption]:
    years: Counter[int] = Counter()
    for start, end, n in queryset.values_list("start_year", "end_year").annotate(n=Count("id")):
        for year in range(start, (end or start) + 1):
            years[year] += n
    return [FacetOption(str(year), str(year), years[year]) for year in sorted(years, reverse=True)]


def programme_figures(programme: Programme) -> dict:
    """What a programme's published projects add up to."""
    totals = programme.projects.published().aggregate(
        projects=Count("id"),
        participants=Sum("participants"),
        ideas_generated=Sum("ideas_generated"),
        ideas_implemented=Sum("ideas_implemented"),
        regions=Count("region", distinct=True),
    )
    if totals["ideas_generated"] and totals["ideas_implemented"] is not None:
        totals["implementation_rate"] = round(
            100 * totals["ideas_implemented"] / totals["ideas_generated"]
        )
    return totals


def related_projects(project: Project, limit: int = 4) -> QuerySet:
    """Other projects of the same programme or sharing a theme, the most recent first."""
    theme_ids = [theme.pk for theme in project.themes.all()]
    return (
        Project.objects.published()
        .filter(Q(programme_id=project.programme_id) | Q(themes__in=theme_ids))
        .exclude(pk=project.pk)
        .distinct()
        .select_related("programme", "region")
        .order_by("-start_year", "title")[:limit]
    )


def member_councils_by_region() -> dict[int, Organisation]:
    """Regional councils holding an active membership, by region id."""
    councils = Organisation.objects.with_active_membership().filter(
        kind=Organisation.Kind.REGIONAL_COUNCIL, region__isnull=False
    )
    return {council.region_id: council for council in councils}


def region_project_counts(regions: list[Region]) -> dict[int, int]:
    """Published projects per region, each region counting its lineage's projects too."""
    direct = dict(Project.objects.published().values_list("region_id").annotate(n=Count("id")))
    lineage: dict[int, set[int]] = defaultdict(set)
    for region_id, successor_id in ((r.pk, r.successor_id) for r in regions):
        lineage[region_id].add(region_id)
        if successor_id:
            lineage[region_id].add(successor_id)
            lineage[successor_id].add(region_id)
            lineage[successor_id].add(successor_id)
    return {region_id: sum(direct.get(i, 0) for i in ids) for region_id, ids in lineage.items()}


def active_programmes() -> QuerySet:
    """The programmes a region can order today, in the catalogue's order."""
    return Programme.objects.filter(status=Programme.Status.ACTIVE)


def recent_projects(limit: int = 3) -> QuerySet:
    return (
        Project.objects.published()
        .select_related("programme", "host", "region")
        .prefetch_related("themes")
        .order_by("-start_year", "-created_at")[:limit]
    )
