import datetime

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from lab import outbox
from lab.admin_site import register_waiting
from lab.lib.admin import URL_FIELDS_ASSUME_HTTPS
from lab.models import EmailDomain, Membership, Organisation, OutgoingEmail, Region, User


class ActiveMembershipFilter(admin.SimpleListFilter):
    title = _("adhésion en cours")
    parameter_name = "adhesion"

    def lookups(self, request, model_admin):
        return [
            ("active", _("Oui")),
            ("member", _("Adhérent")),
            ("partner", _("Partenaire")),
            ("none", _("Non")),
        ]

    def queryset(self, request, queryset):
        active = Membership.objects.active()
        if self.value() == "active":
            return queryset.filter(memberships__in=active).distinct()
        if self.value() in {"member", "partner"}:
            return queryset.filter(memberships__in=active.filter(tier=self.value())).distinct()
        if self.value() == "none":
            return queryset.exclude(memberships__in=active)
        return queryset


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["tier", "starts", "ends", "note"]


class EmailDomainInline(admin.TabularInline):
    model = EmailDomain
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["name", "kind", "region", "current_membership", "user_count"]
    list_filter = [ActiveMembershipFilter, "kind", "region"]
    search_fields = ["name", "email_domains__domain", "siret", "siren"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["region"]
    inlines = [MembershipInline, EmailDomainInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("region")
            .prefetch_related("memberships")
            .annotate(user_total=Count("users", distinct=True))
        )

    @admin.display(description=_("adhésion en cours"))
    def current_membership(self, obj):
        today = timezone.localdate()
        for membership in obj.memberships.all():
            if membership.is_active(today):
                return membership.get_tier_display()
        return "—"

    @admin.display(description=_("comptes"), ordering="user_total")
    def user_count(self, obj):
        return obj.user_total


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "tier", "starts", "ends"]
    list_filter = ["tier"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "starts"
    list_select_related = ["organisation"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "generation", "successor"]
    list_filter = ["generation"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["successor"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organisation", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "organisation__kind"]
    search_fields = ["email", "first_name", "last_name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "organisation"]}),
        (
            _("Droits"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "organisation", "password1", "password2"]},
        ),
    ]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox: what left, what waits, what was given up, and sending again."""

    list_display = ["created_at", "template", "recipients", "status", "attempts", "next_attempt_at", "sent_at"]  # fmt: skip
    list_filter = ["status", "template"]
    search_fields = ["to", "template"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    @admin.display(description=_("destinataires"))
    def recipients(self, email: OutgoingEmail) -> str:
        return ", ".join(email.to)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Envoyer à nouveau"), permissions=["view"])
    def send_again(self, request, queryset):
        count = outbox.outgoing_emails_requeue(emails=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d courriel remis dans la file d'envoi.",
                "%(count)d courriels remis dans la file d'envoi.",
                count,
            )
            % {"count": count},
        )


# A queued email older than this has missed several attempts: the broker or the mail server
# is down (the outbox keeps it; see lab/outbox.py).
EMAIL_LATE_AFTER = datetime.timedelta(minutes=15)


register_waiting(
    ngettext_lazy("%(count)d courriel non parti", "%(count)d courriels non partis", "count"),
    rows=lambda: OutgoingEmail.objects.filter(
        Q(status=OutgoingEmail.Status.FAILED)
        | Q(status=OutgoingEmail.Status.QUEUED, created_at__lt=timezone.now() - EMAIL_LATE_AFTER)
    ),
    url=lambda: reverse("admin:lab_outgoingemail_changelist") + "?status__in=queued,failed",
)
