from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lab.lib.api import LicenceHeaderMixin
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


def _moment(value: str | None, default: datetime.datetime, name: str) -> datetime.datetime:
    if not value:
        return default
    moment = parse_datetime(value)
    if moment is None and (day := parse_date(value)) is not None:
        moment = datetime.datetime.combine(day, datetime.time(0), tzinfo=PARIS)
    if moment is None:
        raise ValidationError(
            {
                name: "Give an ISO 8601 date or date and time, e.g. 2027-03-01 or 2027-03-01T09:00+01:00."
            }
        )
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=PARIS)


class SpaceViewSet(LicenceHeaderMixin, viewsets.ReadOnlyModelViewSet):
    """Superpublic's bookable spaces and their busy slots (never who booked them)."""

    serializer_class = SpaceSerializer
    lookup_field = "slug"
    queryset = Space.objects.filter(active=True).prefetch_related("opening_hours")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from",
                OpenApiTypes.STR,
                description="Start (ISO 8601 date or datetime); now by default.",
            ),
            OpenApiParameter(
                "to",
                OpenApiTypes.STR,
                description="End; 7 days after the start by default; at most 31 days.",
            ),
        ],
        responses=inline_serializer(
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
        ),
    )
    @action(detail=True, pagination_class=None, filter_backends=[])
    def availability(self, request, slug=None):
        space = self.get_object()
        start = _moment(request.query_params.get("from"), timezone.now(), "from")
        end = _moment(request.query_params.get("to"), start + datetime.timedelta(days=7), "to")
        if end <= start:
            raise ValidationError({"to": "Must come after 'from'."})
        if end - start > MAX_RANGE:
            raise ValidationError({"to": "At most 31 days per request."})
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
