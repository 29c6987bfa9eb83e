import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.http import require_POST

from lab.admin_site import register_waiting
from lab.lib.admin import URL_FIELDS_ASSUME_HTTPS
from programmes.models import (
    Phase,
    Programme,
    ProgrammeRequest,
    Project,
    ProjectLink,
    ProjectPhase,
    Theme,
)
from programmes.services import edition_create_from_request, programme_request_set_status


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "start_year", "typical_duration", "order"]
    list_filter = ["status"]
    list_editable = ["order"]
    search_fields = ["name", "tagline"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "tagline", "status", "start_year", "order"]}),
        (_("Présentation"), {"fields": ["description", "objectives", "member_benefits", "format",
                                       "typical_duration", "cover"]}),
        (_("Objectif de formation"), {"fields": ["training_target", "training_target_years"]}),
    ]  # fmt: skip


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ProjectPhaseInline(admin.TabularInline):
    model = ProjectPhase
    extra = 0
    fields = ["order", "name", "starts_on", "ends_on", "description"]


class ProjectLinkInline(admin.TabularInline):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    model = ProjectLink
    extra = 0


CSV_COLUMNS = [
    ("slug", "slug"),
    ("title", "titre"),
    ("programme", "programme"),
    ("host", "structure_accueil"),
    ("region", "region"),
    ("start_year", "annee_debut"),
    ("end_year", "annee_fin"),
    ("status", "statut"),
    ("themes", "themes"),
    ("participants", "participants"),
    ("ideas_generated", "idees_produites"),
    ("ideas_implemented", "idees_mises_en_oeuvre"),
    ("published", "publie"),
]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "programme",
        "host",
        "region",
        "start_year",
        "end_year",
        "status",
        "published",
    ]
    list_filter = ["programme", "status", "published", "themes", "start_year", "region"]
    list_select_related = ["programme", "host", "region"]
    search_fields = ["title", "summary", "host__name", "region__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host", "region"]
    filter_horizontal = ["themes"]
    readonly_fields = ["request_link", "created_at", "updated_at"]
    inlines = [ProjectPhaseInline, ProjectLinkInline]
    actions = ["export_csv", "publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "programme", "host", "region", "status", "published"]}),
        (_("Période"), {"fields": ["start_year", "end_year", "starts_on", "ends_on"]}),
        (_("Contenu"), {"fields": ["summary", "body", "outcomes", "themes", "cover"]}),
        (_("Chiffres"), {"fields": ["participants", "network_size", "ideas_generated",
                                   "ideas_implemented"]}),
        (_("Suivi"), {"fields": ["request_link", "created_at", "updated_at"]}),
    ]  # fmt: skip

    @admin.display(description=_("demande d'origine"))
    def request_link(self, project):
        if not project.request_id:
            return "—"
        url = reverse("admin:programmes_programmerequest_change", args=[project.request_id])
        return format_html('<a href="{}">{}</a>', url, project.request)

    @admin.action(description=_("Exporter en CSV"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="projets-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow([header for _field, header in CSV_COLUMNS])
        for project in queryset.select_related("programme", "host", "region").prefetch_related(
            "themes"
        ):
            writer.writerow(
                [
                    project.slug,
                    project.title,
                    project.programme.name,
                    project.host.name,
                    project.region.name,
                    project.start_year,
                    project.end_year or "",
                    project.status,
                    "|".join(theme.name for theme in project.themes.all()),
                    project.participants or "",
                    project.ideas_generated or "",
                    "" if project.ideas_implemented is None else project.ideas_implemented,
                    "oui" if project.published else "non",
                ]
            )
        return response

    @admin.action(description=_("Publier"))
    def publish(self, request, queryset):
        queryset.update(published=True)

    @admin.action(description=_("Dépublier"))
    def unpublish(self, request, queryset):
        queryset.update(published=False)


@admin.register(ProgrammeRequest)
class ProgrammeRequestAdmin(admin.ModelAdmin):
    list_display = ["programme", "organisation_name", "requester", "status", "created_at"]
    list_filter = ["status", "programme"]
    list_select_related = ["programme", "requester"]
    search_fields = ["organisation_name", "requester__email", "need"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "programme", "requester", "organisation_name", "need", "desired_start", "desired_end",
        "expected_participants", "phone", "edition_link", "decided_by", "created_at", "updated_at",
    ]  # fmt: skip
    fields = [
        "programme", "requester", "organisation", "organisation_name", "need", "desired_start",
        "desired_end", "expected_participants", "phone", "status", "staff_note", "edition_link",
        "decided_by", "created_at", "updated_at",
    ]  # fmt: skip
    autocomplete_fields = ["organisation"]
    actions = ["mark_discussion", "mark_accepted", "mark_declined", "create_editions"]
    change_form_template = "admin/programmes/programmerequest/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.edition_view))
        return [
            path("<int:pk>/edition/", view, name="programmes_programmerequest_edition"),
            *super().get_urls(),
        ]

    def edition_view(self, request, pk):
        item = get_object_or_404(ProgrammeRequest, pk=pk)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        try:
            edition = edition_create_from_request(request=item, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:programmes_programmerequest_change", args=[pk])
            )
        self.message_user(
            request,
            _("Édition « %(title)s » créée, avec son calendrier : relisez-la avant de la publier.")
            % {"title": edition.title},
        )
        return HttpResponseRedirect(reverse("admin:programmes_project_change", args=[edition.pk]))

    @admin.display(description=_("édition"))
    def edition_link(self, item):
        edition = Project.objects.filter(request=item).only("pk", "title").first()
        if edition:
            url = reverse("admin:programmes_project_change", args=[edition.pk])
            return format_html('<a href="{}">{}</a>', url, edition.title)
        if item.status == ProgrammeRequest.Status.ACCEPTED:
            return _("Pas encore : « Créer l'édition » en haut de la page.")
        return _("Une fois la demande acceptée.")

    def has_add_permission(self, request):
        return False  # requests come from the site's form

    def save_model(self, request, obj, form, change):
        if "organisation" in form.changed_data:
            ProgrammeRequest.objects.filter(pk=obj.pk).update(organisation=obj.organisation)
        # Status changes go through the service: transitions checked, requester emailed.
        try:
            programme_request_set_status(
                request=obj, status=obj.status, by=request.user, note=obj.staff_note
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def _move(self, request, queryset, status):
        moved = 0
        for item in queryset:
            try:
                programme_request_set_status(request=item, status=status, by=request.user)
                moved += 1
            except ValidationError as error:
                self.message_user(request, f"{item} : {' '.join(error.messages)}", messages.WARNING)
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d demande mise à jour.", "%(count)d demandes mises à jour.", moved
                )
                % {"count": moved},
            )

    @admin.action(description=_("Passer en discussion"))
    def mark_discussion(self, request, queryset):
        self._move(request, queryset, ProgrammeRequest.Status.DISCUSSION)

    @admin.action(description=_("Accepter"))
    def mark_accepted(self, request, queryset):
        self._move(request, queryset, ProgrammeRequest.Status.ACCEPTED)

    @admin.action(description=_("Décliner"))
    def mark_declined(self, request, queryset):
        self._move(request, queryset, ProgrammeRequest.Status.DECLINED)

    @admin.action(description=_("Créer l'édition des demandes acceptées"))
    def create_editions(self, request, queryset):
        created = 0
        for item in queryset:
            try:
                edition_create_from_request(request=item, by=request.user)
                created += 1
            except ValidationError as error:
                self.message_user(request, f"{item} : {' '.join(error.messages)}", messages.WARNING)
        if created:
            self.message_user(
                request,
                ngettext("%(count)d édition créée.", "%(count)d éditions créées.", created)
                % {"count": created},
            )


register_waiting(
    ngettext_lazy(
        "%(count)d nouvelle demande de programme",
        "%(count)d nouvelles demandes de programme",
        "count",
    ),
    rows=lambda: ProgrammeRequest.objects.filter(status=ProgrammeRequest.Status.NEW),
    url=lambda: (
        reverse("admin:programmes_programmerequest_changelist")
        + f"?status__exact={ProgrammeRequest.Status.NEW}"
    ),
)
