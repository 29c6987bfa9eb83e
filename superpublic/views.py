from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
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


@cache_page_for_anonymous(30, params=("semaine",))
@require_safe
def space_detail(request, slug: str):
    space = get_object_or_404(_spaces(), slug=slug)
    try:
        monday = selectors.parse_week(request.GET.get("semaine"))
    except InvalidInput as error:
        monday, status = selectors.parse_week(None), 400
        messages.error(
            request,
            _("%(reason)s Voici la semaine en cours.") % {"reason": error.message},
        )
    else:
        status = 200
    days, rows = selectors.week_grid(space, monday)
    return render(
        request,
        "superpublic/space_detail.html",
        {
            "space": space,
            "days": days,
            "rows": rows,
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
    """The form's first values from the week grid's link (?espace=…&debut=…); a start that
    cannot be read raises InvalidInput."""
    space = inputs.text(request.GET.get("espace"), param="espace")
    initial = {"space": space or None, "attendees": 10}
    start = inputs.iso_datetime(request.GET.get("debut"), param="debut")
    if start is not None:
        start = rules.local(start)
        end = start + datetime.timedelta(hours=1)
        initial.update({"day": start.date(), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    return initial


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
        common = {
            "space": data["space"], "user": request.user, "start": data["start_at"], "end": data["end_at"],
            "title": data["title"], "attendees": data["attendees"], "purpose": data["purpose"],
            "is_public": data.get("is_public", False), "public_description": data.get("public_description", ""),
        }  # fmt: skip
        try:
            if data["repeat"]:
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
                                f"{formats.date_format(d, 'j F Y')} ({why})"
                                for d, why in result.skipped
                            )
                        },
                    )
                booking = result.created[0]
            else:
                booking = services.booking_create(**common)
        except services.SlotTaken as taken:
            form.add_error(None, taken)
            suggestions = taken.suggestions
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("superpublic:booking", pk=booking.pk)
    return render(
        request,
        "superpublic/booking_form.html",
        {"form": form, "suggestions": suggestions, "privileged": privileged},
        status=400 if request.method == "POST" else status,
    )


def _own_booking(request, pk: int) -> Booking:
    """The booking if it is the user's (or the user is staff); otherwise a 404, never a 403."""
    booking = get_object_or_404(Booking.objects.select_related("space", "series"), pk=pk)
    if booking.booked_by_id != request.user.pk and not access.reader(request.user).staff:
        raise Http404
    return booking


@access.verified_required
@require_safe
def booking_detail(request, pk: int):
    booking = _own_booking(request, pk)
    series = (
        list(booking.series.bookings.order_by("period").select_related("space"))
        if booking.series_id
        else []
    )
    return render(
        request, "superpublic/booking_detail.html", {"booking": booking, "series": series}
    )


@access.verified_required
@require_safe
def my_bookings(request):
    now = timezone.now()
    mine = Booking.objects.owned_by(request.user).select_related("space")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "superpublic/my_bookings.html",
        {
            "upcoming": mine.filter(period__endswith__gt=now).order_by("period"),
            "past": mine.filter(period__endswith__lte=now).order_by("-period")[:50],
            "feed_url": request.build_absolute_uri(
                reverse("superpublic:private_feed", args=[feed.token])
            )
            if feed
            else "",
        },
    )


@access.verified_required
@require_POST
def booking_cancel(request, pk: int):
    booking = _own_booking(request, pk)
    form = CancelForm(request.POST)
    rest = form.is_valid() and form.cleaned_data.get("scope") == "rest"
    try:
        cancelled = services.booking_cancel(booking=booking, by=request.user, rest_of_series=rest)
    except (ValidationError, PermissionDenied) as error:
        messages.error(
            request,
            " ".join(getattr(error, "messages", [str(error)])) or _("Annulation impossible."),
        )
    else:
        messages.success(
            request,
            _("%(count)s réservation(s) annulée(s) ; les créneaux sont de nouveau libres.")
            % {"count": len(cancelled)},
        )
    return redirect("superpublic:my_bookings")


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
