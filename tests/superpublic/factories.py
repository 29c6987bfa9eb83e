import datetime

import factory
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from lab.lib.dates import paris_datetime
from superpublic.models import Booking, CalendarFeed, Closure, OpeningHours, Space
from tests.lab.factories import UserFactory


class SpaceFactory(factory.django.DjangoModelFactory):
    """A space open Monday to Friday, 9:00 to 19:00 (Paris)."""

    class Meta:
        model = Space
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Salle {n}")
    slug = factory.Sequence(lambda n: f"salle-{n}")
    kind = Space.Kind.WORKSHOP
    capacity = 30

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):
        if create:
            for weekday in range(5):
                OpeningHours.objects.get_or_create(
                    space=obj,
                    weekday=weekday,
                    defaults={"opens": datetime.time(9), "closes": datetime.time(19)},
                )


def next_weekday(weekday: int, weeks_ahead: int = 1) -> datetime.date:
    """The date of `weekday` (0 is Monday) in `weeks_ahead` weeks, e.g. next_weekday(1): a Tuesday."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def slot(day: datetime.date, start: str, end: str) -> tuple[datetime.datetime, datetime.datetime]:
    """Aware datetimes for Paris wall-clock times on `day`, e.g. slot(day, "14:00", "16:00")."""
    return (
        paris_datetime(day, datetime.time.fromisoformat(start)),
        paris_datetime(day, datetime.time.fromisoformat(end)),
    )


def _nth_future_hour(n: int) -> DateTimeTZRange:
    """Ten o'clock (Paris), n days after tomorrow: each booking of a sequence on its own day."""
    start, end = slot(timezone.localdate() + datetime.timedelta(days=1 + n), "10:00", "11:00")
    return DateTimeTZRange(start, end, "[)")


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking written as a row (no rules checked): for lists and counts. Bookings
    that must obey the rules go through `superpublic.services`."""

    class Meta:
        model = Booking

    space = factory.SubFactory(SpaceFactory)
    booked_by = factory.SubFactory(UserFactory)
    title = "Atelier"
    attendees = 10
    status = Booking.Status.CONFIRMED
    period = factory.Sequence(_nth_future_hour)


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    """A person's secret iCal feed address (its token is the model's own)."""

    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(UserFactory)


def closure(
    start: datetime.datetime, end: datetime.datetime, reason: str = "Vacances d'hiver", spaces=None
) -> Closure:
    item = Closure.objects.create(
        period=DateTimeTZRange(start, end, "[)"), reason=reason, all_spaces=not spaces
    )
    if spaces:
        item.spaces.set(spaces)
    return item
