"""Writes of the community: profiles with consent, contact relay, registrations, account removal."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

import superpublic.services as superpublic
from community.models import ContactMessage, Event, Profile, Registration
from lab import access
from lab.accounts import iso
from lab.lib.dates import PARIS, paris_datetime
from lab.models import User
from lab.outbox import email_send
from superpublic.models import Booking, BookingGroup, Space

Status = Registration.Status


# Profiles ------------------------------------------------------------------------------------


RESERVED_SLUGS = {"mon-profil", "mon-compte", "evenements"}  # the directory's own pages


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:150] or "praticien"
    slug, n = base, 2
    while (
        slug in RESERVED_SLUGS or Profile.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic  # the row and its links together: the directory's version covers both
def profile_save(
    *, user: User, consent: bool, visibility: str, disciplines=(), methods=(), projects=(), **fields
) -> Profile:
    """Create or update the owner's profile. Showing it needs consent to the current text."""
    if not access.reader(user).verified:
        raise PermissionDenied
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    for name, value in fields.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    if consent:
        profile.consent_at = timezone.now()
        profile.consent_version = settings.COMMUNITY_POLICY_VERSION
        profile.last_confirmed = timezone.localdate()
    if visibility != Profile.Visibility.HIDDEN and profile.needs_consent:
        raise ValidationError(
            _("Pour montrer votre fiche, acceptez d'abord le texte sur l'annuaire.")
        )
    profile.visibility = visibility
    if (
        not profile.slug
        or profile.display_name
        != Profile.objects.filter(pk=profile.pk).values_list("display_name", flat=True).first()
    ):
        profile.slug = _unique_slug(profile.display_name, exclude_pk=profile.pk)
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.disciplines.set(disciplines)
    profile.methods.set(methods)
    profile.projects.set(projects)
    return profile


def profile_delete(*, user: User) -> None:
    """Really deleted: the row, its links and its photo; the slug is free again."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    if profile.photo:
        profile.photo.delete(save=False)
    profile.delete()


def profile_moderate(*, profile: Profile, by: User, reason: str) -> None:
    if not access.reader(by).staff:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Donnez le motif : la personne le recevra."))
    with transaction.atomic():
        Profile.objects.filter(pk=profile.pk).update(
            hidden_by_staff=True, moderation_reason=reason.strip()
        )
        email_send(
            name="community/profile_moderated",
            to=[profile.user.email],
            context={
                "name": profile.display_name,
                "reason": reason.strip(),
                "url": settings.SITE_URL + reverse("community:my_profile"),
            },
        )


def contact_send(*, sender: User, profile: Profile, message: str) -> None:
    """Relay a message by email: the recipient's address is never shown to the sender."""
    if not access.reader(sender).verified:
        raise PermissionDenied
    if profile.user_id == sender.pk:
        raise ValidationError(_("Vous ne pouvez pas vous écrire à vous-même."))
    with transaction.atomic():
        User.objects.select_for_update().get(
            pk=sender.pk
        )  # one sender's tabs cannot race the limit
        since = timezone.now() - datetime.timedelta(days=1)
        if (
            ContactMessage.objects.filter(sender=sender, sent_at__gte=since).count()
            >= settings.COMMUNITY_CONTACTS_PER_DAY
        ):
            raise ValidationError(
                _("Vous avez déjà envoyé %(count)s messages aujourd'hui : réessayez demain.")
                % {"count": settings.COMMUNITY_CONTACTS_PER_DAY}
            )
        ContactMessage.objects.create(sender=sender, recipient=profile)
        email_send(
            name="community/contact",
            to=[profile.user.email],
            context={
                "name": profile.display_name,
                "sender": sender.get_full_name() or sender.email,
                "sender_organisation": sender.organisation.name if sender.organisation else "",
                "message": message.strip(),
            },
            reply_to=[sender.email],
        )


# Personal data -------------------------------------------------------------------------------


def account_export(user: User) -> dict:
    """The directory's part of a person's data (lab/accounts.py)."""
    profile = (
        Profile.objects.filter(user=user)
        .prefetch_related("disciplines", "methods", "projects")
        .first()
    )
    return {
        "profile": None if profile is None else {
            "display_name": profile.display_name, "slug": profile.slug, "role": profile.role,
            "region": profile.region.name if profile.region else None, "bio": profile.bio, "website": profile.website,
            "languages": profile.languages, "visibility": profile.visibility,
            "disciplines": [d.name for d in profile.disciplines.all()], "methods": [m.name for m in profile.methods.all()],
            "projects": [p.title for p in profile.projects.all()],
            "consent_at": iso(profile.consent_at), "consent_version": profile.consent_version,
        },
        "registrations": [
            {"event": r.event.title, "starts": iso(r.event.starts), "status": r.status, "registered_at": iso(r.created_at)}
            for r in Registration.objects.filter(user=user).select_related("event")
        ],
    }  # fmt: skip


def account_forget(user: User) -> None:
    """A person leaves: their places at events go (waitlists move up), their profile too."""
    for registration in Registration.objects.filter(
        user=user, status__in=[Status.REGISTERED, Status.WAITLISTED]
    ):
        registration_cancel(registration=registration, by=user, notify_owner=False)
    profile_delete(user=user)


# Events --------------------------------------------------------------------------------------


def registration_opens_for(event: Event, user) -> datetime.datetime:
    """Members and partners may register from the members' date, everyone else later."""
    if access.reader(user).privileged and event.members_registration_opens:
        return event.members_registration_opens
    return event.registration_opens


def registration_closes(event: Event) -> datetime.datetime:
    return event.registration_closes or event.starts


def _event_context(event: Event) -> dict:
    start = timezone.localtime(event.starts)
    return {
        "title": event.title,
        "when": f"{formats.date_format(start, 'l j F Y')}, {start:%H:%M}",
        "place": event.place,
        "url": settings.SITE_URL + event.get_absolute_url(),
    }


def registration_create(
    *, event: Event, user: User, now: datetime.datetime | None = None
) -> Registration:
    """Register, or join the waitlist when the event is full. The event row is locked: two
    people cannot take the last seat together."""
    now = now or timezone.now()
    if not access.reader(user).verified:
        raise PermissionDenied
    if event.audience == Event.Audience.MEMBERS and not access.reader(user).privileged:
        raise PermissionDenied
    opens = registration_opens_for(event, user)
    if now < opens:
        raise ValidationError(
            _("Les inscriptions ouvrent le %(date)s.")
            % {"date": formats.date_format(timezone.localtime(opens), "j F Y à H:i")}
        )
    if now >= registration_closes(event):
        raise ValidationError(_("Les inscriptions sont closes."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not Event.objects.listed().filter(pk=event.pk).exists():
            raise ValidationError(_("Cet événement n'a pas lieu : les inscriptions sont fermées."))
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration and registration.status != Status.CANCELLED:
            return registration
        taken = Registration.objects.filter(event=event, status=Status.REGISTERED).count()
        status = Status.REGISTERED if taken < event.capacity else Status.WAITLISTED
        if registration:
            # Back in the queue, at its end.
            registration.status = status
            registration.created_at = now
            registration.save(update_fields=["status", "created_at", "updated_at"])
        else:
            registration = Registration.objects.create(event=event, user=user, status=status)
        email_send(
            name="community/registered" if status == Status.REGISTERED else "community/waitlisted",
            to=[user.email],
            context=_event_context(event),
        )
    return registration


def registration_cancel(
    *, registration: Registration, by: User, notify_owner: bool = True
) -> Registration | None:
    """Cancel; the first person waiting takes the freed seat. Returns the promoted registration."""
    if registration.user_id != by.pk and not access.reader(by).staff:
        raise PermissionDenied
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            return None
        freed = registration.status == Status.REGISTERED
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if notify_owner:
            email_send(
                name="community/cancelled",
                to=[registration.user.email],
                context=_event_context(event),
            )
        if not freed or event.ends <= timezone.now():
            return None
        waiting = (
            Registration.objects.filter(event=event, status=Status.WAITLISTED)
            .order_by("created_at", "pk")
            .select_related("user")
            .first()
        )
        if waiting is None:
            return None
        waiting.status = Status.REGISTERED
        waiting.save(update_fields=["status", "updated_at"])
        email_send(
            name="community/promoted", to=[waiting.user.email], context=_event_context(event)
        )
        return waiting


def registrations_send_reminders(*, now: datetime.datetime | None = None) -> int:
    """The day before, a reminder to each registered person, once."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    candidates = Registration.objects.filter(
        status=Status.REGISTERED, reminder_sent_at__isnull=True, event__starts__date=tomorrow
    ).select_related("event", "user")
    sent = 0
    for registration in candidates:
        with transaction.atomic():
            if not Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now):
                continue
            email_send(
                name="community/reminder",
                to=[registration.user.email],
                context=_event_context(registration.event),
            )
            sent += 1
    return sent


# Events and their rooms ------------------------------------------------------------------------


def _unique_event_slug(title: str) -> str:
    base = slugify(title)[:180] or "evenement"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _event_page(event: Event) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return event.get_absolute_url()


def _describe_rooms(event: Event) -> None:
    """The event's bookings carry its title, whether it is public and its presentation: the
    Superpublic agenda, week grid, feeds and API read them there."""
    if event.booking_group_id:
        superpublic.booking_group_describe(
            group=event.booking_group,
            title=event.title,
            is_public=event.audience == Event.Audience.PUBLIC,
            public_description=event.description,
            page=_event_page(event),
        )


def event_plan(event: Event) -> tuple[datetime.date, datetime.date, datetime.time, datetime.time]:
    """The days and daily hours an event holds its rooms: from its start's time to its end's,
    each day from the first to the last (a two-day workshop leaves the night free)."""
    starts, ends = event.starts.astimezone(PARIS), event.ends.astimezone(PARIS)
    if ends.date() != starts.date() and ends.time() <= starts.time():
        raise ValidationError(
            _(
                "Sur plusieurs jours, un événement a les mêmes horaires chaque jour : l'heure de "
                "fin doit suivre l'heure de début (par exemple de 9 h 00 le premier jour à 18 h 00 le dernier)."
            )
        )
    return starts.date(), ends.date(), starts.time(), ends.time()


def _same_rooms(event: Event, rooms: list[Space]) -> bool:
    held = event.held_bookings if event.booking_group_id else []
    if not held or {b.space_id for b in held} != {room.pk for room in rooms}:
        return False
    first, last, opens, closes = event_plan(event)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    wanted = {
        (room.pk, (paris_datetime(day, opens), paris_datetime(day, closes)))
        for room in rooms
        for day in days
    }
    return {(b.space_id, (b.start, b.end)) for b in held} == wanted


def event_schedule(*, event: Event, rooms: Iterable[Space], by: User) -> Event:
    """Save an event and hold its rooms at its times, all or nothing: one booking per room and
    day through Superpublic's booking services (so its rules and its exclusion constraint hold:
    an event never overlaps another booking or a closure). Moving the event moves its rooms;
    no rooms frees them. A room taken raises SlotTaken with the next dates where all fit."""
    if not access.reader(by).staff:
        raise PermissionDenied
    rooms = list(dict.fromkeys(rooms))
    if rooms:
        first, last, opens, closes = event_plan(event)
        if event.capacity > (seats := sum(room.capacity for room in rooms)):
            raise ValidationError(
                _("Les espaces choisis accueillent %(capacity)s personnes au plus.")
                % {"capacity": seats}
            )
    with transaction.atomic():
        if event.pk:
            # Two people editing one event are served one after the other.
            Event.objects.select_for_update().filter(pk=event.pk).first()
        event.full_clean()
        event.save()
        group = event.booking_group
        if not rooms:
            if group is not None:
                superpublic.booking_group_release(
                    group=group, by=by, reason=_("L'événement n'a plus lieu à Superpublic.")
                )
                event.booking_group = None
                event.save(update_fields=["booking_group"])
            return event
        common = {
            "spaces": rooms, "user": by, "first_day": first, "last_day": last, "opens": opens,
            "closes": closes, "title": event.title, "attendees": event.capacity,
            "is_public": event.audience == Event.Audience.PUBLIC,
            "public_description": event.description.strip()[:2000] or event.title,
        }  # fmt: skip
        if group is None:
            event.booking_group = superpublic.booking_days_create(
                **common, kind=Booking.Kind.EVENT, notify=False, make_public_event=False
            )
            event.save(update_fields=["booking_group"])
        elif not _same_rooms(event, rooms):
            superpublic.booking_group_replace(group=group, **common)
        if hasattr(event.booking_group, "held"):
            del event.booking_group.held
        _describe_rooms(event)
    return event


def event_cancel(*, event: Event, by: User) -> Event:
    """The event does not take place: its rooms are free again at once, and everyone registered
    or waiting hears of it, once (a second cancel finds the event cancelled and sends nothing)."""
    if not access.reader(by).staff:
        raise PermissionDenied
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.cancelled_at:
            return event
        event.cancelled_at = timezone.now()
        event.save(update_fields=["cancelled_at"])
        # Written before the rooms are freed: the email names them.
        context = {
            **_event_context(event),
            "events_url": settings.SITE_URL + reverse("community:events"),
        }
        for email in (
            Registration.objects.filter(event=event)
            .exclude(status=Status.CANCELLED)
            .order_by("pk")
            .values_list("user__email", flat=True)
        ):
            email_send(name="community/event_cancelled", to=[email], context=context)
        if event.booking_group_id:
            superpublic.booking_group_release(
                group=event.booking_group, by=by, reason=_("Événement annulé.")
            )
    return event


def event_from_public_booking(*, group: BookingGroup, by: User) -> Event:
    """A privileged person's public booking is an event: its page takes registrations, it is
    listed with the others, and it holds its booking (registered with Superpublic's services in
    CommunityConfig.ready())."""
    bookings = list(group.bookings.order_by("period"))
    first = bookings[0]
    first_day = [
        b
        for b in bookings
        if b.start.astimezone(PARIS).date() == first.start.astimezone(PARIS).date()
    ]
    event = Event.objects.create(
        title=first.title, slug=_unique_event_slug(first.title), kind=Event.Kind.OTHER,
        starts=min(b.start for b in bookings), ends=max(b.end for b in bookings),
        description=first.public_description, capacity=sum(b.attendees for b in first_day),
        audience=Event.Audience.PUBLIC, registration_opens=timezone.now(), booking_group=group,
    )  # fmt: skip
    BookingGroup.objects.filter(pk=group.pk).update(page=_event_page(event))
    return event
