"""Reads of the catalogue that span relations: facet counts, region figures, related projects."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)

from lab.lib.facets import FacetOption
from lab.models import Organisation, Region
from programmes.filters import ProjectFilter
from programmes.models import Programme, Project, Theme

# The facets counted in one pass, each under every chosen filter but its own.
SCANNED_FACETS = ("programme", "region", "status", "year")


def project_facets(filterset: ProjectFilter) -> dict[str, list[FacetOption]]:
    """For each filter, its options with the number of projects each would give.

    Each count applies every other chosen filter, so a person sees what a click yields. Three
    queries whatever the number of projects: one pass over the narrow `project_facets_idx`
    (index-only) counts programmes, regions, statuses and years together, with the
    programmes' names; one over the themes' link table counts themes, with their names; the
    regions, to fold the old regions' counts into their successors'.
    """
    counts = _scanned_counts(filterset)
    return {
        "programme": [
            FacetOption(slug, name, n)
            for n, slug, name, _order in sorted(
                counts["programme"].values(), key=lambda row: (row[3], row[2])
            )
        ],
        "region": _region_options(filterset, counts["region"]),
        "theme": [FacetOption(slug, name, n) for slug, name, n in _theme_counts(filterset)],
        "status": [
            FacetOption(value, str(label), counts["status"][value])
            for value, label in Project.Status.choices
            if counts["status"].get(value)
        ],
        "year": _year_options(counts["year"]),
    }


def _scanned_counts(filterset: ProjectFilter) -> dict[str, dict]:
    """Counts by programme (with its slug, name and order), region, status and (start, end)
    years, in one scan.

    The rows are those the search keeps; each chosen filter becomes a boolean column, and each
    facet's count takes the rows that pass every filter but its own (COUNT … FILTER). GROUPING
    SETS then groups the same rows four ways. Raw SQL around the ORM's query: the ORM has no
    GROUPING SETS.
    """
    conditions = filterset.conditions()
    flags = {
        f"chosen_{name}": ExpressionWrapper(c, BooleanField()) for name, c in conditions.items()
    }
    inner = (
        filterset.searched()
        .annotate(**flags)
        .values("programme_id", "region_id", "status", "start_year", "end_year", *flags)
        .order_by()  # the model's default order would sort every row by title
    )
    sql, params = inner.query.sql_with_params()

    def passing_all_but(facet: str) -> str:
        others = [f"p.chosen_{name}" for name in conditions if name != facet]
        return " AND ".join(others) or "TRUE"

    counts = ", ".join(
        f"COUNT(*) FILTER (WHERE {passing_all_but(facet)})" for facet in SCANNED_FACETS
    )
    query = f"""
        SELECT c.*, g.slug, g.name, g."order" FROM (
            SELECT GROUPING(p.programme_id), GROUPING(p.region_id), GROUPING(p.status),
                   p.programme_id, p.region_id, p.status, p.start_year, p.end_year, {counts}
            FROM ({sql}) AS p
            GROUP BY GROUPING SETS ((p.programme_id), (p.region_id), (p.status),
                                    (p.start_year, p.end_year))
        ) AS c LEFT JOIN {Programme._meta.db_table} AS g ON g.id = c.programme_id
    """  # noqa: S608 (only our own column and table names are interpolated; values are parameters)
    result: dict[str, dict] = {facet: {} for facet in SCANNED_FACETS}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for row in cursor.fetchall():
            by_programme, by_region, by_status = row[0] == 0, row[1] == 0, row[2] == 0
            programme_id, region_id, status, start, end = row[3:8]
            n_programme, n_region, n_status, n_year = row[8:12]
            if by_programme and n_programme:
                result["programme"][programme_id] = (n_programme, *row[12:15])
            elif by_region and n_region:
                result["region"][region_id] = n_region
            elif by_status and n_status:
                result["status"][status] = n_status
            elif not (by_programme or by_region or by_status) and n_year:
                result["year"][(start, end)] = n_year
    return result


def _theme_counts(filterset: ProjectFilter) -> list[tuple[str, str, int]]:
    """(slug, name, count) of each theme, over the link table: counted by theme id first, the
    names joined to the dozen counts after (grouping the 20,000 links by name took twice as
    long)."""
    projects, params = (
        filterset.filtered_without("theme").order_by().values("pk").query.sql_with_params()
    )  # no ORDER BY in the subquery: the model's default order would sort every match
    link, theme = Project.themes.through._meta.db_table, Theme._meta.db_table
    query = f"""
        SELECT t.slug, t.name, c.n
        FROM (SELECT l.theme_id, COUNT(*) AS n FROM {link} l
              WHERE l.project_id IN ({projects}) GROUP BY l.theme_id) AS c
        JOIN {theme} AS t ON t.id = c.theme_id
        ORDER BY t.name
    """  # noqa: S608 (only our own table names are interpolated; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _region_options(filterset: ProjectFilter, direct: dict[int, int]) -> list[FacetOption]:
    """One option per region in force today, counting its pre-2016 predecessors' projects too.

    A pre-2016 region appears only when it is the one chosen (an old link), so the list keeps
    one entry per place.
    """
    regions = list(Region.objects.all())
    chosen = filterset.form.cleaned_data.get("region") if filterset.form.is_valid() else None
    totals: Counter[int] = Counter()
    for region in regions:
        heir = region.successor_id if region.generation == Region.Generation.PRE2016 else None
        totals[heir or region.pk] += direct.get(region.pk, 0)
    options = [
        FacetOption(region.slug, str(region), totals[region.pk])
        for region in regions
        if region.generation != Region.Generation.PRE2016 and totals[region.pk]
    ]
    if chosen is not None and chosen.generation == Region.Generation.PRE2016:
        lineage = chosen.lineage_ids()
        options.append(
            FacetOption(chosen.slug, str(chosen), sum(direct.get(i, 0) for i in lineage))
        )
    return sorted(options, key=lambda option: option.label)


def _year_options(by_years: dict[tuple[int, int | None], int]) -> list[FacetOption]:
    years: Counter[int] = Counter()
    for (start, end), n in by_years.items():
        for year in range(start, (end or start) + 1):
            years[year] += n
    return [FacetOption(str(year), str(year), years[year]) for year in sorted(years, reverse=True)]


def total_from_facets(filterset: ProjectFilter, facets: dict[str, list[FacetOption]]) -> int:
    """The number of projects matching every filter, read from the status counts: with no
    status chosen they add up to it; with one chosen, its own count is it."""
    counts = {option.value: option.count for option in facets["status"]}
    chosen = filterset.form.cleaned_data.get("status") if filterset.form.is_valid() else None
    return counts.get(chosen, 0) if chosen else sum(counts.values())


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
    """Other projects of the same programme or sharing a theme, the most recent first.

    `project` comes from the project page, with its themes as `theme_list`.

    No DISTINCT and no join: the themes are an EXISTS, so the planner walks the year-and-title
    index in order and stops at the fourth match.
    """
    theme_ids = [theme["id"] for theme in project.theme_list]
    shares_a_theme = Exists(
        Project.themes.through.objects.filter(project_id=OuterRef("pk"), theme_id__in=theme_ids)
    )
    return (
        Project.objects.published()
        .filter(Q(programme_id=project.programme_id) | shares_a_theme)
        .exclude(pk=project.pk)
        .select_related("programme", "region")
        .only("title", "slug", "start_year", "end_year", "programme__name", "region__name")
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
    """The latest editions, in the list page's order (its index, no sort)."""
    return Project.objects.published().for_list().order_by("-start_year", "title")[:limit]


# What the lab's work adds up to (the home page's and the programme pages' figures) -----------

# community.Event.Kind.TRAINING, named here by its value: this app imports no other app, and
# reaches a programme's events through the relation the events declare.
TRAINING = "training"


def training_progress(programme: Programme) -> dict | None:
    """Agents trained toward the programme's target: those marked present at its training
    events, and those counted at the door without a registration."""
    if not programme.training_target:
        return None
    # One query: each session's present registrations, then the sums over the sessions.
    counts = (
        programme.events.filter(kind=TRAINING)
        .annotate(came=Count("registrations", filter=Q(registrations__attended_at__isnull=False)))
        .aggregate(present=Sum("came"), walk_ins=Sum("walk_in_attendees"), sessions=Count("id"))
    )
    trained = (counts["present"] or 0) + (counts["walk_ins"] or 0)
    return {
        "programme": programme,
        "trained": trained,
        "target": programme.training_target,
        "years": programme.training_target_years,
        "percent": min(100, round(100 * trained / programme.training_target)),
        "sessions": counts["sessions"],
    }


def impact_figures() -> dict:
    """Every figure of the home page's « en chiffres », counted from the catalogue."""
    programmes = list(
        Programme.objects.annotate(editions=Count("projects", filter=Q(projects__published=True)))
    )
    totals = Project.objects.published().aggregate(
        generated=Sum("ideas_generated", filter=Q(ideas_implemented__isnull=False)),
        implemented=Sum("ideas_implemented", filter=Q(ideas_generated__isnull=False)),
        cohort=Sum("participants", filter=Q(network_size__isnull=False)),
        network=Sum("network_size"),
        regions=Count("region", distinct=True),
    )
    rate = None
    if totals["generated"]:
        rate = round(100 * totals["implemented"] / totals["generated"])
    return {
        "programmes": [programme for programme in programmes if programme.editions],
        "implementation_rate": rate,
        "cohort": totals["cohort"],
        "network": totals["network"],
        "regions": totals["regions"],
        "training": [
            training_progress(programme) for programme in programmes if programme.training_target
        ],
    }


def programme_activity_of(organisation_id: int, years: list[int]) -> dict[int, dict[str, int]]:
    """Programme requests sent for an organisation and editions it hosted (running that year),
    by year: what its membership report counts (members/selectors.py). Two queries."""
    from programmes.models import ProgrammeRequest

    requests = dict(
        ProgrammeRequest.objects.filter(organisation_id=organisation_id, created_at__year__in=years)
        .values_list("created_at__year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    hosted = list(
        Project.objects.filter(host_id=organisation_id).values_list("start_year", "end_year")
    )
    return {
        year: {
            "requests": requests.get(year, 0),
            # running_during(year), on the few rows of one host
            "editions": sum(1 for s, e in hosted if s <= year and (year <= e if e else s == year)),
        }
        for year in years
    }


def projects_hosted_by(organisation_id: int) -> QuerySet:
    """The published editions an organisation hosted (its public page)."""
    return Project.objects.published().filter(host_id=organisation_id).for_list()
