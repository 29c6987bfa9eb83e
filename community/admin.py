import copy
import csv
import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from community import services
from community.models import Discipline, Event, Method, Profile, Registration
from community.services import profile_moderate
from lab.admin_site import register_waiting
from lab.lib.admin import URL_FIELDS_ASSUME_HTTPS
from superpublic.models import Space
from superpublic.services import SlotTaken, span


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


class _DryRun(Exception):
    """Undoes a trial of the schedule (its savepoint is rolled back)."""


def slot_taken_message(taken: SlotTaken) -> str:
    message = " ".join(taken.messages)
    if taken.suggestions:
        message += " " + gettext("Prochaines dates libres : %(dates)s.") % {
            "dates": " ; ".join(span(start, end) for start, end in taken.suggestions)
        }
    return message


class EventAdminForm(forms.ModelForm):
    rooms = forms.ModelMultipleChoiceField(
        label=_("Salles de Superpublic"),
        queryset=Space.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Réservées à ses horaires, chaque jour du premier au dernier (de l'heure de début "
            "à l'heure de fin) ; laissez vide pour un événement ailleurs (une adresse)."
        ),
    )
    user = None  # the person editing, set per request by EventAdmin.get_form

    class Meta:
        model = Event
        fields = [
            "title", "slug", "kind", "programme", "starts", "ends", "rooms", "address", "region",
            "description", "capacity", "audience", "members_registration_opens",
            "registration_opens", "registration_closes",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["rooms"].initial = [room.pk for room in self.instance.rooms]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        # Try the schedule for real in a savepoint rolled back at once: every rule of the
        # booking service, and a room already taken, become errors of this form (never a 500).
        try:
            with transaction.atomic():
                services.event_schedule(
                    event=copy.copy(self.instance), rooms=self.cleaned_data["rooms"], by=self.user
                )
                raise _DryRun
        except _DryRun:
            pass
        except SlotTaken as taken:
            self.add_error("rooms", slot_taken_message(taken))
        except ValidationError as error:
            self.add_error(None, error.messages)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = [
        "title", "kind", "starts", "audience", "capacity", "registered_count", "cancelled_at",
        "attendance_link",
    ]  # fmt: skip
    list_filter = ["kind", "audience"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RegistrationInline]
    actions = ["export_attendees", "cancel"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        services.event_schedule(event=obj, rooms=form.cleaned_data["rooms"], by=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SlotTaken as taken:
            # A room taken between the form's check and the save (a race): nothing was saved.
            self.message_user(request, slot_taken_message(taken), messages.ERROR)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    @admin.action(description=_("Annuler les événements (leurs salles sont libérées)"))
    def cancel(self, request, queryset):
        for event in queryset:
            services.event_cancel(event=event, by=request.user)
        self.message_user(
            request,
            _(
                "Événements annulés ; leurs salles sont libres et leurs inscrits prévenus par courriel."
            ),
        )

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


# Profiles are published by their owners without waiting; the team looks over the week's new
# or changed ones that others can see, and hides what breaks the charter (« Masquer »).
PROFILES_TO_REVIEW_DAYS = 7


def _review_since():
    return timezone.localdate() - datetime.timedelta(days=PROFILES_TO_REVIEW_DAYS)


register_waiting(
    ngettext_lazy(
        "%(count)d fiche publiée ou modifiée cette semaine",
        "%(count)d fiches publiées ou modifiées cette semaine",
        "count",
    ),
    rows=lambda: Profile.objects.exclude(visibility=Profile.Visibility.HIDDEN).filter(
        hidden_by_staff=False, updated_at__date__gte=_review_since()
    ),
    url=lambda: (
        reverse("admin:community_profile_changelist")
        + f"?updated_at__date__gte={_review_since().isoformat()}&hidden_by_staff__exact=0"
    ),
)
