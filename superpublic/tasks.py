from celery import shared_task

from superpublic.services import bookings_expire, bookings_send_reminders


@shared_task(time_limit=300, soft_time_limit=240)
def expire_pending_bookings() -> int:
    """Beat: pending bookings undecided after five days expire (idempotent)."""
    return bookings_expire()


@shared_task(time_limit=300, soft_time_limit=240)
def send_booking_reminders() -> int:
    """Beat: the day-before reminders, each sent once (idempotent)."""
    return bookings_send_reminders()
