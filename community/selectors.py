"""Reads of the directory: facet counts over what the viewer may see, and nothing else."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Count, Max, OuterRef, QuerySet
from django.utils.translation import get_language

from community.models import Discipline, Method, Profile
from lab.lib.facets import FacetOption
from lab.models import Organisation, Region, User
from programmes.models import Programme, Project

FACETS = ("discipline", "method", "region", "organisation_kind", "programme")
# What a card of the directory shows, and nothing more (the bio is the widest column).
CARD_FIELDS = ("display_name", "slug", "role", "region__name", "user__organisation__name")


def directory_version(visible: QuerySet) -> str:
    """What changes whenever a profile shown in the directory does: how many profiles this
    audience sees and when the latest of them was saved (index-only, `profile_directory_idx`).

    A profile saved, made visible, hidden (even by an `update()`), deleted or consented to again
    changes it; its disciplines, methods and projects are saved with it (`profile_save` is
    atomic), so they do too.
    """
    found = visible.order_by().aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"{found['n']}-{found['last'].timestamp() if found['last'] else 0}"


def directory_rows(queryset: QuerySet) -> QuerySet:
    """The directory's cards: their columns only, and each profile's discipline names as an
    array read in the same query (a subquery run for the page's rows alone), not a prefetch."""
    label = "name_en" if get_language() == "en" else "name"
    names = Discipline.objects.filter(profiles=OuterRef("pk")).order_by(label).values(label)
    return (
        queryset.select_related("region", "user__organisation")
        .only(*CARD_FIELDS)
        .annotate(discipline_names=ArraySubquery(names))
    )


def profile_facets(queryset: QuerySet) -> dict[str, list[FacetOption]]:
    """Counts computed on the viewer's visible profiles: a hidden profile is never counted.

    One query whatever the number of profiles: the visible profiles are read once (a CTE over
    the partial `profile_directory_idx`, index-only), then each facet groups them through its
    own link table, the five groupings joined by UNION ALL, names included. A profile has one
    region and one organisation, and at most one link to a discipline or a method, so COUNT(*)
    counts each profile once; its projects may repeat a programme, so (profile, programme)
    pairs are made distinct first (a hash, where COUNT(DISTINCT) would sort).
    """
    visible, params = (
        queryset.order_by().values("pk", "region_id", "user_id").query.sql_with_params()
    )
    english = get_language() == "en"
    tables = {
        "profile_disciplines": Profile.disciplines.through._meta.db_table,
        "profile_methods": Profile.methods.through._meta.db_table,
        "profile_projects": Profile.projects.through._meta.db_table,
        "discipline": Discipline._meta.db_table,
        "method": Method._meta.db_table,
        "region": Region._meta.db_table,
        "user": User._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "project": Project._meta.db_table,
        "programme": Programme._meta.db_table,
    }
    label = "name_en" if english else "name"
    query = f"""
        WITH v (id, region_id, user_id) AS MATERIALIZED ({visible})
        SELECT 'discipline', d.slug, d.{label}, COUNT(*)
          FROM v JOIN {tables["profile_disciplines"]} l ON l.profile_id = v.id
                 JOIN {tables["discipline"]} d ON d.id = l.discipline_id
         GROUP BY d.id
        UNION ALL
        SELECT 'method', m.slug, m.{label}, COUNT(*)
          FROM v JOIN {tables["profile_methods"]} l ON l.profile_id = v.id
                 JOIN {tables["method"]} m ON m.id = l.method_id
         GROUP BY m.id
        UNION ALL
        SELECT 'region', r.slug, r.name, COUNT(*)
          FROM v JOIN {tables["region"]} r ON r.id = v.region_id
         GROUP BY r.id
        UNION ALL
        SELECT 'organisation_kind', o.kind, NULL, COUNT(*)
          FROM v JOIN {tables["user"]} u ON u.id = v.user_id
                 JOIN {tables["organisation"]} o ON o.id = u.organisation_id
         GROUP BY o.kind
        UNION ALL
        SELECT 'programme', g.slug, g.name, COUNT(*)
          FROM (SELECT DISTINCT l.profile_id, p.programme_id
                  FROM v JOIN {tables["profile_projects"]} l ON l.profile_id = v.id
                         JOIN {tables["project"]} p ON p.id = l.project_id) AS x
               JOIN {tables["programme"]} g ON g.id = x.programme_id
         GROUP BY g.id
        ORDER BY 1, 3
    """  # noqa: S608 (table names from the models; every value is a parameter)
    kinds = dict(Organisation.Kind.choices)
    facets: dict[str, list[FacetOption]] = {name: [] for name in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for facet, value, name, count in cursor.fetchall():
            if facet == "organisation_kind":
                name = str(kinds.get(value, value))
            facets[facet].append(FacetOption(value, name, count))
    facets["organisation_kind"].sort(key=lambda option: option.label)  # translated labels
    return facets


def attendance_by(organisation_id: int, years: list[int]) -> dict[int, dict[str, int]]:
    """Events attended by people of an organisation (registrations marked present), and how
    many different people attended a training, by year of the event: what its membership
    report counts (members/selectors.py). A person counts for the organisation they belong to
    now. One query."""
    from django.db.models import Q

    from community.models import Event, Registration

    training = Q(event__kind=Event.Kind.TRAINING)
    rows = (
        Registration.objects.filter(
            user__organisation_id=organisation_id,
            attended_at__isnull=False,
            event__starts__year__in=years,
        )
        .values_list("event__starts__year")
        .annotate(
            events=Count("pk"),
            trained=Count("user", filter=training, distinct=True),
        )
        .order_by()
    )
    return {year: {"events": events, "trained": trained} for year, events, trained in rows}
