"""iCal feeds (RFC 5545) with the icalendar library: public agenda, busy slots, a person's own."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpResponse
from icalendar import Calendar, Event

from superpublic.models import Booking

ADDRESS = "Superpublic, 4 rue la Vacquerie, 75011 Paris"


def calendar_response(name: str, events: Iterable[Event], filename: str) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//La 27e Région//Superpublic//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    for event in events:
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def agenda_event(item) -> Event:
    """An entry of the public agenda (superpublic.selectors.AgendaItem): an event's rooms and
    days as one calendar event, at the times of its page."""
    event = Event()
    event.add("uid", f"{item.uid}@la27eregion.fr")
    event.add("dtstamp", item.updated_at)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    event.add("summary", item.title)
    event.add("location", f"{item.place}, {ADDRESS}")
    if item.description:
        event.add("description", item.description)
    if item.page:
        event.add("url", settings.SITE_URL + item.page)
    return event


def booking_event(
    booking: Booking, *, summary: str, description: str = "", private: bool = False
) -> Event:
    event = Event()
    event.add("uid", f"booking-{booking.pk}@la27eregion.fr")
    event.add("dtstamp", booking.updated_at)
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("summary", summary)
    event.add("location", f"{booking.space.name}, {ADDRESS}")
    if description:
        event.add("description", description)
    if private:
        event.add("url", settings.SITE_URL + booking.get_absolute_url())
        event.add(
            "status", "CONFIRMED" if booking.status == Booking.Status.CONFIRMED else "TENTATIVE"
        )
    return event
