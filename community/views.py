from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from community import attendance, services
from community.filters import ProfileFilter
from community.forms import ContactForm, DeleteAccountForm, ProfileForm
from community.models import Event, Profile, Registration
from community.models import audience as profile_audience
from community.selectors import directory_rows, directory_version, profile_facets
from lab import access, accounts

PER_PAGE = 30


@vary_on_headers("HX-Request")  # the partial and the page: never one for the other (Back)
@require_safe
def directory(request):
    """The results (filters with their counts, the cards, the pages) are the same for everyone
    who sees the same profiles: the template keeps them for a minute under that audience, the
    directory's version (`directory_version`), the address and the language. What makes them
    is lazy, so a kept copy costs no query but the version's."""
    audience = profile_audience(request.user)
    visible = Profile.objects.visible_to(request.user)
    filterset = SimpleLazyObject(lambda: ProfileFilter(request.GET, queryset=visible))
    return render(
        request,
        "community/_directory_partial.html" if request.htmx else "community/directory.html",
        {
            "form": SimpleLazyObject(lambda: filterset.form),
            "page": SimpleLazyObject(
                lambda: Paginator(directory_rows(filterset.qs), PER_PAGE).get_page(
                    request.GET.get("page")
                )
            ),
            "facets": SimpleLazyObject(lambda: profile_facets(visible)),
            "invalid": SimpleLazyObject(lambda: filterset.form.errors),
            # The options chosen, to mark them selected (cheaper than a bound field per option).
            "chosen": {name: request.GET.get(name, "") for name in ProfileFilter.base_filters},
            "privileged": Profile.Visibility.MEMBERS in audience,
            "results_key": [
                ",".join(audience),
                settings.COMMUNITY_POLICY_VERSION,
                directory_version(visible),
            ],
        },
    )


def _visible_profile(request, slug: str) -> Profile:
    profile = get_object_or_404(
        Profile.objects.select_related("user__organisation", "region"), slug=slug
    )
    if profile.user_id == request.user.pk:
        return profile
    if not Profile.objects.visible_to(request.user).filter(pk=profile.pk).exists():
        raise Http404
    return profile


@require_http_methods(["GET", "POST"])
def profile_detail(request, slug: str):
    profile = _visible_profile(request, slug)
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not access.reader(request.user).verified:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                services.contact_send(
                    sender=request.user, profile=profile, message=form.cleaned_data["message"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Message envoyé. %(name)s vous répondra directement, s'il le souhaite.")
                    % {"name": profile.display_name},
                )
                return redirect(profile)
        status = 400
    projects = profile.projects.published().select_related("programme", "region")
    return render(
        request,
        "community/profile.html",
        {
            "profile": profile,
            "form": form,
            "projects": projects,
            "is_owner": profile.user_id == request.user.pk,
        },
        status=status,
    )


@access.verified_required
@require_http_methods(["GET", "POST"])
def my_profile(request):
    profile = (
        Profile.objects.filter(user=request.user)
        .prefetch_related("disciplines", "methods", "projects")
        .first()
    )
    initial = {
        "display_name": request.user.get_full_name(),
        "visibility": Profile.Visibility.HIDDEN,
    }
    if profile:
        initial = {
            "display_name": profile.display_name, "role": profile.role, "region": profile.region_id, "bio": profile.bio,
            "website": profile.website, "languages": profile.languages, "visibility": profile.visibility,
            "disciplines": list(profile.disciplines.all()), "methods": list(profile.methods.all()),
            "projects": list(profile.projects.all()), "consent": not profile.needs_consent,
        }  # fmt: skip
    form = ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                saved = services.profile_save(user=request.user, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Votre fiche est enregistrée."))
                return redirect(saved)
        status = 400
    return render(
        request,
        "community/my_profile.html",
        {
            "form": form,
            "profile": profile,
            "policy_version": settings.COMMUNITY_POLICY_VERSION,
            "delete_form": DeleteAccountForm(),
        },
        status=status,
    )


@access.verified_required
@require_safe
def my_data(request):
    data = accounts.personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mes-donnees-la27eregion-{timezone.localdate():%Y-%m-%d}.json"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@access.verified_required
@require_POST
def delete_profile(request):
    services.profile_delete(user=request.user)
    messages.success(request, _("Votre fiche est supprimée de l'annuaire."))
    return redirect("community:my_profile")


@access.verified_required
@require_POST
def delete_account(request):
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["confirm"]))
        return redirect("community:my_profile")
    accounts.account_delete(user=request.user)
    logout(request)  # once the account is gone: a failure above leaves the person signed in
    messages.success(
        request, _("Votre compte est supprimé. Merci d'avoir fait partie de la communauté.")
    )
    return redirect("home")


# Events ------------------------------------------------------------------------------------


@require_safe
def event_list(request):
    events = Event.objects.visible_to(request.user).listed().with_rooms()
    mine = {}
    if request.user.is_authenticated:
        mine = dict(
            Registration.objects.filter(user=request.user).values_list("event_id", "status")
        )
    return render(
        request,
        "community/events.html",
        {"upcoming": events.upcoming(), "past": events.past()[:20], "mine": mine},
    )


def _visible_event(request, slug: str) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(request.user).with_state().with_rooms().select_related("region"),
        slug=slug,
    )


@require_safe
def event_detail(request, slug: str):
    event = _visible_event(request, slug)
    registration = (
        Registration.objects.filter(event=event, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    registered = Registration.objects.filter(
        event=event, status=Registration.Status.REGISTERED
    ).count()
    now = timezone.now()
    opens = services.registration_opens_for(event, request.user)
    takes_place = event.cancelled_at is None and event.is_confirmed
    return render(
        request,
        "community/event.html",
        {
            "event": event,
            "registration": registration,
            "seats_left": max(event.capacity - registered, 0),
            "opens": opens,
            "is_open": opens <= now < services.registration_closes(event) and takes_place,
            "takes_place": takes_place,
            "not_yet": now < opens,
            "members_first": event.members_registration_opens
            and event.members_registration_opens < event.registration_opens,
            "metadata": {
                "@type": "Event",
                "name": event.title,
                "startDate": timezone.localtime(event.starts).isoformat(),
                "endDate": timezone.localtime(event.ends).isoformat(),
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "location": {
                    "@type": "Place",
                    "name": event.place or "La 27e Région",
                    "address": event.place,
                },
                "organizer": {"@type": "Organization", "name": "La 27e Région"},
                "url": request.build_absolute_uri(event.get_absolute_url()),
            },
        },
    )


@access.verified_required
@require_POST
def event_register(request, slug: str):
    event = _visible_event(request, slug)
    try:
        registration = services.registration_create(event=event, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(
            request, " ".join(getattr(error, "messages", [])) or _("Inscription impossible.")
        )
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("Vous êtes inscrit. Un courriel de confirmation suit."))
        else:
            messages.warning(
                request,
                _(
                    "L'événement est complet : vous êtes sur liste d'attente, et prévenu si une place se libère."
                ),
            )
    return redirect(event)


@access.verified_required
@require_POST
def event_cancel(request, slug: str):
    event = _visible_event(request, slug)
    registration = get_object_or_404(Registration, event=event, user=request.user)
    services.registration_cancel(registration=registration, by=request.user)
    messages.success(request, _("Votre inscription est annulée."))
    return redirect(event)


@require_safe
def event_ics(request, slug: str):
    event = _visible_event(request, slug)
    calendar = Calendar()
    calendar.add("prodid", "-//La 27e Région//Communauté//FR")
    calendar.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"event-{event.pk}@la27eregion.fr")
    item.add("dtstamp", event.created_at)
    item.add("dtstart", event.starts)
    item.add("dtend", event.ends)
    item.add("summary", event.title)
    item.add("location", event.place)
    item.add("url", request.build_absolute_uri(event.get_absolute_url()))
    calendar.add_component(item)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


# Attendance, at the door on a phone or afterwards (community/attendance.py) -------------------


@require_http_methods(["GET", "POST"])
def event_attendance(request, slug: str):
    if not access.reader(request.user).staff:
        raise Http404
    event = get_object_or_404(Event.objects.with_rooms().select_related("region"), slug=slug)
    error = None
    if request.method == "POST":
        try:
            if "walk_ins" in request.POST:
                try:
                    count = int(request.POST["walk_ins"])
                except ValueError:
                    raise ValidationError(_("Indiquez un nombre entier de personnes.")) from None
                attendance.event_count_walk_ins(event=event, count=count, by=request.user)
            else:
                registration = get_object_or_404(
                    Registration, pk=request.POST.get("registration", "0") or 0, event=event
                )
                registration = attendance.registration_mark_attended(
                    registration=registration,
                    attended=request.POST.get("attended") == "1",
                    by=request.user,
                )
                if request.htmx:
                    return render(
                        request,
                        "community/_attendance_row.html",
                        {"event": event, "registration": registration, "oob_summary": True,
                         "summary": attendance.attendance_summary(event)},
                    )  # fmt: skip
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect(request.get_full_path())
    query = request.GET.get("q", "").strip()[:100]
    registrations = (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user__organisation")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    if query:
        registrations = registrations.filter(
            Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user__email__icontains=query)
        )
    return render(
        request,
        "community/attendance.html",
        {
            "event": event,
            "registrations": registrations,
            "summary": attendance.attendance_summary(event),
            "query": query,
            "error": error,
        },
        status=400 if error else 200,
    )
