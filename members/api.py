"""Open data API: the public pages of member and partner organisations that agreed to appear."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from rest_framework import serializers, viewsets

from lab.lib.api import LicenceHeaderMixin
from lab.models import Membership, Organisation
from members.models import Team
from members.selectors import listed_organisations


class MembershipPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["tier", "starts", "ends"]


class TeamSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = ["name", "founded", "project", "description"]


class OrganisationPageSerializer(serializers.ModelSerializer):
    # The kind's choices are those of /api/v1/organisations/ (one enum there, not two).
    kind = serializers.CharField(read_only=True, help_text="As in /api/v1/organisations/.")
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    presentation = serializers.CharField(source="public_page.presentation", read_only=True)
    memberships = MembershipPeriodSerializer(many=True, read_only=True)
    hosted_projects = serializers.SerializerMethodField(
        help_text="Slugs of the published editions it hosted."
    )
    coedited_publications = serializers.SerializerMethodField(
        help_text="Slugs of the published publications it co-edited."
    )
    teams = TeamSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "region", "website", "presentation", "memberships",
                  "hosted_projects", "coedited_publications", "teams", "url"]  # fmt: skip

    def get_hosted_projects(self, organisation) -> list[str]:
        return [p.slug for p in organisation.hosted_projects.all() if p.published]

    def get_coedited_publications(self, organisation) -> list[str]:
        return [p.slug for p in organisation.coedited_publications.all() if p.status == "published"]

    def get_url(self, organisation) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("members:organisation", args=[organisation.slug])
        )


class OrganisationPageViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """Member and partner organisations (present or past) that agreed to a public page: their
    membership years, the editions they hosted, what they co-edited, the labs and teams that came
    out of the programmes with them. No people, no email domains."""

    serializer_class = OrganisationPageSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return listed_organisations().prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.order_by("starts")),
            Prefetch("teams", queryset=Team.objects.select_related("project")),
            "hosted_projects",
            "coedited_publications",
        )
