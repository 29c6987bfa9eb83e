"""Staff's side of the membership's life: applications, renewals, referents, the usage report.

The core's Organisation and Membership admins (lab/admin.py) are extended here, not edited
there: the core imports no app, so what membership brings (referents, the report, renewals)
is added by re-registering them with subclasses.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from lab.admin import MembershipAdmin as CoreMembershipAdmin
from lab.admin import OrganisationAdmin as CoreOrganisationAdmin
from lab.admin_site import register_waiting
from lab.models import Membership, Organisation
from members import selectors, services
from members.models import (
    Application,
    Invitation,
    MembershipNotice,
    OrganisationPage,
    Referent,
    Team,
)


class ApplicationAdminForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["status", "tier", "starts", "ends", "staff_note"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") != Application.Status.ACCEPTED
            or "status" not in self.changed_data
        ):
            return cleaned
        if not cleaned.get("starts"):
            self.add_error("starts", _("Indiquez la date de début de l'adhésion."))
        elif self.instance.organisation_id:
            # The membership it will create, checked now so the form says what is wrong.
            membership = Membership(
                organisation_id=self.instance.organisation_id,
                tier=cleaned.get("tier") or self.instance.tier,
                starts=cleaned["starts"],
                ends=cleaned.get("ends"),
            )
            try:
                membership.full_clean()
            except ValidationError as error:
                self.add_error(None, error.messages)
        return cleaned


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """new → in discussion → accepted or declined; each step emails the contact, accepting
    creates the membership (members/services.py `application_decide`)."""

    form = ApplicationAdminForm
    list_display = [
        "organisation_name",
        "tier",
        "body_kind",
        "contact_name",
        "status",
        "created_at",
    ]
    list_filter = ["status", "tier", "body_kind"]
    search_fields = ["organisation_name", "contact_name", "contact_email", "siret"]
    date_hierarchy = "created_at"
    list_select_related = ["organisation"]
    readonly_fields = [
        "organisation", "organisation_name", "siret", "body_kind", "contact_name", "contact_role",
        "contact_email", "message", "applicant", "membership", "decided_by", "decided_at", "created_at",
    ]  # fmt: skip
    fieldsets = [
        (_("La demande"), {"fields": ["organisation", "organisation_name", "siret", "body_kind", "applicant",
                                      "contact_name", "contact_role", "contact_email", "message", "created_at"]}),
        (_("La décision"), {"fields": ["status", "tier", "starts", "ends", "staff_note", "membership",
                                       "decided_by", "decided_at"]}),
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False  # applications come from the site's form

    def get_readonly_fields(self, request, obj=None):
        # The stored status: the object may carry the form's rejected change.
        if (
            obj is not None
            and not Application.objects.filter(
                pk=obj.pk, status__in=Application.OPEN_STATUSES
            ).exists()
        ):
            return [*self.readonly_fields, "status", "tier", "starts", "ends", "staff_note"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if "status" not in form.changed_data:  # notes and proposed dates only: no email
            Application.objects.filter(pk=obj.pk).update(
                staff_note=obj.staff_note, tier=obj.tier, starts=obj.starts, ends=obj.ends
            )
            return
        try:
            services.application_decide(
                application=obj,
                status=obj.status,
                by=request.user,
                staff_note=obj.staff_note,
                starts=obj.starts,
                ends=obj.ends,
                tier=obj.tier,
            )
        except ValidationError as error:
            # The form said yes, the database no (an overlap raced in): say why, store nothing.
            self.message_user(request, "; ".join(error.messages), level=messages.ERROR)
            request._decision_failed = True

    def response_change(self, request, obj):
        if getattr(request, "_decision_failed", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


class EndsThisQuarterFilter(admin.SimpleListFilter):
    title = _("échéance")
    parameter_name = "echeance"

    def lookups(self, request, model_admin):
        return [
            ("quarter", _("Finit ce trimestre")),
            ("next_quarter", _("Finit le trimestre prochain")),
            ("lapsed", _("Terminée, non renouvelée")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        first = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        if self.value() in {"quarter", "next_quarter"}:
            if self.value() == "next_quarter":
                first = _quarter_after(first)
            return queryset.filter(ends__gte=first, ends__lt=_quarter_after(first))
        if self.value() == "lapsed":
            return queryset.filter(ends__lt=today).exclude(services._successor())
        return queryset


def _quarter_after(first: datetime.date) -> datetime.date:
    month = first.month + 3
    return datetime.date(first.year + (month > 12), (month - 1) % 12 + 1, 1)


class MembershipAdmin(CoreMembershipAdmin):
    list_display = [*CoreMembershipAdmin.list_display, "renewed"]
    list_filter = [EndsThisQuarterFilter, *CoreMembershipAdmin.list_filter]
    actions = ["renew_one_year"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(has_successor=services._successor())

    @admin.display(description=_("renouvelée"), boolean=True)
    def renewed(self, membership):
        return membership.has_successor if membership.ends else None

    @admin.action(description=_("Renouveler pour un an, dans la continuité"), permissions=["add"])
    def renew_one_year(self, request, queryset):
        done, refused = 0, []
        for membership in queryset.select_related("organisation"):
            try:
                services.membership_renew(membership=membership)
            except ValidationError as error:
                refused.append(f"{membership.organisation} : {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d adhésion renouvelée.", "%(count)d adhésions renouvelées.", done)
                % {"count": done},
            )
        for message in refused:
            self.message_user(request, message, level=messages.WARNING)


class ReferentInline(admin.TabularInline):
    model = Referent
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = _("référent (doit être rattaché à l'organisation)")


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    autocomplete_fields = ["project"]


class PageInline(admin.StackedInline):
    model = OrganisationPage
    extra = 0
    max_num = 1


class OrganisationAdmin(CoreOrganisationAdmin):
    inlines = [*CoreOrganisationAdmin.inlines, ReferentInline, PageInline, TeamInline]
    readonly_fields = ["usage_report_link"]

    @admin.display(description=_("rapport d'usage"))
    def usage_report_link(self, organisation):
        if organisation.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:lab_organisation_usage", args=[organisation.pk]),
            _("Voir ce que l'adhésion a donné cette année et l'an dernier"),
        )

    def get_urls(self):
        own = [
            path(
                "<int:pk>/usage/",
                self.admin_site.admin_view(self.usage_view),
                name="lab_organisation_usage",
            ),
            path(
                "<int:pk>/usage.csv",
                self.admin_site.admin_view(self.usage_csv_view),
                name="lab_organisation_usage_csv",
            ),
        ]
        return own + super().get_urls()

    def usage_view(self, request, pk: int):
        """The organisation's report for a renewal conversation: the same as its own space."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        organisation = get_object_or_404(Organisation, pk=pk)
        memberships = selectors.memberships_of(organisation)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Rapport d'usage : %(name)s") % {"name": organisation.name},
            "organisation": organisation,
            "opts": self.model._meta,
            "memberships": memberships,
            "membership": selectors.current_or_last_membership(memberships),
            "people": list(selectors.people_of(organisation)),
            "report": selectors.usage_report(organisation),
        }
        return TemplateResponse(request, "admin/members/usage_report.html", context)

    def usage_csv_view(self, request, pk: int):
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        from members.views import usage_csv_response

        return usage_csv_response(get_object_or_404(Organisation, pk=pk))


admin.site.unregister(Organisation)
admin.site.register(Organisation, OrganisationAdmin)
admin.site.unregister(Membership)
admin.site.register(Membership, MembershipAdmin)


@admin.register(Referent)
class ReferentAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "since"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        if obj.user.organisation_id != obj.organisation_id:
            self.message_user(
                request,
                _("Cette personne n'est pas rattachée à l'organisation : elle n'y agira qu'une fois rattachée."),
                level=messages.WARNING,
            )  # fmt: skip
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "invited_by", "created_at", "expires_at", "used_at"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    readonly_fields = ["organisation", "email", "invited_by", "created_at", "expires_at", "used_at", "used_by"]  # fmt: skip
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        return False  # referents invite from their organisation's space


@admin.register(MembershipNotice)
class MembershipNoticeAdmin(admin.ModelAdmin):
    list_display = ["membership", "kind", "ends", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["membership__organisation"]
    readonly_fields = ["membership", "kind", "ends", "sent_to", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


register_waiting(
    ngettext_lazy(
        "%(count)d nouvelle demande d'adhésion", "%(count)d nouvelles demandes d'adhésion", "count"
    ),
    rows=lambda: Application.objects.filter(status=Application.Status.NEW),
    url=lambda: (
        reverse("admin:members_application_changelist") + f"?status__exact={Application.Status.NEW}"
    ),
)
