from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lab.lib import inputs
from lab.lib.api import InvalidInputMixin, InvalidQuery, LicenceHeaderMixin
from lab.lib.dates import PARIS
from superpublic.models import Booking, OpeningHours, Space

MAX_RANGE = datetime.timedelta(days=31)


class OpeningHoursSerializer(serializers.ModelSerializer):
    opens = serializers.SerializerMethodField(help_text="Paris local time, HH:MM.")
    closes = serializers.SerializerMethodField(help_text="Paris local time, HH:MM.")

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]

    def get_opens(self, hours) -> str:
        return f"{hours.opens:%H:%M}"

    def get_closes(self, hours) -> str:
        return f"{hours.closes:%H:%M}"


class SpaceSerializer(serializers.ModelSerializer):
    opening_hours = OpeningHoursSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Space
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "capacity",
            "area",
            "equipment",
            "accessibility",
            "requires_approval",
            "opening_hours",
            "url",
        ]

    def get_url(self, space) -> str:
        return self.context["request"].build_absolute_uri(space.get_absolute_url())


MOMENT_SCHEMA = {
    "oneOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]
}
MOMENT_BOUNDS = (
    "Between 2000-01-01 and 2100-12-31; a date alone means its midnight in Paris, a date and "
    "time without offset is Paris time, offsets go from -14:00 to +14:00."
)


AVAILABILITY = inline_serializer(
    "Availability",
    {
        "space": serializers.CharField(),
        "from": serializers.DateTimeField(),
        "to": serializers.DateTimeField(),
        "busy": inline_serializer(
            "BusySlot",
            {
                "start": serializers.DateTimeField(),
                "end": serializers.DateTimeField(),
                "public_event": serializers.CharField(allow_null=True),
            },
            many=True,
        ),
    },
)


def _moment(value: str | None, default: datetime.datetime, name: str) -> datetime.datetime:
    moment = inputs.iso_datetime(value, param=name, dates=True, tz=PARIS)
    return default if moment is None else moment


class SpaceViewSet(InvalidInputMixin, LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """Superpublic's bookable spaces and their busy slots (never who booked them)."""

    serializer_class = SpaceSerializer
    lookup_field = "slug"
    queryset = Space.objects.filter(active=True).prefetch_related("opening_hours")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from",
                MOMENT_SCHEMA,
                description=f"Start (ISO 8601 date or date-time); now by default. {MOMENT_BOUNDS}",
            ),
            OpenApiParameter(
                "to",
                MOMENT_SCHEMA,
                description=f"End, after the start; 7 days after it by default, at most 31 days. {MOMENT_BOUNDS}",
            ),
        ],
        responses={
            200: AVAILABILITY,
            400: OpenApiResponse(
                inline_serializer("InvalidQuery", {"detail": serializers.CharField()}),
                description="A date that does not exist, is out of bounds, or a range too long.",
            ),
            404: OpenApiResponse(description="No such space."),
        },
    )
    @action(detail=True, pagination_class=None, filter_backends=[])
    def availability(self, request, slug=None):
        space = self.get_object()
        start = _moment(request.query_params.get("from"), timezone.now(), "from")
        end = _moment(request.query_params.get("to"), start + datetime.timedelta(days=7), "to")
        if end <= start:
            raise InvalidQuery(_("« to » doit suivre « from »."))
        if end - start > MAX_RANGE:
            raise InvalidQuery(_("31 jours au plus entre « from » et « to »."))
        bookings = (
            Booking.objects.filter(space=space).active().overlapping(start, end).order_by("period")
        )
        busy = [
            {
                "start": timezone.localtime(b.start).isoformat(),
                "end": timezone.localtime(b.end).isoformat(),
                "public_event": b.title
                if b.is_public and b.status == Booking.Status.CONFIRMED
                else None,
            }
            for b in bookings.only("period", "is_public", "status", "title")
        ]
        return Response(
            {
                "space": space.slug,
                "from": timezone.localtime(start).isoformat(),
                "to": timezone.localtime(end).isoformat(),
                "busy": busy,
            }
        )
