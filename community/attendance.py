"""Who came: attendance at events, marked by staff at the door or afterwards.

Attended registrations and the people counted at the door are what the impact figures count
(a programme's training progress, an organisation's usage report).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Event, Registration
from lab import access
from lab.models import User

# The door opens a little before the start: attendance may be marked from then on.
DOOR_OPENS_BEFORE = datetime.timedelta(hours=2)


def _check(event: Event, by: User) -> None:
    if not access.reader(by).staff:
        raise PermissionDenied
    if timezone.now() < event.starts - DOOR_OPENS_BEFORE:
        raise ValidationError(_("Les présences se relèvent à partir du jour de l'événement."))


def registration_mark_attended(
    *, registration: Registration, attended: bool, by: User
) -> Registration:
    """Mark a registered (or waitlisted) person present or absent; idempotent."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event")
            .get(pk=registration.pk)
        )
        _check(registration.event, by)
        if registration.status == Registration.Status.CANCELLED:
            raise ValidationError(
                _("Cette inscription a été annulée : inscrivez d'abord la personne.")
            )
        if attended and registration.attended_at is None:
            registration.attended_at = timezone.now()
        elif not attended:
            registration.attended_at = None
        registration.save(update_fields=["attended_at", "updated_at"])
    return registration


def event_count_walk_ins(*, event: Event, count: int, by: User) -> Event:
    """Record how many came without a registration (counted at the door)."""
    if count < 0:
        raise ValidationError(_("Le nombre de présents sans inscription ne peut être négatif."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check(event, by)
        event.walk_in_attendees = count
        event.save(update_fields=["walk_in_attendees"])
    return event


def attendance_summary(event: Event) -> dict:
    registrations = event.registrations.exclude(status=Registration.Status.CANCELLED)
    registered = registrations.filter(status=Registration.Status.REGISTERED).count()
    present = registrations.filter(attended_at__isnull=False).count()
    return {
        "registered": registered,
        "present": present,
        "walk_ins": event.walk_in_attendees,
        "total": present + event.walk_in_attendees,
    }
