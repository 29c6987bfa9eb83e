from __future__ import annotations

from rest_framework import serializers, viewsets

from community.models import Event
from lab.lib.api import LicenceHeaderMixin


class EventSerializer(serializers.ModelSerializer):
    space = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    place = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "slug", "title", "kind", "starts", "ends", "space", "region", "place", "capacity", "audience",
                  "members_registration_opens", "registration_opens", "registration_closes", "url"]  # fmt: skip

    def get_url(self, event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class EventViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """Community events: public ones, and members-only ones for members and partners."""

    serializer_class = EventSerializer
    lookup_field = "slug"
    filterset_fields = ["kind", "audience"]

    def get_queryset(self):
        return (
            Event.objects.visible_to(self.request.user)
            .select_related("space", "region")
            .order_by("starts")
        )
