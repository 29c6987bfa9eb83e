import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from superpublic import rules, selectors, services
from superpublic.models import Booking, BookingSeries, CalendarFeed, Closure, OpeningHours, Space

Status = Booking.Status


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "capacity", "area", "active", "requires_approval", "order"]
    list_editable = ["active", "requires_approval", "order"]
    list_filter = ["kind", "active"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline]


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


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "space",
        "when",
        "booked_by",
        "organisation",
        "status",
        "is_public",
        "closure_conflict",
    ]
    list_filter = ["status", DateFilter, "space", "is_public", "organisation"]
    list_select_related = ["space", "booked_by", "organisation"]
    search_fields = ["title", "booked_by__email", "organisation__name"]
    readonly_fields = [
        "space", "booked_by", "organisation", "period", "series", "decided_by", "decided_at", "created_at", "updated_at",
    ]  # fmt: skip
    fields = [
        "title", "space", "period", "attendees", "booked_by", "organisation", "purpose", "is_public",
        "public_description", "status", "decision_note", "decided_by", "decided_at", "series", "created_at", "updated_at",
    ]  # fmt: skip
    actions = ["confirm", "reject", "cancel"]
    ordering = ["period"]

    def has_add_permission(self, request):
        return False  # bookings are made through the site's form and its rules

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

    @admin.display(description=_("fermeture"), boolean=True)
    def closure_conflict(self, obj):
        # Closures added after the booking: staff see them in the approval queue.
        return (
            Closure.objects.affecting(obj.space)
            .filter(period__overlap=(obj.start, obj.end))
            .exists()
            or None
        )

    @admin.action(description=_("Confirmer les réservations en attente"))
    def confirm(self, request, queryset):
        done = 0
        for booking in queryset.filter(status=Status.PENDING):
            services.booking_decide(booking=booking, by=request.user, confirm=True)
            done += 1
        self.message_user(request, _("%(count)d réservation(s) confirmée(s).") % {"count": done})

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
            self.message_user(request, _("%(count)d réservation(s) traitée(s).") % {"count": done})
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


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = ["pk", "created_by", "conflict_mode", "until", "count", "created_at"]
    list_select_related = ["created_by"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]
