import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from community.models import Discipline, Event, Method, Profile, Registration
from community.services import profile_moderate
from lab.lib.admin import URL_FIELDS_ASSUME_HTTPS


@admin.register(Discipline, Method)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_en"]


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif envoyé à la personne"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = [
        "display_name",
        "user",
        "visibility",
        "consent_version",
        "hidden_by_staff",
        "updated_at",
    ]
    list_filter = ["visibility", "hidden_by_staff", "consent_version", "disciplines"]
    search_fields = ["display_name", "user__email", "role"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "consent_at",
        "consent_version",
        "last_confirmed",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["disciplines", "methods", "projects"]
    actions = ["hide"]

    def has_add_permission(self, request):
        return False  # people write their own profile

    @admin.action(description=_("Masquer, avec un motif envoyé à la personne"))
    def hide(self, request, queryset):
        form = ModerationForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for profile in queryset.select_related("user"):
                try:
                    profile_moderate(
                        profile=profile, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
            self.message_user(request, _("Fiches masquées ; les personnes sont prévenues."))
            return None
        return render(
            request,
            "admin/superpublic/reason.html",
            {**self.admin_site.each_context(request), "title": _("Masquer des fiches"), "form": form,
             "bookings": queryset, "action": "hide", "opts": self.model._meta},
        )  # fmt: skip


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["user", "status", "created_at", "attended_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title", "kind", "starts", "audience", "capacity", "registered_count", "attendance_link",
    ]  # fmt: skip
    list_filter = ["kind", "audience"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RegistrationInline]
    actions = ["export_attendees"]

    @admin.display(description=_("inscrits"))
    def registered_count(self, obj):
        return obj.registrations.filter(status=Registration.Status.REGISTERED).count()

    @admin.display(description=_("présences"))
    def attendance_link(self, obj):
        url = reverse("community:attendance", args=[obj.slug])
        return format_html('<a href="{}">{}</a>', url, _("Relever"))

    @admin.action(description=_("Exporter les inscrits (CSV)"))
    def export_attendees(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="inscrits.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["evenement", "nom", "courriel", "organisation", "statut", "inscrit_le", "present"]
        )
        registrations = (
            Registration.objects.filter(event__in=queryset)
            .select_related("event", "user__organisation")
            .order_by("event__starts", "created_at")
        )
        for registration in registrations:
            user = registration.user
            writer.writerow([registration.event.title, user.get_full_name(), user.email,
                             user.organisation.name if user.organisation else "", registration.status,
                             registration.created_at.isoformat(),
                             "oui" if registration.attended_at else "non"])  # fmt: skip
        return response
