import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from lab.admin_site import register_waiting
from lab.models import Organisation
from superpublic import rules, selectors, services
from superpublic.models import (
    Booking,
    BookingGroup,
    BookingSeries,
    CalendarFeed,
    Closure,
    OpeningHours,
    Space,
)

Status = Booking.Status


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = [
        "name", "kind", "capacity", "area", "active", "requires_approval", "allows_residency", "order",
    ]  # fmt: skip
    list_editable = ["active", "requires_approval", "allows_residency", "order"]
    list_filter = ["kind", "active"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline]
    fieldsets = [
        (None, {"fields": [
            "name", "slug", "kind", "capacity", "area", "equipment", "description", "photo",
            "accessibility", "active", "requires_approval", "allows_residency", "order",
        ]}),
        (_("Place sur le plan"), {
            "fields": [("plan_x", "plan_y"), ("plan_width", "plan_depth")],
            "description": _(
                "Le plan de la page Superpublic dessine le plateau comme un rectangle de 20 m "
                "sur 15 m, la rue la Vacquerie en haut. Placez l'espace en mètres depuis le coin "
                "en haut à gauche ; il doit tenir dans le plateau sans chevaucher un autre espace."
            ),
        }),
    ]  # fmt: skip


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "period", "all_spaces"]
    filter_horizontal = ["spaces"]


class DateFilter(admin.SimpleListFilter):
    title = _("date")
    parameter_name = "quand"

    def lookups(self, request, model_admin):
        return [
            ("today", _("Aujourd'hui")),
            ("week", _("Les 7 prochains jours")),
            ("future", _("À venir")),
            ("past", _("Passées")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        today = rules.paris_datetime(timezone.localdate(), datetime.time(0))
        if self.value() == "today":
            return queryset.filter(period__overlap=(today, today + datetime.timedelta(days=1)))
        if self.value() == "week":
            return queryset.filter(period__overlap=(now, now + datetime.timedelta(days=7)))
        if self.value() == "future":
            return queryset.filter(period__endswith__gt=now)
        if self.value() == "past":
            return queryset.filter(period__endswith__lte=now)
        return queryset


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif envoyé aux personnes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


TIMES = [(f"{h:02d}:{m:02d}", f"{h:02d}:{m:02d}") for h in range(7, 23) for m in (0, 15, 30, 45)]


class PlanForm(forms.Form):
    """Staff book several rooms over several days, or a residency, through the services."""

    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=[
            (Booking.Kind.BOOKING, _("Réservation, chaque jour aux mêmes heures")),
            (Booking.Kind.RESIDENCY, _("Résidence (jour et nuit, journées entières)")),
        ],
        widget=forms.RadioSelect,
        initial=Booking.Kind.BOOKING,
    )
    spaces = forms.ModelMultipleChoiceField(
        label=_("Espaces"), queryset=Space.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Une résidence occupe un seul espace, qui accueille les résidences."),
    )  # fmt: skip
    first_day = forms.DateField(
        label=_("Premier jour"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(
        label=_("Dernier jour"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start = forms.ChoiceField(label=_("Début (chaque jour)"), choices=TIMES, required=False)
    end = forms.ChoiceField(label=_("Fin (chaque jour)"), choices=TIMES, required=False)
    title = forms.CharField(label=_("Titre"), max_length=150)
    attendees = forms.IntegerField(label=_("Participants"), min_value=1, max_value=1000)
    resident = forms.ModelChoiceField(
        label=_("Organisation résidente"), queryset=Organisation.objects.all(), required=False
    )
    purpose = forms.CharField(
        label=_("Objet"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Booking.Kind.RESIDENCY:
            if len(cleaned.get("spaces") or []) > 1:
                self.add_error("spaces", _("Une résidence occupe un seul espace."))
            if not cleaned.get("resident"):
                self.add_error("resident", _("Une résidence nomme l'organisation résidente."))
        elif not (cleaned.get("start") and cleaned.get("end")):
            self.add_error("end", _("Indiquez les heures de début et de fin de chaque jour."))
        return cleaned


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    # Six columns that fit at 1280 px beside the filters: the kind, the organisation and the
    # public flag are filters (and the person's column names the organisation).
    list_display = ["when", "title", "space", "who", "status", "closure_conflict"]
    list_display_links = ["when", "title"]
    list_filter = ["status", DateFilter, "kind", "space", "is_public", "organisation"]
    list_select_related = ["space", "booked_by", "organisation"]
    search_fields = ["title", "booked_by__email", "organisation__name"]
    readonly_fields = [
        "space", "booked_by", "organisation", "period", "series", "kind", "group", "resident", "decided_by",
        "decided_at", "created_at", "updated_at",
    ]  # fmt: skip
    fields = [
        "title", "space", "period", "attendees", "booked_by", "organisation", "purpose", "is_public",
        "public_description", "status", "decision_note", "decided_by", "decided_at", "series", "kind", "group",
        "resident", "created_at", "updated_at",
    ]  # fmt: skip
    actions = ["confirm", "reject", "cancel"]
    ordering = ["period"]

    def add_view(self, request, form_url="", extra_context=None):
        """Bookings are made through the services and their rules: here several rooms over
        several days, or a residency; a refusal is an error of the form, with the next dates."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PlanForm(request.POST or None)
        suggestions = []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            common = {"user": request.user, "title": data["title"], "attendees": data["attendees"],
                      "purpose": data["purpose"]}  # fmt: skip
            try:
                if data["kind"] == Booking.Kind.RESIDENCY:
                    services.booking_residency_create(
                        space=data["spaces"][0], first_day=data["first_day"],
                        last_day=data["last_day"], resident=data["resident"], **common,
                    )  # fmt: skip
                else:
                    services.booking_days_create(
                        spaces=data["spaces"], first_day=data["first_day"], last_day=data["last_day"],
                        opens=datetime.time.fromisoformat(data["start"]),
                        closes=datetime.time.fromisoformat(data["end"]), **common,
                    )  # fmt: skip
            except services.SlotTaken as taken:
                form.add_error(None, taken)
                suggestions = [services.span(start, end) for start, end in taken.suggestions]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("Réservation enregistrée."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:superpublic_booking_changelist"))
        return TemplateResponse(
            request,
            "admin/superpublic/plan.html",
            {**self.admin_site.each_context(request), "title": _("Réserver plusieurs jours ou une résidence"),
             "form": form, "suggestions": suggestions, "opts": self.model._meta},
            status=400 if request.method == "POST" else 200,
        )  # fmt: skip

    def save_model(self, request, obj, form, change):
        # Status changes go through the services (rules, emails); other fields save as they are.
        previous = Booking.objects.get(pk=obj.pk)
        target = obj.status
        obj.status = previous.status
        super().save_model(request, obj, form, change)
        if target == previous.status:
            return
        try:
            if previous.status == Status.PENDING and target in {Status.CONFIRMED, Status.REJECTED}:
                services.booking_decide(
                    booking=obj,
                    by=request.user,
                    confirm=target == Status.CONFIRMED,
                    note=obj.decision_note,
                )
            elif target == Status.CANCELLED:
                services.booking_cancel(booking=obj, by=request.user, reason=obj.decision_note)
            else:
                raise ValidationError(_("Ce changement de statut n'est pas possible ici."))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    @admin.display(description=_("créneau"), ordering="period")
    def when(self, obj):
        return f"{obj.local_start:%d/%m/%Y %H:%M}–{obj.local_end:%H:%M}"

    def get_queryset(self, request):
        # Closures added after the booking: staff see them in the approval queue, from one
        # subquery of the list's query rather than one query per row.
        closing = Closure.objects.filter(
            Q(all_spaces=True) | Q(spaces=OuterRef("space")), period__overlap=OuterRef("period")
        )
        return super().get_queryset(request).annotate(in_closure=Exists(closing))

    @admin.display(description=_("réservé par"), ordering="booked_by__last_name")
    def who(self, obj):
        person = obj.booked_by.get_full_name() or obj.booked_by.email if obj.booked_by else "—"
        return f"{person} · {obj.organisation}" if obj.organisation else person

    @admin.display(description=_("fermeture"), boolean=True)
    def closure_conflict(self, obj):
        return obj.in_closure or None

    @admin.action(description=_("Confirmer les réservations en attente"))
    def confirm(self, request, queryset):
        done = 0
        for booking in queryset.filter(status=Status.PENDING):
            try:
                services.booking_decide(booking=booking, by=request.user, confirm=True)
            except ValidationError:
                continue  # decided meanwhile, or with its group (the other days of a booking)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d réservation confirmée.", "%(count)d réservations confirmées.", done)
            % {"count": done},
        )

    def _with_reason(self, request, queryset, action: str, verb: str):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for booking in queryset:
                try:
                    if action == "reject":
                        services.booking_decide(
                            booking=booking,
                            by=request.user,
                            confirm=False,
                            note=form.cleaned_data["reason"],
                        )
                    else:
                        services.booking_cancel(
                            booking=booking, by=request.user, reason=form.cleaned_data["reason"]
                        )
                    done += 1
                except ValidationError as error:
                    self.message_user(
                        request, f"{booking} : {' '.join(error.messages)}", messages.WARNING
                    )
            if action == "reject":
                done_message = ngettext(
                    "%(count)d réservation refusée.", "%(count)d réservations refusées.", done
                )
            else:
                done_message = ngettext(
                    "%(count)d réservation annulée.", "%(count)d réservations annulées.", done
                )
            self.message_user(request, done_message % {"count": done})
            return None
        return render(
            request,
            "admin/superpublic/reason.html",
            {**self.admin_site.each_context(request), "title": verb, "form": form, "bookings": queryset, "action": action,
             "opts": self.model._meta},
        )  # fmt: skip

    @admin.action(description=_("Refuser, avec un motif"))
    def reject(self, request, queryset):
        return self._with_reason(
            request, queryset.filter(status=Status.PENDING), "reject", _("Refuser des réservations")
        )

    @admin.action(description=_("Annuler, avec un motif"))
    def cancel(self, request, queryset):
        return self._with_reason(
            request, queryset.active(), "cancel", _("Annuler des réservations")
        )

    def get_urls(self):
        return [
            path(
                "vue-d-ensemble/",
                self.admin_site.admin_view(self.overview),
                name="superpublic_booking_overview",
            ),
            *super().get_urls(),
        ]

    def overview(self, request):
        """Every space, day or week: who holds which slot (staff only, names shown)."""
        try:
            monday = selectors.parse_week(request.GET.get("semaine"))
        except ValueError:
            monday = selectors.parse_week(None)
        start = rules.paris_datetime(monday, datetime.time(0))
        end = start + datetime.timedelta(days=7)
        bookings = (
            Booking.objects.active()
            .overlapping(start, end)
            .select_related("space", "booked_by", "organisation")
            .order_by("period")
        )
        by_day: dict[datetime.date, list[Booking]] = {}
        for booking in bookings:
            by_day.setdefault(booking.local_start.date(), []).append(booking)
        days = [
            (
                monday + datetime.timedelta(days=i),
                by_day.get(monday + datetime.timedelta(days=i), []),
            )
            for i in range(7)
        ]
        return TemplateResponse(
            request,
            "admin/superpublic/overview.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Superpublic : vue d'ensemble de la semaine"),
                "days": days,
                "previous_week": selectors.week_label(monday - datetime.timedelta(days=7)),
                "next_week": selectors.week_label(monday + datetime.timedelta(days=7)),
                "closures": Closure.objects.filter(period__overlap=(start, end)),
                "opts": self.model._meta,
            },
        )


@admin.register(BookingGroup)
class BookingGroupAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_by", "page", "created_at"]
    list_select_related = ["created_by"]
    readonly_fields = ["created_by", "page", "created_at"]


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_by", "conflict_mode", "until", "count", "created_at"]
    list_select_related = ["created_by"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]


register_waiting(
    ngettext_lazy(
        "%(count)d réservation à approuver", "%(count)d réservations à approuver", "count"
    ),
    rows=lambda: Booking.objects.filter(status=Status.PENDING, period__endswith__gt=timezone.now()),
    url=lambda: (
        reverse("admin:superpublic_booking_changelist") + f"?status__exact={Status.PENDING}"
    ),
)
