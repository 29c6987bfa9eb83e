"""Writes of the programme catalogue: programme requests and their workflow."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lab import access
from lab.accounts import iso
from lab.models import User
from lab.outbox import email_send
from programmes.models import Programme, ProgrammeRequest

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
