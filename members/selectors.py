"""Reads of the membership app: an organisation's usage report, its people, its public page.

The counts come from each app's own selector (superpublic, publications, community,
programmes): this app never reads their tables itself. The report holds counts only; the
people listed are the organisation's own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.selectors import attendance_by
from lab.models import Membership, Organisation, User
from members.models import Referent, Team
from programmes.selectors import programme_activity_of, projects_hosted_by
from publications.selectors import coedited_by, downloads_by
from superpublic.selectors import hours_booked_by

# The report's lines, in order: (key, label).
USAGE_LINES = [
    ("hours_booked", _("Heures réservées à Superpublic")),
    ("downloads", _("Publications téléchargées")),
    ("events_attended", _("Participations à des événements")),
    ("trained", _("Personnes formées")),
    ("requests", _("Demandes de programme")),
    ("editions", _("Éditions de programmes accueillies")),
]


@dataclass
class UsageLine:
    key: str
    label: str
    values: list  # one per year, in the report's order


@dataclass
class UsageReport:
    organisation: Organisation
    years: list[int]
    lines: list[UsageLine]

    def as_rows(self) -> list[list]:
        """The CSV's rows: a header, then one row per line."""
        return [
            [str(_("Indicateur")), *map(str, self.years)],
            *([str(line.label), *line.values] for line in self.lines),
        ]


def usage_report(organisation: Organisation, *, year: int | None = None) -> UsageReport:
    """What the organisation used this year and last (the renewal conversation's figures).

    Six queries whatever the organisation's size."""
    year = year or timezone.localdate().year
    years = [year - 1, year]
    hours = hours_booked_by(organisation.pk, years)
    downloads = downloads_by(organisation.pk, years)
    attendance = attendance_by(organisation.pk, years)
    activity = programme_activity_of(organisation.pk, years)
    values = {
        "hours_booked": [round(hours.get(y, 0), 1) for y in years],
        "downloads": [downloads.get(y, 0) for y in years],
        "events_attended": [attendance.get(y, {}).get("events", 0) for y in years],
        "trained": [attendance.get(y, {}).get("trained", 0) for y in years],
        "requests": [activity[y]["requests"] for y in years],
        "editions": [activity[y]["editions"] for y in years],
    }
    return UsageReport(
        organisation=organisation,
        years=years,
        lines=[UsageLine(key, str(label), values[key]) for key, label in USAGE_LINES],
    )


def people_of(organisation: Organisation) -> QuerySet:
    """The organisation's people on the platform, referents marked (one query)."""
    return (
        User.objects.filter(organisation=organisation, is_active=True)
        .annotate(is_referent=Exists(Referent.objects.filter(user=OuterRef("pk"), organisation=organisation)))
        .only("email", "first_name", "last_name", "date_joined", "last_login")
        .order_by("last_name", "first_name", "email")
    )  # fmt: skip


def memberships_of(organisation: Organisation) -> list[Membership]:
    return list(organisation.memberships.order_by("-starts"))


def current_or_last_membership(memberships: list[Membership], on: datetime.date | None = None):
    """The membership active on the day, else the latest that began."""
    on = on or timezone.localdate()
    active = [m for m in memberships if m.is_active(on)]
    if active:
        return active[0]
    begun = [m for m in memberships if m.starts <= on]
    return begun[0] if begun else None


def listed_organisations() -> QuerySet:
    """Organisations that agreed to a public page and hold, or held, a membership."""
    return (
        Organisation.objects.filter(public_page__listed=True)
        .filter(Exists(Membership.objects.filter(organisation=OuterRef("pk"))))
        .select_related("region", "public_page")
        .order_by("name")
    )


def public_page_of(organisation: Organisation) -> dict:
    """What an organisation's public page shows: its memberships' years, what it hosted and
    co-edited, and the labs and teams that came out of the programmes with it."""
    return {
        "memberships": memberships_of(organisation),
        "projects": list(projects_hosted_by(organisation.pk)),
        "publications": list(coedited_by(organisation.pk)),
        "teams": list(Team.objects.filter(organisation=organisation).select_related("project")),
    }
