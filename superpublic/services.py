"""Writes of Superpublic: bookings, series, decisions, cancellations, reminders, expiry.

The database refuses overlapping active bookings (constraint booking_no_overlap); these
services check every other rule first, with clear messages, and turn a lost race into
"ce créneau vient d'être pris" with the next free slots.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lab import access
from lab.accounts import iso
from lab.models import Organisation, User
from lab.outbox import email_send
from superpublic import rules
from superpublic.models import (
    Booking,
    BookingGroup,
    BookingSeries,
    Closure,
    OpeningHours,
    Space,
)

Status = Booking.Status
Kind = Booking.Kind
RELEASE_SALT = "superpublic.release"


class SlotTaken(ValidationError):
    """The slot is held by another booking; `suggestions` holds the next free slots."""

    def __init__(
        self,
        suggestions: list[tuple[datetime.datetime, datetime.datetime]],
        message: str = "",
    ):
        super().__init__(message or _("Ce créneau vient d'être pris."), code="slot_taken")
        self.suggestions = suggestions


@dataclass(frozen=True)
class SeriesResult:
    series: BookingSeries
    created: list[Booking]
    skipped: list[tuple[datetime.date, str]]


def span(start: datetime.datetime, end: datetime.datetime) -> str:
    """« mardi 3 mars 2026, 09:00–18:00 », or from one day to another when it spans several."""
    start, end = rules.local(start), rules.local(end)
    if end.date() == start.date() or (
        end.time() == datetime.time(0) and end.date() == start.date() + datetime.timedelta(days=1)
    ):
        return f"{formats.date_format(start, 'l j F Y')}, {start:%H:%M}–{end:%H:%M}"
    if start.time() == end.time() == datetime.time(0):  # a residency: whole days
        return _("du %(first)s au %(last)s inclus") % {
            "first": formats.date_format(start, "l j F Y"),
            "last": formats.date_format(end - datetime.timedelta(days=1), "l j F Y"),
        }
    return _("du %(first)s, %(opens)s, au %(last)s, %(closes)s") % {
        "first": formats.date_format(start, "l j F Y"),
        "opens": f"{start:%H:%M}",
        "last": formats.date_format(end, "l j F Y"),
        "closes": f"{end:%H:%M}",
    }


def _when(booking: Booking) -> str:
    return span(booking.start, booking.end)


def _context(booking: Booking) -> dict:
    return {
        "title": booking.title,
        "space": booking.space.name,
        "when": _when(booking),
        "status": str(booking.get_status_display()),
        "note": booking.decision_note,
        "user_name": booking.booked_by.get_full_name() or booking.booked_by.email,
        "booking_url": settings.SITE_URL + booking.get_absolute_url(),
        "my_bookings_url": settings.SITE_URL + reverse("superpublic:my_bookings"),
        "admin_url": settings.SITE_URL
        + reverse("admin:superpublic_booking_change", args=[booking.pk]),
    }


def _notify(booking: Booking, name: str) -> None:
    email_send(name=f"superpublic/{name}", to=[booking.booked_by.email], context=_context(booking))


def booking_errors(
    *,
    space: Space,
    user: User,
    start: datetime.datetime,
    end: datetime.datetime,
    attendees: int,
    is_public: bool = False,
    now: datetime.datetime | None = None,
    check_quota: bool = True,
    kind: str = Kind.BOOKING,
) -> list[str]:
    """Every rule but the overlap (the database's), as messages a person can act on."""
    now = now or timezone.now()
    errors: list[str] = []
    privileged = access.reader(user).privileged
    if not space.active:
        errors.append(_("Cet espace n'est pas réservable en ce moment."))
    if end <= start:
        return [*errors, _("La fin doit suivre le début.")]
    if start <= now:
        errors.append(_("Choisissez un créneau à venir."))
    local_start, local_end = rules.local(start), rules.local(end)
    if kind == Kind.RESIDENCY:
        errors.extend(_residency_errors(space, local_start, local_end))
    else:
        errors.extend(_day_errors(space, start, end))
    closure = Closure.objects.affecting(space).filter(period__overlap=(start, end)).first()
    if closure:
        errors.append(
            _("« %(space)s » est fermé du %(start)s au %(end)s : %(reason)s.")
            % {
                "space": space.name,
                "start": formats.date_format(rules.local(closure.period.lower), "j F Y"),
                "end": formats.date_format(rules.local(closure.period.upper), "j F Y"),
                "reason": closure.reason,
            }
        )
    if attendees > space.capacity:
        errors.append(
            _("« %(space)s » accueille %(capacity)s personnes au plus.")
            % {"space": space.name, "capacity": space.capacity}
        )
    if attendees < 1:
        errors.append(_("Indiquez au moins une personne."))
    days = rules.horizon_days(privileged)
    limit = timezone.localdate(now) + datetime.timedelta(days=days)
    if local_start.date() > limit:
        errors.append(
            _("Vous pouvez réserver jusqu'à %(days)s jours à l'avance, soit jusqu'au %(date)s.")
            % {"days": days, "date": formats.date_format(limit, "j F Y")}
        )
    if is_public and not privileged:
        errors.append(
            _(
                "Seuls les adhérents, les partenaires et l'équipe peuvent programmer un événement public."
            )
        )
    if check_quota and not access.reader(user).staff:
        # The days (and rooms) of one group count as one booking.
        upcoming = (
            Booking.objects.owned_by(user)
            .active()
            .filter(period__endswith__gt=now)
            .aggregate(n=Count("pk", filter=Q(group__isnull=True)) + Count("group", distinct=True))[
                "n"
            ]
        )
        if upcoming >= rules.MAX_FUTURE_BOOKINGS:
            errors.append(
                _(
                    "Vous avez déjà %(max)s réservations à venir : annulez-en une pour en faire une autre."
                )
                % {"max": rules.MAX_FUTURE_BOOKINGS}
            )
    return errors


def _day_errors(space: Space, start: datetime.datetime, end: datetime.datetime) -> list[str]:
    """A booking of one day: on the grid, 30 minutes to 12 hours, within the day's hours."""
    errors: list[str] = []
    if not (rules.on_grid(start) and rules.on_grid(end)):
        errors.append(
            _("Un créneau commence et finit à l'heure pile, et quart, et demie ou moins le quart.")
        )
    if not rules.MIN_DURATION <= end - start <= rules.MAX_DURATION:
        errors.append(_("Une réservation dure de 30 minutes à 12 heures."))
    local_start, local_end = rules.local(start), rules.local(end)
    day = local_start.date()
    hours = next((h for h in space.opening_hours.all() if h.weekday == day.weekday()), None)
    weekday = formats.date_format(local_start, "l")
    if local_end.date() != day and local_end.time() != datetime.time(0):
        errors.append(
            _(
                "Une réservation tient dans une seule journée : pour plusieurs jours, "
                "indiquez le dernier jour, chaque jour aux mêmes heures."
            )
        )
    elif hours is None:
        errors.append(
            _("« %(space)s » est fermé le %(day)s.") % {"space": space.name, "day": weekday}
        )
    elif not (
        hours.opens <= local_start.time()
        and local_end.time() <= hours.closes
        and local_end.date() == day
    ):
        errors.append(
            _("« %(space)s » est ouvert le %(day)s de %(opens)s à %(closes)s.")
            % {
                "space": space.name,
                "day": weekday,
                "opens": f"{hours.opens:%H:%M}",
                "closes": f"{hours.closes:%H:%M}",
            }
        )
    return errors


def _residency_errors(
    space: Space, local_start: datetime.datetime, local_end: datetime.datetime
) -> list[str]:
    """A residency: whole days, midnight to midnight in Paris, in a space that hosts them."""
    errors: list[str] = []
    if not space.allows_residency:
        errors.append(_("« %(space)s » n'accueille pas de résidence.") % {"space": space.name})
    if local_start.time() != datetime.time(0) or local_end.time() != datetime.time(0):
        errors.append(_("Une résidence se compte en journées entières."))
    days = (local_end.date() - local_start.date()).days
    if not rules.RESIDENCY_MIN_DAYS <= days <= rules.RESIDENCY_MAX_DAYS:
        errors.append(
            _("Une résidence dure de %(min)s à %(max)s jours.")
            % {"min": rules.RESIDENCY_MIN_DAYS, "max": rules.RESIDENCY_MAX_DAYS}
        )
    return errors


def initial_status(*, space: Space, user: User, kind: str = Kind.BOOKING) -> str:
    if access.reader(user).staff:
        return Status.CONFIRMED
    if kind == Kind.RESIDENCY:  # a residency is always the team's decision
        return Status.PENDING
    if access.reader(user).privileged and not space.requires_approval:
        return Status.CONFIRMED
    return Status.PENDING


def _insert(booking: Booking) -> Booking:
    """Insert, turning the exclusion constraint's refusal into SlotTaken."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if (
            getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
            != "booking_no_overlap"
        ):
            raise
        if booking.kind == Kind.RESIDENCY:
            local_start = rules.local(booking.start)
            suggestions = next_free_plans(
                [booking.space],
                first_day=local_start.date(),
                days=(rules.local(booking.end).date() - local_start.date()).days,
                residency=True,
                user=booking.booked_by,
            )
        else:
            suggestions = next_free_slots(
                booking.space,
                after=booking.start,
                duration=booking.end - booking.start,
                user=booking.booked_by,
            )
        raise SlotTaken(suggestions) from error
    return booking


# What makes a public event of a public booking. Superpublic imports no other app, yet a
# partner's public event is one event everywhere (its page, its registrations, the events list):
# the app that owns events registers here, in its AppConfig.ready(), what to do with the group
# of a public booking once it is made (as the apps register with lab/accounts.py).
_public_event_makers: list[Callable[..., None]] = []


def register_public_event_maker(maker: Callable[..., None]) -> None:
    """`maker(group=…, by=…)` runs in the booking's transaction; what it raises undoes it."""
    if maker not in _public_event_makers:
        _public_event_makers.append(maker)


def _public_event_made(group: BookingGroup, by: User) -> None:
    for maker in _public_event_makers:
        maker(group=group, by=by)


def booking_create(
    *,
    space: Space,
    user: User,
    start: datetime.datetime,
    end: datetime.datetime,
    title: str,
    attendees: int,
    purpose: str = "",
    is_public: bool = False,
    public_description: str = "",
    series: BookingSeries | None = None,
    notify: bool = True,
    kind: str = Kind.BOOKING,
    group: BookingGroup | None = None,
    resident: Organisation | None = None,
    check_quota: bool = True,
) -> Booking:
    if not access.reader(user).verified:
        raise PermissionDenied
    if is_public and not public_description.strip():
        raise ValidationError(_("Présentez l'événement en quelques lignes pour l'agenda public."))
    if kind == Kind.RESIDENCY and resident is None:
        raise ValidationError(_("Une résidence nomme l'organisation résidente."))
    # A public booking of its own is an event: it gets a group that the event will own.
    public_event = is_public and group is None
    if public_event:
        kind = Kind.EVENT
    with transaction.atomic():
        # One person's bookings are made one at a time, so the quota counts what their other
        # requests just committed (14 at once, with none booked, stored 13 without this lock).
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        if errors := booking_errors(
            space=space, user=user, start=start, end=end, attendees=attendees,
            is_public=is_public, kind=kind, check_quota=check_quota,
        ):  # fmt: skip
            raise ValidationError(errors)
        if public_event:
            group = BookingGroup.objects.create(created_by=user)
        booking = _insert(
            Booking(
                space=space,
                booked_by=user,
                organisation_id=user.organisation_id,
                title=title.strip(),
                purpose=purpose.strip(),
                attendees=attendees,
                period=DateTimeTZRange(start, end, "[)"),
                status=initial_status(space=space, user=user, kind=kind),
                is_public=is_public,
                public_description=public_description.strip() if is_public else "",
                series=series,
                kind=kind,
                group=group,
                resident=resident if kind == Kind.RESIDENCY else None,
            )
        )
        if public_event:
            _public_event_made(group, user)
        if notify:
            _notify(
                booking,
                "booking_confirmed" if booking.status == Status.CONFIRMED else "booking_pending",
            )
            if booking.status == Status.PENDING:
                _notify_staff(booking)
    return booking


def booking_residency_create(
    *,
    space: Space,
    user: User,
    first_day: datetime.date,
    last_day: datetime.date,
    resident: Organisation,
    title: str,
    attendees: int,
    purpose: str = "",
    notify: bool = True,
) -> Booking:
    """A residency: the space held day and night from the first day to the last, for a
    resident organisation; pending until the team decides (staff's own are confirmed)."""
    start, end = rules.residency_period(first_day, last_day)
    return booking_create(
        space=space, user=user, start=start, end=end, title=title, attendees=attendees,
        purpose=purpose, kind=Kind.RESIDENCY, resident=resident, notify=notify,
    )  # fmt: skip


def _plan_label(space: Space, start: datetime.datetime) -> str:
    return _("« %(space)s », le %(day)s") % {
        "space": space.name,
        "day": formats.date_format(rules.local(start), "l j F Y"),
    }


def booking_days_create(
    *,
    spaces: Sequence[Space],
    user: User,
    first_day: datetime.date,
    last_day: datetime.date,
    opens: datetime.time,
    closes: datetime.time,
    title: str,
    attendees: int,
    purpose: str = "",
    is_public: bool = False,
    public_description: str = "",
    kind: str = Kind.BOOKING,
    group: BookingGroup | None = None,
    notify: bool = True,
    make_public_event: bool = True,
) -> BookingGroup:
    """Several rooms over several days, the same hours each day: one booking per room and day
    (the nights stay free on the week grid), in one group, all or nothing.

    With several rooms, each holds as many of the attendees as it can seat. A room taken on
    one of the days raises SlotTaken naming it, with the next dates where the whole plan fits.
    """
    if not access.reader(user).verified:
        raise PermissionDenied
    spaces = list(dict.fromkeys(spaces))
    if not spaces:
        raise ValidationError(_("Choisissez au moins un espace."))
    if last_day < first_day:
        raise ValidationError(_("Le dernier jour doit suivre le premier."))
    if (last_day - first_day).days + 1 > rules.MAX_DAYS:
        raise ValidationError(
            _("Une réservation sur plusieurs jours en compte %(max)s au plus.")
            % {"max": rules.MAX_DAYS}
        )
    if len(spaces) > 1 and attendees > sum(space.capacity for space in spaces):
        raise ValidationError(
            _("Les espaces choisis accueillent %(capacity)s personnes au plus.")
            % {"capacity": sum(space.capacity for space in spaces)}
        )
    if is_public:
        kind = Kind.EVENT
    periods = rules.daily_periods(first_day, last_day, opens, closes)
    with transaction.atomic():
        made_group = group is None
        if made_group:
            group = BookingGroup.objects.create(created_by=user)
        created: list[Booking] = []
        for space in spaces:
            for start, end in periods:
                try:
                    created.append(
                        booking_create(
                            space=space, user=user, start=start, end=end, title=title,
                            attendees=min(attendees, space.capacity) if len(spaces) > 1 else attendees,
                            purpose=purpose, is_public=is_public, public_description=public_description,
                            kind=kind, group=group, notify=False, check_quota=not created,
                        )
                    )  # fmt: skip
                except SlotTaken as error:
                    raise SlotTaken(
                        next_free_plans(
                            spaces, first_day=first_day, days=len(periods), opens=opens,
                            closes=closes, user=user, ignore_group=group,
                        ),
                        _("%(where)s est déjà pris de %(opens)s à %(closes)s : rien n'a été réservé.")
                        % {"where": _plan_label(space, start), "opens": f"{opens:%H:%M}",
                           "closes": f"{closes:%H:%M}"},
                    ) from error  # fmt: skip
                except ValidationError as error:
                    raise ValidationError(
                        [f"{_plan_label(space, start)} : {message}" for message in error.messages]
                    ) from error
        if is_public and made_group and make_public_event:
            _public_event_made(group, user)
        if notify:
            _notify_group(created)
    return group


def _notify_group(created: list[Booking]) -> None:
    first = created[0]
    context = {
        **_context(first),
        "space": ", ".join(dict.fromkeys(b.space.name for b in created)),
        "when": span(min(b.start for b in created), max(b.end for b in created)),
    }
    pending = any(b.status == Status.PENDING for b in created)
    email_send(
        name="superpublic/booking_pending" if pending else "superpublic/booking_confirmed",
        to=[first.booked_by.email],
        context=context,
    )
    if pending:
        email_send(
            name="superpublic/booking_to_approve",
            to=settings.STAFF_NOTIFICATION_EMAILS,
            context=context,
            language="fr",
        )


def booking_group_replace(
    *,
    group: BookingGroup,
    spaces: Sequence[Space],
    user: User,
    first_day: datetime.date,
    last_day: datetime.date,
    opens: datetime.time,
    closes: datetime.time,
    title: str,
    attendees: int,
    is_public: bool,
    public_description: str = "",
) -> BookingGroup:
    """Move a group (an event moved, rooms changed): its bookings are replaced by new ones,
    all or nothing; when a room is taken at the new times, the old ones stay as they were."""
    with transaction.atomic():
        held = list(Booking.objects.select_for_update(of=("self",)).filter(group=group).active())
        if any(not booking.is_future for booking in held):
            raise ValidationError(
                _("Cet événement a commencé : ses salles et ses horaires ne changent plus.")
            )
        # The old bookings go first, so the new ones may overlap them (an hour later, the
        # same room); a refusal below rolls this back with the rest.
        Booking.objects.filter(group=group).delete()
        booking_days_create(
            spaces=spaces, user=user, first_day=first_day, last_day=last_day, opens=opens,
            closes=closes, title=title, attendees=attendees, is_public=is_public,
            public_description=public_description, kind=Kind.EVENT, group=group, notify=False,
        )  # fmt: skip
    return group


def booking_group_release(*, group: BookingGroup, by: User, reason: str = "") -> int:
    """Free the future rooms and days of a group (an event cancelled or moved elsewhere)."""
    if not access.reader(by).staff and group.created_by_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        return (
            Booking.objects.filter(group=group, period__startswith__gt=timezone.now())
            .active()
            .update(
                status=Status.CANCELLED, decision_note=reason.strip(), updated_at=timezone.now()
            )
        )


def booking_group_describe(
    *, group: BookingGroup, title: str, is_public: bool, public_description: str, page: str
) -> None:
    """Keep the group's bookings in step with what they hold (an event's title, whether it is
    public, its presentation): the agenda, the week grid, the feeds and the API read them."""
    Booking.objects.filter(group=group).update(
        title=title.strip()[:150],
        is_public=is_public,
        public_description=(public_description.strip() or title.strip())[:2000]
        if is_public
        else "",
    )
    BookingGroup.objects.filter(pk=group.pk).update(page=page)


def _notify_staff(booking: Booking) -> None:
    email_send(
        name="superpublic/booking_to_approve",
        to=settings.STAFF_NOTIFICATION_EMAILS,
        context=_context(booking),
        language="fr",
    )


def weekly_occurrences(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    until: datetime.date | None = None,
    count: int | None = None,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The same Paris wall-clock hours every week: 14:00 stays 14:00 across a DST change."""
    first_start, first_end = rules.local(start), rules.local(end)
    occurrences = []
    week = 0
    while True:
        try:
            day = first_start.date() + datetime.timedelta(weeks=week)
            end_day = first_end.date() + datetime.timedelta(weeks=week)
        except OverflowError:  # past 31 December 9999: the calendar ends, so does the series
            break
        if (
            (count is not None and week >= count)
            or (until is not None and day > until)
            or week >= 52
        ):
            break
        occurrences.append(
            (
                rules.paris_datetime(day, first_start.time()),
                rules.paris_datetime(end_day, first_end.time()),
            )
        )
        week += 1
    return occurrences


def booking_series_create(
    *,
    space: Space,
    user: User,
    start: datetime.datetime,
    end: datetime.datetime,
    title: str,
    attendees: int,
    conflict_mode: str,
    until: datetime.date | None = None,
    count: int | None = None,
    purpose: str = "",
    is_public: bool = False,
    public_description: str = "",
) -> SeriesResult:
    """Book every week; skip the dates that cannot be booked, or book none of them."""
    if not access.reader(user).verified:
        raise PermissionDenied
    if (until is None) == (count is None):
        raise ValidationError(_("Indiquez soit une date de fin, soit un nombre de semaines."))
    occurrences = weekly_occurrences(start, end, until=until, count=count)
    if len(occurrences) < 2:
        raise ValidationError(_("Une série compte au moins deux dates."))
    created: list[Booking] = []
    skipped: list[tuple[datetime.date, str]] = []
    fields = {
        "space": space, "user": user, "title": title, "attendees": attendees, "purpose": purpose,
        "is_public": is_public, "public_description": public_description, "notify": False,
    }  # fmt: skip
    with transaction.atomic():
        series = BookingSeries.objects.create(
            created_by=user, until=until, count=count, conflict_mode=conflict_mode
        )
        for occurrence_start, occurrence_end in occurrences:
            try:
                created.append(
                    booking_create(
                        start=occurrence_start, end=occurrence_end, series=series, **fields
                    )
                )
            except ValidationError as error:
                reason = " ".join(error.messages)
                if conflict_mode == BookingSeries.ConflictMode.ALL_OR_NOTHING:
                    raise ValidationError(
                        _(
                            "Le %(date)s ne peut pas être réservé (%(reason)s) : aucune date n'a été réservée."
                        )
                        % {
                            "date": formats.date_format(rules.local(occurrence_start), "j F Y"),
                            "reason": reason,
                        }
                    ) from error
                skipped.append((rules.local(occurrence_start).date(), reason))
        if not created:
            raise ValidationError(_("Aucune date de la série n'est libre."))
        first = created[0]
        email_send(
            name="superpublic/series_created",
            to=[user.email],
            context={
                **_context(first),
                "dates": [_when(booking) for booking in created],
                "skipped": [formats.date_format(day, "j F Y") for day, _reason in skipped],
            },
        )
        if first.status == Status.PENDING:
            _notify_staff(first)
    return SeriesResult(series=series, created=created, skipped=skipped)


def booking_cancel_targets(booking: Booking, *, rest_of_series: bool = False):
    """What cancelling `booking` cancels: the days and rooms of its group still to come, the
    rest of its series when asked, or itself (the confirmation page lists the same rows)."""
    if booking.group_id:  # the days and rooms of a group go together (those still to come)
        return Booking.objects.filter(
            Q(pk=booking.pk) | Q(period__startswith__gt=timezone.now()), group_id=booking.group_id
        )
    if rest_of_series and booking.series_id:
        return Booking.objects.filter(
            series_id=booking.series_id, period__startswith__gte=booking.start
        )
    return Booking.objects.filter(pk=booking.pk)


def booking_cancel(
    *, booking: Booking, by: User, reason: str = "", rest_of_series: bool = False
) -> list[Booking]:
    """Owners cancel their own future bookings; staff cancel any, with a reason."""
    staff = access.reader(by).staff
    if booking.booked_by_id != by.pk and not staff:
        raise PermissionDenied
    if staff and booking.booked_by_id != by.pk and not reason.strip():
        raise ValidationError(_("Donnez le motif de l'annulation : la personne le recevra."))
    targets = booking_cancel_targets(booking, rest_of_series=rest_of_series)
    cancelled = []
    with transaction.atomic():
        # One locking read of the rows to cancel (not a read, then a second locking one).
        for target in targets.select_for_update(of=("self",)).select_related("space", "booked_by"):
            if not target.is_active:
                continue
            if not target.is_future:
                if target.pk == booking.pk:
                    raise ValidationError(
                        _("Une réservation passée ou en cours ne peut plus être annulée.")
                    )
                continue
            target.status = Status.CANCELLED
            target.decision_note = reason.strip()
            if staff:
                target.decided_by = by
                target.decided_at = timezone.now()
            target.save(
                update_fields=["status", "decision_note", "decided_by", "decided_at", "updated_at"]
            )
            if not (target.group_id and cancelled):
                _notify(target, "booking_cancelled")  # once for a group
            cancelled.append(target)
    return cancelled


def booking_decide(*, booking: Booking, by: User, confirm: bool, note: str = "") -> Booking:
    """Staff confirm or reject a pending booking (a rejection says why)."""
    if not access.reader(by).staff:
        raise PermissionDenied
    if not confirm and not note.strip():
        raise ValidationError(_("Donnez le motif du refus : la personne le recevra."))
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("space", "booked_by")
            .get(pk=booking.pk)
        )
        if booking.status != Status.PENDING:
            raise ValidationError(
                _(
                    "Cette réservation est « %(status)s » : seule une réservation en attente se décide."
                )
                % {"status": booking.get_status_display()}
            )
        decision = {
            "status": Status.CONFIRMED if confirm else Status.REJECTED,
            "decided_by": by, "decided_at": timezone.now(), "decision_note": note.strip(),
        }  # fmt: skip
        for name, value in decision.items():
            setattr(booking, name, value)
        booking.save(update_fields=[*decision, "updated_at"])
        if booking.group_id:  # the other days and rooms of the group follow
            Booking.objects.filter(group_id=booking.group_id, status=Status.PENDING).exclude(
                pk=booking.pk
            ).update(**decision, updated_at=timezone.now())
        _notify(booking, "booking_confirmed" if confirm else "booking_rejected")
    return booking


def bookings_expire(*, now: datetime.datetime | None = None) -> int:
    """Pending bookings nobody decided in five days let their slot go. Safe to run twice."""
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        stale = (
            Booking.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Status.PENDING, created_at__lte=now - rules.PENDING_EXPIRES_AFTER)
            .select_related("space", "booked_by")
        )
        for booking in stale:
            booking.status = Status.EXPIRED
            booking.save(update_fields=["status", "updated_at"])
            _notify(booking, "booking_expired")
            expired += 1
    return expired


def release_token(booking: Booking) -> str:
    return signing.dumps({"booking": booking.pk}, salt=RELEASE_SALT)


def bookings_send_reminders(*, now: datetime.datetime | None = None) -> int:
    """The day before, remind confirmed bookers, with a link to release the slot. Once each."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start = rules.paris_datetime(tomorrow, datetime.time(0))
    end = rules.paris_datetime(tomorrow + datetime.timedelta(days=1), datetime.time(0))
    sent = 0
    earlier_in_group = Booking.objects.filter(
        group_id=OuterRef("group_id"), period__startswith__lt=OuterRef("period__startswith")
    )
    candidates = (
        Booking.objects.filter(
            status=Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            period__startswith__gte=start,
            period__startswith__lt=end,
        )
        # An event's rooms follow the event (not a link to release one of them); a group is
        # reminded once, the day before its first day.
        .exclude(kind=Kind.EVENT)
        .exclude(Q(group__isnull=False) & Exists(earlier_in_group))
        .select_related("space", "booked_by")
    )
    for booking in candidates:
        with transaction.atomic():
            # Claim the reminder first: a second run (or a second worker) finds nothing to send.
            claimed = Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            email_send(
                name="superpublic/booking_reminder",
                to=[booking.booked_by.email],
                context={
                    **_context(booking),
                    "release_url": settings.SITE_URL
                    + reverse("superpublic:release", args=[release_token(booking)]),
                },
            )
            sent += 1
    return sent


def booking_release(*, token: str) -> Booking:
    """Release a slot from the reminder's link: signed, and useless once the booking is cancelled."""
    try:
        data = signing.loads(token, salt=RELEASE_SALT, max_age=datetime.timedelta(days=7))
    except signing.BadSignature as error:
        raise ValidationError(_("Ce lien n'est pas valable.")) from error
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("space", "booked_by")
            .filter(pk=data.get("booking"))
            .first()
        )
        if booking is None or not booking.is_active or not booking.is_future:
            raise ValidationError(_("Ce lien a déjà servi, ou la réservation n'est plus à venir."))
        booking.status = Status.CANCELLED
        booking.decision_note = _("Libérée depuis le rappel.")
        booking.save(update_fields=["status", "decision_note", "updated_at"])
        if booking.group_id:  # the rest of its days go with it
            Booking.objects.filter(group_id=booking.group_id).active().update(
                status=Status.CANCELLED, decision_note=booking.decision_note
            )
        _notify(booking, "booking_cancelled")
    return booking


def next_free_slots(
    space: Space,
    *,
    after: datetime.datetime,
    duration: datetime.timedelta,
    user: User | None = None,
    count: int = 3,
    days: int = 21,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The next bookable slots of the same length, in three queries whatever the horizon."""
    now = timezone.now()
    begin = max(rules.ceil_to_grid(after), rules.ceil_to_grid(now))
    stop = begin + datetime.timedelta(days=days)
    if user is not None:
        limit = timezone.localdate(now) + datetime.timedelta(
            days=rules.horizon_days(access.reader(user).privileged) + 1
        )
        stop = min(stop, rules.paris_datetime(limit, datetime.time(0)))
    hours = {h.weekday: h for h in OpeningHours.objects.filter(space=space)}
    busy = [
        (b.lower, b.upper)
        for b in Booking.objects.filter(space=space)
        .active()
        .filter(period__overlap=(begin, stop))
        .values_list("period", flat=True)
    ] + [
        (c.lower, c.upper)
        for c in Closure.objects.affecting(space)
        .filter(period__overlap=(begin, stop))
        .values_list("period", flat=True)
    ]
    found: list[tuple[datetime.datetime, datetime.datetime]] = []
    day = rules.local(begin).date()
    while len(found) < count and rules.paris_datetime(day, datetime.time(0)) < stop:
        opening = hours.get(day.weekday())
        if opening:
            candidate = max(rules.paris_datetime(day, opening.opens), begin)
            closing = rules.paris_datetime(day, opening.closes)
            while candidate + duration <= closing and len(found) < count:
                candidate_end = candidate + duration
                clash = next((b for b in busy if b[0] < candidate_end and candidate < b[1]), None)
                if clash is None:
                    found.append((candidate, candidate_end))
                    candidate = candidate_end
                else:
                    candidate = rules.ceil_to_grid(clash[1])
        day += datetime.timedelta(days=1)
    return [slot for slot in found if slot[1] <= stop or user is None]


def next_free_plans(
    spaces: Sequence[Space],
    *,
    first_day: datetime.date,
    days: int,
    opens: datetime.time | None = None,
    closes: datetime.time | None = None,
    residency: bool = False,
    user: User | None = None,
    ignore_group: BookingGroup | None = None,
    count: int = 3,
    search_days: int = 60,
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The next dates where a whole plan fits: every room free, open and not closed on each of
    its days at the same hours (or, for a residency, day and night). Three queries."""
    now = timezone.now()
    horizon = timezone.localdate(now) + datetime.timedelta(days=search_days + days + 1)
    if user is not None and not access.reader(user).staff:
        horizon = min(
            horizon,
            timezone.localdate(now)
            + datetime.timedelta(days=rules.horizon_days(access.reader(user).privileged)),
        )
    begin = rules.paris_datetime(first_day, datetime.time(0))
    stop = rules.paris_datetime(horizon + datetime.timedelta(days=days), datetime.time(0))
    bookings = Booking.objects.filter(space__in=spaces).active().overlapping(begin, stop)
    if ignore_group is not None:
        bookings = bookings.exclude(group=ignore_group)
    busy: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {s.pk: [] for s in spaces}
    for space_id, period in bookings.values_list("space_id", "period"):
        busy[space_id].append((period.lower, period.upper))
    closures = Closure.objects.filter(period__overlap=(begin, stop)).prefetch_related("spaces")
    for closure in closures:
        for space in spaces:
            if closure.all_spaces or space in closure.spaces.all():
                busy[space.pk].append((closure.period.lower, closure.period.upper))
    hours = {(h.space_id, h.weekday): h for h in OpeningHours.objects.filter(space__in=spaces)}
    found: list[tuple[datetime.datetime, datetime.datetime]] = []
    shift = 1
    while len(found) < count and shift <= search_days:
        start_day = first_day + datetime.timedelta(days=shift)
        last_day = start_day + datetime.timedelta(days=days - 1)
        shift += 1
        if last_day > horizon:
            break
        if residency:
            periods = [rules.residency_period(start_day, last_day)]
        else:
            periods = rules.daily_periods(start_day, last_day, opens, closes)
        if periods[0][0] <= now:
            continue
        fits = all(
            (
                residency
                or (
                    (opening := hours.get((space.pk, rules.local(start).weekday())))
                    and opening.opens <= opens
                    and closes <= opening.closes
                )
            )
            and not any(b[0] < end and start < b[1] for b in busy[space.pk])
            for space in spaces
            for start, end in periods
        )
        if fits:
            found.append((periods[0][0], periods[-1][1]))
    return found


# A person's account (lab/accounts.py) ---------------------------------------------------------


def account_export(user: User) -> dict:
    return {
        "bookings": [
            {"space": b.space.name, "title": b.title, "purpose": b.purpose, "start": iso(b.start), "end": iso(b.end),
             "status": b.status, "public_event": b.is_public}
            for b in Booking.objects.filter(booked_by=user).select_related("space")
        ]
    }  # fmt: skip


def account_forget(user: User) -> None:
    """Future bookings are cancelled (the rooms free up); past ones stay for the space's records,
    without what would say who booked or why (public events keep their title)."""
    Booking.objects.owned_by(user).active().filter(period__startswith__gt=timezone.now()).update(
        status=Status.CANCELLED, decision_note=_("Compte supprimé.")
    )
    Booking.objects.filter(booked_by=user).update(
        purpose="",
        title=Case(
            When(is_public=True, then="title"),
            default=Value(_("Réservation anonymisée")),
            output_field=CharField(),
        ),
    )
    # booked_by becomes empty when the account goes (SET_NULL).
