from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from lab.lib.admin import URL_FIELDS_ASSUME_HTTPS
from publications.models import Download, Publication, PublicationFile
from publications.services import publication_publish_now, publication_release_now
from publications.validators import detect_content_type


class PrivateFileInput(forms.ClearableFileInput):
    """Shows the stored file's name, never a link: private files have no URL."""

    template_name = "publications/widgets/private_file_input.html"

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", None))


class PublicationFileForm(forms.ModelForm):
    class Meta:
        model = PublicationFile
        fields = ["file", "label"]
        widgets = {"file": PrivateFileInput}

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and hasattr(upload, "size") and "file" in self.changed_data:
            # Size and type come from the bytes themselves, checked by the field's validator.
            self.instance.size = upload.size
            self.instance.content_type = detect_content_type(upload) or ""
        return cleaned


class PublicationFileInline(admin.TabularInline):
    model = PublicationFile
    form = PublicationFileForm
    extra = 0
    fields = ["file", "label", "size", "content_type", "downloads"]
    readonly_fields = ["size", "content_type", "downloads"]


class WindowFilter(admin.SimpleListFilter):
    title = _("accès")
    parameter_name = "acces"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Brouillon")),
            ("window", _("En accès prioritaire")),
            ("public", _("Publique")),
            ("scheduled", _("Parution programmée")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(status="draft")
        if self.value() == "window":
            return queryset.in_window()
        if self.value() == "public":
            return queryset.public()
        if self.value() == "scheduled":
            return queryset.filter(status="published", published_at__gt=now)
        return queryset


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = [
        "title",
        "kind",
        "year",
        "status",
        "published_at",
        "public_from",
        "total_downloads",
    ]
    list_filter = ["status", WindowFilter, "kind", "year"]
    search_fields = ["title", "subtitle", "authors", "isbn"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes", "related_projects", "co_editors"]
    inlines = [PublicationFileInline]
    readonly_fields = ["previews", "downloads_by_organisation"]
    actions = ["publish_now", "release_now"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "subtitle", "kind", "year", "summary", "body", "cover"]},
        ),
        (_("Parution"), {"fields": ["status", "published_at", "public_from", "previews"]}),
        (
            _("Références"),
            {"fields": ["authors", "publisher", "isbn", "pages", "licence", "external_url"]},
        ),
        (_("Liens"), {"fields": ["themes", "related_projects", "co_editors"]}),
        (_("Téléchargements"), {"fields": ["downloads_by_organisation"]}),
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(download_total=Count("files__download_records"))
        )

    @admin.display(description=_("téléchargements"), ordering="download_total")
    def total_downloads(self, obj):
        return obj.download_total

    @admin.display(description=_("aperçu"))
    def previews(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("publications:detail", args=[obj.slug])
        return format_html(
            '<a href="{}?apercu=partenaire" target="_blank">{}</a> · <a href="{}?apercu=public" target="_blank">{}</a>',
            url, _("comme un partenaire"), url, _("comme le public"),
        )  # fmt: skip

    @admin.display(description=_("par organisation"))
    def downloads_by_organisation(self, obj):
        if not obj.pk:
            return "—"
        rows = (
            Download.objects.filter(file__publication=obj)
            .values("organisation__name")
            .annotate(n=Count("id"))
            .order_by("-n", "organisation__name")
        )
        if not rows:
            return _("Aucun téléchargement.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} : {}</li>",
                ((r["organisation__name"] or _("sans organisation"), r["n"]) for r in rows),
            ),
        )

    @admin.action(description=_("Publier maintenant"))
    def publish_now(self, request, queryset):
        for publication in queryset:
            publication_publish_now(publication=publication)
        self.message_user(request, _("Publié."))

    @admin.action(description=_("Ouvrir au public maintenant"))
    def release_now(self, request, queryset):
        for publication in queryset:
            publication_release_now(publication=publication)
        self.message_user(request, _("Ouvert à tous."))
