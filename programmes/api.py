from __future__ import annotations

from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from lab.lib.api import LicenceHeaderMixin, search_parameter, year_parameter
from programmes.filters import ProjectFilter
from programmes.models import Phase, Programme, Project, Theme


def absolute(serializer, path: str) -> str:
    return serializer.context["request"].build_absolute_uri(path)


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "slug", "name"]


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["order", "name", "weeks", "description"]


class ProgrammeSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    project_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["id", "slug", "name", "tagline", "format", "typical_duration", "start_year", "status", "description",
                  "objectives", "phases", "project_count", "url"]  # fmt: skip

    def get_url(self, programme) -> str:
        return absolute(self, programme.get_absolute_url())


class ProgrammeViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """The programme catalogue."""

    serializer_class = ProgrammeSerializer
    lookup_field = "slug"
    filterset_fields = ["status"]
    queryset = (
        Programme.objects.order_by("order", "name")
        .annotate(project_count=Count("projects", filter=Q(projects__published=True)))
        .prefetch_related("phases")
    )


class ProjectSerializer(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    host = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    host_name = serializers.CharField(source="host.name", read_only=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "slug", "title", "programme", "host", "host_name", "region", "region_name", "start_year",
                  "end_year", "starts_on", "ends_on", "status", "themes", "summary", "participants",
                  "ideas_generated", "ideas_implemented", "updated_at", "url"]  # fmt: skip

    def get_url(self, project) -> str:
        return absolute(self, project.get_absolute_url())


@extend_schema_view(
    list=extend_schema(
        parameters=[
            search_parameter("projects (title, summary, text, outcomes, region, host)"),
            year_parameter(2000, 2100, "Projects running during that year."),
        ]
    )
)
class ProjectViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """Published projects, filtered as on /projets/ (q, programme, region, theme, status, year)."""

    serializer_class = ProjectSerializer
    lookup_field = "slug"
    filterset_class = ProjectFilter

    def get_queryset(self):
        return (
            Project.objects.published()
            .select_related("programme", "host", "region")
            .prefetch_related("themes")
            .order_by("-start_year", "title")
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # By relevance when the search ran: a blank or whitespace `q` searches nothing, and
        # leaves no rank to sort by.
        if (
            self.action == "list"
            and "tri" not in self.request.query_params
            and "rank" in queryset.query.annotations
        ):
            return queryset.order_by("-rank", "-start_year", "title")
        return queryset


class ThemeViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ThemeSerializer
    lookup_field = "slug"
    queryset = Theme.objects.all()
    pagination_class = None
