from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from lab.lib.api import LicenceHeaderMixin, search_parameter, year_parameter
from publications.filters import PublicationFilter
from publications.models import TEASER_FIELDS, Publication
from publications.permissions import publication_access

# What a caller who may not read a publication yet gets: its teaser (as on the page) and the
# API's own facts about it. Every other field, present or added later, stays empty.
SHOWN_BEFORE_READABLE = frozenset(TEASER_FIELDS) | {
    "id", "slug", "published_at", "public_from", "access", "readable", "url",
}  # fmt: skip
EMPTY_UNTIL_READABLE = "Empty when the caller may not read it yet (a teaser)."


class PublicationSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    access = serializers.SerializerMethodField(
        help_text="public, priority (in its window) or draft."
    )
    readable = serializers.SerializerMethodField(
        help_text="Whether the caller may read it in full."
    )
    body = serializers.SerializerMethodField(help_text=EMPTY_UNTIL_READABLE)
    files = serializers.SerializerMethodField(
        help_text="Links to the protected download view; empty without permission."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        extra_kwargs = {field: {"help_text": EMPTY_UNTIL_READABLE} for field in ("authors", "publisher", "isbn", "licence", "external_url")}  # fmt: skip
        fields = ["id", "slug", "title", "subtitle", "kind", "year", "summary", "authors", "publisher", "isbn", "licence",
                  "themes", "published_at", "public_from", "access", "readable", "body", "external_url", "files", "url"]  # fmt: skip

    def _rights(self, publication):
        cache = self.context.setdefault("_rights", {})
        if publication.pk not in cache:
            cache[publication.pk] = publication_access(publication, self.context["request"].user)
        return cache[publication.pk]

    def get_access(self, publication) -> str:
        if publication.status == Publication.Status.DRAFT:
            return "draft"
        return "priority" if self._rights(publication).in_window else "public"

    def get_readable(self, publication) -> bool:
        return self._rights(publication).read

    def get_body(self, publication) -> str:
        return publication.body if self._rights(publication).read else ""

    def get_files(self, publication) -> list[dict]:
        if not self._rights(publication).download:
            return []
        request = self.context["request"]
        return [
            {
                "label": f.label,
                "size": f.size,
                "content_type": f.content_type,
                "download_url": request.build_absolute_uri(f.get_absolute_url()),
            }
            for f in publication.files.all()
        ]

    def get_url(self, publication) -> str:
        return self.context["request"].build_absolute_uri(publication.get_absolute_url())

    def to_representation(self, publication):
        data = super().to_representation(publication)
        if not self._rights(publication).read:
            # The teaser only, as on the page: what is not part of it stays empty.
            for field, value in data.items():
                if field not in SHOWN_BEFORE_READABLE:
                    data[field] = (
                        [] if isinstance(value, list) else "" if isinstance(value, str) else None
                    )
        return data


@extend_schema_view(
    list=extend_schema(
        parameters=[
            search_parameter(
                "publications: title, subtitle, summary, authors and text of those the caller "
                "may read, the teaser only (title, subtitle, summary) of the others"
            ),
            year_parameter(2008, 2100, "Year of publication."),
        ]
    )
)
class PublicationViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """Publications the caller may see: priority ones as teasers until their public date."""

    serializer_class = PublicationSerializer
    lookup_field = "slug"
    filterset_class = PublicationFilter  # as on /publications/: q, kind, theme, year, access

    def get_queryset(self):
        return (
            Publication.objects.visible_to(self.request.user)
            .prefetch_related("themes", "files", "co_editors")
            .order_by("-year", "title")
        )
