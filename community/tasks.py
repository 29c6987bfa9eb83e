from celery import shared_task

from community.services import registrations_send_reminders


@shared_task(time_limit=300, soft_time_limit=240)
def send_event_reminders() -> int:
    """Beat: the day-before reminders of community events, each sent once (idempotent)."""
    return registrations_send_reminders()
