from __future__ import annotations

from rest_framework import serializers, viewsets

from community.models import Event
from lab.lib.api import LicenceHeaderMixin


class EventSerializer(serializers.ModelSerializer):
    space = serializers.SerializerMethodField(
        help_text="The first of its Superpublic rooms (see `rooms`), or null."
    )
    rooms = serializers.SerializerMethodField(help_text="The Superpublic spaces it holds.")
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    place = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "slug", "title", "kind", "starts", "ends", "space", "rooms", "region", "place", "capacity", "audience",
                  "members_registration_opens", "registration_opens", "registration_closes", "url"]  # fmt: skip

    def get_space(self, event) -> str | None:
        rooms = event.rooms
        return rooms[0].slug if rooms else None

    def get_rooms(self, event) -> list[str]:
        return [room.slug for room in event.rooms]

    def get_url(self, event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class EventViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """The lab's events (those at Superpublic are the ones of its public agenda): public ones,
    and members-only ones for members and partners; cancelled ones are left out."""

    serializer_class = EventSerializer
    lookup_field = "slug"
    filterset_fields = ["kind", "audience"]

    def get_queryset(self):
        return (
            Event.objects.visible_to(self.request.user)
            .listed()
            .with_rooms()
            .select_related("region")
            .order_by("starts")
        )
