"""Writes of the programme catalogue: programme requests and their workflow."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lab import access
from lab.accounts import iso
from lab.models import Region, User
from lab.outbox import email_send
from programmes.models import Programme, ProgrammeRequest, Project, ProjectPhase

Status = ProgrammeRequest.Status

# Where a request may go from each status.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.DISCUSSION, Status.ACCEPTED, Status.DECLINED},
    Status.DISCUSSION: {Status.ACCEPTED, Status.DECLINED},
    Status.ACCEPTED: set(),
    Status.DECLINED: set(),
}


def _request_context(request: ProgrammeRequest) -> dict:
    return {
        "programme": request.programme.name,
        "organisation": request.organisation_name,
        "requester": request.requester.get_full_name() or request.requester.email,
        "requester_email": request.requester.email,
        "status": str(request.get_status_display()),
        "staff_note": request.staff_note,
        "period": f"{request.desired_start:%d/%m/%Y} – {request.desired_end:%d/%m/%Y}",
        "participants": request.expected_participants,
        "need": request.need,
        "my_requests_url": settings.SITE_URL + reverse("programmes:my_requests"),
        "admin_url": settings.SITE_URL
        + reverse("admin:programmes_programmerequest_change", args=[request.pk]),
    }


def programme_request_create(
    *,
    user: User,
    programme: Programme,
    organisation_name: str,
    need: str,
    desired_start: datetime.date,
    desired_end: datetime.date,
    expected_participants: int,
    phone: str,
) -> ProgrammeRequest:
    """Record a request, tell the staff; at most MAX_OPEN_PER_USER open requests per person."""
    if not access.reader(user).verified:
        raise PermissionDenied
    if programme.status != Programme.Status.ACTIVE:
        raise ValidationError(_("Ce programme n'est plus proposé."))
    with transaction.atomic():
        # Lock the requester's row: two tabs submitting at once cannot both pass the limit.
        User.objects.select_for_update().get(pk=user.pk)
        if ProgrammeRequest.objects.filter(requester=user).open().count() >= (
            ProgrammeRequest.MAX_OPEN_PER_USER
        ):
            raise ValidationError(
                _(
                    "Vous avez déjà %(count)s demandes en cours : attendez qu'une soit traitée "
                    "avant d'en envoyer une autre."
                )
                % {"count": ProgrammeRequest.MAX_OPEN_PER_USER}
            )
        request = ProgrammeRequest(
            programme=programme,
            requester=user,
            organisation=user.organisation,
            organisation_name=organisation_name.strip(),
            need=need.strip(),
            desired_start=desired_start,
            desired_end=desired_end,
            expected_participants=expected_participants,
            phone=phone.strip(),
        )
        request.full_clean()
        request.save()
        email_send(
            name="programmes/request_new",
            to=settings.STAFF_NOTIFICATION_EMAILS,
            context=_request_context(request),
            language="fr",
        )
        email_send(
            name="programmes/request_received",
            to=[user.email],
            context=_request_context(request),
        )
    return request


def programme_request_set_status(
    *, request: ProgrammeRequest, status: str, by: User, note: str | None = None
) -> ProgrammeRequest:
    """Move a request along its workflow; the requester hears of each step."""
    if not access.reader(by).staff:
        raise PermissionDenied
    with transaction.atomic():
        request = (
            ProgrammeRequest.objects.select_for_update(of=("self",))
            .select_related("programme", "requester")
            .get(pk=request.pk)
        )
        if status == request.status and note is None:
            return request
        if status != request.status and status not in TRANSITIONS[request.status]:
            raise ValidationError(
                _("Une demande « %(current)s » ne peut pas passer à « %(target)s ».")
                % {
                    "current": request.get_status_display(),
                    "target": Status(status).label,
                }
            )
        changed = status != request.status
        request.status = status
        if note is not None:
            request.staff_note = note.strip()
        request.decided_by = by
        request.full_clean()
        request.save()
        if changed:
            email_send(
                name="programmes/request_status",
                to=[request.requester.email],
                context=_request_context(request),
            )
    return request


# From order to edition -----------------------------------------------------------------------


def _first_monday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=-day.weekday() % 7)


def dated_phases(programme: Programme, start: datetime.date) -> list[ProjectPhase]:
    """The programme's template phases dated from `start`: each begins on the Monday of its
    week in the template (counted from the first Monday on or after `start`) and ends on the
    Friday of its last week. Phases without a place in the template calendar are left out."""
    first = _first_monday(start)
    dated = []
    for phase in programme.phases.filter(starts_week__isnull=False).order_by("order"):
        begins = first + datetime.timedelta(weeks=phase.starts_week)
        ends = begins + datetime.timedelta(weeks=phase.weeks or 1, days=-3)
        dated.append(
            ProjectPhase(
                order=len(dated) + 1,
                name=phase.name,
                description=phase.description,
                starts_on=begins,
                ends_on=ends,
            )
        )
    return dated


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180].strip("-") or "edition"
    slug, n = base, 1
    while Project.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _region_on(region: Region, day: datetime.date) -> Region:
    """A council's pre-2016 region becomes its successor for an edition after the reform."""
    if region.successor_id and day >= datetime.date(2016, 1, 1):
        return region.successor
    return region


def edition_create_from_request(*, request: ProgrammeRequest, by: User) -> Project:
    """Turn an accepted request into an edition of its programme, with its phases dated from
    the programme's template; the requester is told and follows it under « Mes demandes »."""
    if not access.reader(by).staff:
        raise PermissionDenied
    with transaction.atomic():
        request = (
            ProgrammeRequest.objects.select_for_update(of=("self",))
            .select_related("programme", "requester", "organisation__region__successor")
            .get(pk=request.pk)
        )
        if request.status != Status.ACCEPTED:
            raise ValidationError(
                _("Seule une demande acceptée devient une édition (celle-ci est « %(status)s »).")
                % {"status": request.get_status_display()}
            )
        if Project.objects.filter(request=request).exists():
            raise ValidationError(_("Cette demande a déjà son édition."))
        host = request.organisation
        if host is None:
            raise ValidationError(
                _(
                    "Rattachez d'abord la demande à une organisation (champ « Organisation ») : "
                    "c'est elle qui accueille l'édition."
                )
            )
        if host.region is None:
            raise ValidationError(
                _("Indiquez d'abord la région de l'organisation « %(name)s ».")
                % {"name": host.name}
            )
        programme = request.programme
        phases = dated_phases(programme, request.desired_start)
        starts_on = request.desired_start
        ends_on = max([request.desired_end, *(phase.ends_on for phase in phases)])
        title = f"{programme.name} · {host.name}"
        with translation.override("fr"):
            summary = _("Édition de %(programme)s avec %(host)s, du %(start)s au %(end)s.") % {
                "programme": programme.name,
                "host": host.name,
                "start": formats.date_format(starts_on, "j F Y"),
                "end": formats.date_format(ends_on, "j F Y"),
            }
        edition = Project(
            title=title,
            slug=_unique_slug(title),
            programme=programme,
            host=host,
            region=_region_on(host.region, starts_on),
            start_year=starts_on.year,
            end_year=ends_on.year,
            starts_on=starts_on,
            ends_on=ends_on,
            status=(
                Project.Status.PLANNED
                if starts_on > timezone.localdate()
                else Project.Status.ONGOING
            ),
            summary=summary,
            published=False,  # staff write its story before it shows in the catalogue
            request=request,
        )
        edition.full_clean()
        edition.save()
        for phase in phases:
            phase.project = edition
        ProjectPhase.objects.bulk_create(phases)
        requester = request.requester
        language = "fr"
        with translation.override(language):
            timeline = [
                _("%(name)s : du %(start)s au %(end)s")
                % {
                    "name": phase.name,
                    "start": formats.date_format(phase.starts_on, "l j F Y"),
                    "end": formats.date_format(phase.ends_on, "l j F Y"),
                }
                for phase in phases
            ]
        email_send(
            name="programmes/edition_created",
            to=[requester.email],
            context={**_request_context(request), "edition": edition.title, "timeline": timeline},
            language=language,
        )
    return edition


# A person's account (lab/accounts.py) ---------------------------------------------------------


def account_export(user: User) -> dict:
    return {
        "programme_requests": [
            {"programme": r.programme.name, "organisation": r.organisation_name, "need": r.need, "status": r.status,
             "desired_start": iso(r.desired_start), "desired_end": iso(r.desired_end), "sent_at": iso(r.created_at)}
            for r in ProgrammeRequest.objects.filter(requester=user).select_related("programme")
        ]
    }  # fmt: skip


def account_forget(user: User) -> None:
    """A person's requests go with them (what they wrote is theirs)."""
    ProgrammeRequest.objects.filter(requester=user).delete()
