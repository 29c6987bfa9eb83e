"""Open data API of the shared core: regions (with lineage and member status), organisations."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from rest_framework import serializers, viewsets

from lab.lib.api import LicenceHeaderMixin
from lab.models import Membership, Organisation, Region


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "slug", "code", "name", "generation"]


class RegionSerializer(serializers.ModelSerializer):
    successor = RegionRefSerializer(read_only=True, allow_null=True)
    predecessors = RegionRefSerializer(many=True, read_only=True)
    has_member_council = serializers.BooleanField(
        read_only=True, help_text="Its regional council holds an active membership."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = [
            "id",
            "slug",
            "code",
            "name",
            "generation",
            "successor",
            "predecessors",
            "has_member_council",
            "url",
        ]

    def get_url(self, region) -> str:
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(
            reverse("programmes:region", args=[region.slug])
        )


class RegionViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """French regions before and after the 2016 reform (INSEE codes)."""

    serializer_class = RegionSerializer
    lookup_field = "slug"
    filterset_fields = ["generation", "code"]

    def get_queryset(self):
        today = timezone.localdate()
        member = Organisation.objects.filter(
            region=OuterRef("pk"),
            kind=Organisation.Kind.REGIONAL_COUNCIL,
            memberships__in=Membership.objects.active(today),
        )
        return (
            Region.objects.select_related("successor")
            .prefetch_related(Prefetch("predecessors", queryset=Region.objects.order_by("name")))
            .annotate(has_member_council=Exists(member))
            .order_by("generation", "name")
        )


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    membership = serializers.SerializerMethodField(help_text="member, partner or null, today.")

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "kind", "region", "website", "siren", "siret", "membership"]

    def get_membership(self, organisation) -> str | None:
        today = timezone.localdate()
        return next((m.tier for m in organisation.memberships.all() if m.is_active(today)), None)


class OrganisationViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations: public fields only (no email domains, no people)."""

    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    filterset_fields = ["kind", "siren", "siret"]
    queryset = (
        Organisation.objects.select_related("region")
        .prefetch_related("memberships")
        .order_by("name")
    )
