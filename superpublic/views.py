from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lab import access
from lab.lib import inputs
from lab.lib.cache_pages import cache_page_for_anonymous
from lab.lib.inputs import InvalidInput
from superpublic import ical, plan, rules, selectors, services
from superpublic.forms import BookingForm, CancelForm
from superpublic.models import Booking, CalendarFeed, OpeningHours, Space


def _spaces():
    return Space.objects.filter(active=True).prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday"))
    )


def _within_the_minute() -> int:
    """How long a copy of Superpublic's page may be shared: never past the minute it was made
    in, and at most 30 seconds. Its plan says what each space is doing now (« libre jusqu'à
    14:00 », « occupé jusqu'à 15:30 »), and that changes with time only at a minute (bookings
    start and end on the quarter hour, opening hours and closures on a minute), so a copy
    never says « occupé jusqu'à 14:00 » at 14:00. Writes do not empty the copies: a new
    booking starts in the future, so it never makes « libre maintenant » false, and a
    cancelled or released one shows within 30 seconds; the booking form checks everything
    again anyway. 0 (the last instant of a minute): no copy."""
    now = timezone.now()
    return min(30, int(60 - now.second - now.microsecond / 1_000_000))


@cache_page_for_anonymous(_within_the_minute)
@require_safe
def index(request):
    spaces = list(_spaces())
    now = timezone.now()
    states = plan.spaces_now(spaces, now)
    for space in spaces:
        space.now = states[space.pk]
    return render(
        request,
        "superpublic/index.html",
        {
            "spaces": spaces,
            "plan": plan.floor_plan(spaces, states),
            "now": now,
            "agenda": selectors.public_agenda(),
        },
    )


@cache_page_for_anonymous(30, params=("semaine", "jour"))
@require_safe
def space_detail(request, slug: str):
    """The week grid (a day at a time on a phone, with a day picker): the week asked for, or
    this one while it has free slots left, else the next."""
    space = get_object_or_404(_spaces(), slug=slug)
    status, week_asked, day = 200, (request.GET.get("semaine") or "").strip(), None
    try:
        day = inputs.iso_date(request.GET.get("jour"), param="jour")
        monday = selectors.parse_week(week_asked)
    except InvalidInput as error:
        status, week_asked, day = 400, None, None
        messages.error(request, _("%(reason)s Voici les prochaines disponibilités.") % {"reason": error.message})  # fmt: skip
    if not week_asked and day is not None:
        monday = day - datetime.timedelta(days=day.weekday())
        week_asked = True
    if week_asked:
        days, rows = selectors.week_grid(space, monday)
    else:
        monday, days, rows = selectors.opening_week(space)
    if day not in days:
        day = selectors.opening_day(days, rows)
    return render(
        request,
        "superpublic/space_detail.html",
        {
            "space": space,
            "days": days,
            "rows": rows,
            "day": day,
            "day_column": days.index(day),
            "week": selectors.week_label(monday),
            "previous_week": selectors.neighbour_week(monday, -1),
            "next_week": selectors.neighbour_week(monday, 1),
            "this_week": selectors.week_label(selectors.parse_week(None)),
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "metadata": {
                "@type": "Place",
                "name": f"{space.name}, Superpublic",
                "maximumAttendeeCapacity": space.capacity,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "4 rue la Vacquerie",
                    "postalCode": "75011",
                    "addressLocality": "Paris",
                    "addressCountry": "FR",
                },
                "url": request.build_absolute_uri(space.get_absolute_url()),
            },
        },
        status=status,
    )


def _initial_from_query(request) -> dict:
    """The form's first values from the week grid's link or a suggestion's
    (?espace=…&debut=…[&fin=…][&nature=residence]); a time that cannot be read raises
    InvalidInput."""
    space = inputs.text(request.GET.get("espace"), param="espace")
    initial = {"space": space or None, "attendees": 10}
    start = inputs.iso_datetime(request.GET.get("debut"), param="debut")
    end = inputs.iso_datetime(request.GET.get("fin"), param="fin")
    if inputs.text(request.GET.get("nature"), param="nature") == "residence":
        initial["kind"] = Booking.Kind.RESIDENCY
    if start is not None:
        start = rules.local(start)
        end = (
            rules.local(end)
            if end is not None and end > start
            else start + datetime.timedelta(hours=1)
        )
        initial.update({"day": start.date(), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
        if initial.get("kind") == Booking.Kind.RESIDENCY:
            initial["last_day"] = (end - datetime.timedelta(days=1)).date()
        elif end.date() > start.date():
            initial["last_day"] = end.date()
    return initial


def _suggestion(space, start, end, *, residency: bool = False) -> dict:
    """A free slot (or plan) offered after a refusal: its words and the form filled with it."""
    query = {"espace": space.slug, "debut": f"{rules.local(start):%Y-%m-%dT%H:%M}",
             "fin": f"{rules.local(end):%Y-%m-%dT%H:%M}"}  # fmt: skip
    if residency:
        query["nature"] = "residence"
    return {
        "label": services.span(start, end),
        "url": f"{reverse('superpublic:book')}?{urlencode(query)}",
    }


def _book(request, data) -> Booking:
    """One day, several days in a row, a weekly series or a residency, through the services;
    returns the first booking made."""
    common = {
        "space": data["space"], "user": request.user, "title": data["title"],
        "attendees": data["attendees"], "purpose": data["purpose"],
    }  # fmt: skip
    public = {"is_public": data.get("is_public", False),
              "public_description": data.get("public_description", "")}  # fmt: skip
    if data["kind"] == Booking.Kind.RESIDENCY:
        if request.user.organisation is None:
            raise ValidationError(
                _(
                    "Une résidence se demande au nom d'une organisation : votre compte n'en a "
                    "pas. Écrivez-nous pour en parler."
                )
            )
        return services.booking_residency_create(
            **common, first_day=data["day"], last_day=data["last_day"],
            resident=request.user.organisation,
        )  # fmt: skip
    if data["several_days"]:
        common["spaces"] = [common.pop("space")]
        group = services.booking_days_create(
            **common, **public, first_day=data["day"], last_day=data["last_day"],
            opens=data["start"], closes=data["end"],
        )  # fmt: skip
        return group.bookings.order_by("period").first()
    common.update(public, start=data["start_at"], end=data["end_at"])
    if not data["repeat"]:
        return services.booking_create(**common)
    result = services.booking_series_create(
        **common,
        conflict_mode=data["conflict_mode"],
        until=data["repeat_until"],
        count=data["repeat_count"],
    )
    if result.skipped:
        messages.warning(
            request,
            _("Dates non réservées : %(dates)s.")
            % {
                "dates": ", ".join(
                    f"{formats.date_format(d, 'j F Y')} ({why})" for d, why in result.skipped
                )
            },
        )
    return result.created[0]


@access.verified_required
@require_http_methods(["GET", "POST"])
def booking_create(request):
    privileged = access.reader(request.user).privileged
    status = 200
    try:
        initial = _initial_from_query(request)
    except InvalidInput as error:
        initial = {"attendees": 10}
        status = 400
        messages.warning(
            request,
            _("L'heure demandée n'a pas été comprise : %(reason)s Choisissez-la ci-dessous.")
            % {"reason": error.message},
        )
    form = BookingForm(request.POST or None, initial=initial, privileged=privileged)
    suggestions = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = _book(request, data)
        except services.SlotTaken as taken:
            form.add_error(None, taken)
            suggestions = [
                _suggestion(data["space"], start, end, residency=data["kind"] == Booking.Kind.RESIDENCY)
                for start, end in taken.suggestions
            ]  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if booking.status == Booking.Status.CONFIRMED:
                messages.success(request, _("C'est réservé : votre réservation est confirmée."))
            else:
                messages.success(
                    request,
                    _("Demande enregistrée : le créneau vous est gardé en attendant la réponse de l'équipe."),
                )  # fmt: skip
            return redirect("superpublic:booking", pk=booking.pk)
    return render(
        request,
        "superpublic/booking_form.html",
        {"form": form, "suggestions": suggestions, "privileged": privileged},
        status=400 if request.method == "POST" else status,
    )


def _own_booking(request, pk: int) -> Booking:
    """The booking if it is the user's (or the user is staff); otherwise a 404, never a 403."""
    booking = get_object_or_404(
        Booking.objects.select_related("space", "series", "resident"), pk=pk
    )
    if booking.booked_by_id != request.user.pk and not access.reader(request.user).staff:
        raise Http404
    return booking


@access.verified_required
@require_safe
def booking_detail(request, pk: int):
    """A booking with what happens next, its whole group (every day and room) or its series,
    and a way to cancel it."""
    booking = _own_booking(request, pk)
    group = (
        list(booking.group.bookings.order_by("period", "space__order").select_related("space"))
        if booking.group_id
        else [booking]
    )
    series = (
        list(booking.series.bookings.order_by("period").select_related("space"))
        if booking.series_id
        else []
    )
    entry = selectors.BookingEntry(group)
    return render(
        request,
        "superpublic/booking_detail.html",
        {"booking": booking, "entry": entry, "group": group if len(group) > 1 else [],
         "series": series, "cancel_target": entry.cancel_target},
    )  # fmt: skip


@access.verified_required
@require_safe
def my_bookings(request):
    upcoming, others = selectors.my_bookings(request.user)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "superpublic/my_bookings.html",
        {
            "upcoming": upcoming,
            "past": others,
            "feed_url": request.build_absolute_uri(
                reverse("superpublic:private_feed", args=[feed.token])
            )
            if feed
            else "",
        },
    )


@access.verified_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk: int):
    """GET asks to confirm, listing what goes (a group's days and rooms, a series' dates if
    asked); POST cancels. Without script, from the booking's page and « Mes réservations »."""
    booking = _own_booking(request, pk)
    form = CancelForm(request.POST or None, initial={"scope": request.GET.get("portee", "one")})
    for_someone_else = booking.booked_by_id != request.user.pk
    if request.method == "POST":
        rest = form.is_valid() and form.cleaned_data.get("scope") == "rest"
        reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
        try:
            cancelled = services.booking_cancel(
                booking=booking, by=request.user, rest_of_series=rest, reason=reason
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(
                request,
                " ".join(getattr(error, "messages", [str(error)])) or _("Annulation impossible."),
            )
            return redirect("superpublic:booking", pk=booking.pk)
        count = len(cancelled)
        messages.success(
            request,
            ngettext(
                "%(count)s réservation annulée : le créneau est de nouveau libre.",
                "%(count)s réservations annulées : les créneaux sont de nouveau libres.",
                count,
            )
            % {"count": count},
        )
        return redirect("superpublic:my_bookings")
    targets = [
        b
        for b in services.booking_cancel_targets(booking)
        .select_related("space")
        .order_by("period", "space__order")
        if b.is_active and b.is_future
    ]
    later_in_series = (
        Booking.objects.filter(series_id=booking.series_id, period__startswith__gt=booking.start)
        .active()
        .count()
        if booking.series_id and not booking.group_id
        else 0
    )
    return render(
        request,
        "superpublic/booking_cancel.html",
        {"booking": booking, "targets": targets, "entry": selectors.BookingEntry(targets) if targets else None,
         "later_in_series": later_in_series, "form": form, "for_someone_else": for_someone_else},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def release(request, token: str):
    """The reminder's one-click link: GET asks to confirm, POST releases (links get prefetched)."""
    if request.method == "POST":
        try:
            booking = services.booking_release(token=token)
        except ValidationError as error:
            return render(
                request, "superpublic/release.html", {"error": " ".join(error.messages)}, status=400
            )
        return render(request, "superpublic/release.html", {"released": booking})
    return render(request, "superpublic/release.html", {"token": token})


@access.verified_required
@require_POST
def feed_reset(request):
    CalendarFeed.objects.update_or_create(
        user=request.user, defaults={"token": CalendarFeed._meta.get_field("token").default()}
    )
    messages.success(request, _("Nouvelle adresse de flux créée : l'ancienne ne fonctionne plus."))
    return redirect("superpublic:my_bookings")


@require_safe
def agenda_ics(request):
    events = [
        ical.agenda_event(item)
        for item in selectors.public_agenda(
            None, since=timezone.now() - datetime.timedelta(days=30)
        )
    ]
    return ical.calendar_response("Superpublic · agenda public", events, "superpublic-agenda.ics")


@require_safe
def space_ics(request, slug: str):
    space = get_object_or_404(Space, slug=slug, active=True)
    bookings = (
        Booking.objects.filter(space=space).active()
        .filter(period__endswith__gt=timezone.now() - datetime.timedelta(days=30))
        .select_related("space")
    )  # fmt: skip
    events = [
        ical.booking_event(
            b,
            summary=b.title
            if b.is_public and b.status == Booking.Status.CONFIRMED
            else _("Occupé"),
        )
        for b in bookings
    ]
    return ical.calendar_response(
        f"Superpublic · {space.name}", events, f"superpublic-{space.slug}.ics"
    )


@require_safe
def private_feed(request, token: str):
    token = inputs.text(token, param="token")  # a NUL byte is a 400, not PostgreSQL's error
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    bookings = Booking.objects.owned_by(feed.user).active().select_related("space")
    events = [
        ical.booking_event(b, summary=b.title, description=b.purpose, private=True)
        for b in bookings
    ]
    response = ical.calendar_response(
        _("Mes réservations Superpublic"), events, "mes-reservations.ics"
    )
    response["Cache-Control"] = "private, no-store"
    return response
