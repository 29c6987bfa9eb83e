"""Membership notices, once a day (CELERY_BEAT_SCHEDULE): safe to run twice."""

from celery import shared_task

from members.services import membership_notices_send


@shared_task(
    time_limit=600,
    soft_time_limit=570,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=3,
)
def send_membership_notices() -> int:
    """Reminders 60 and 15 days before a membership ends, and the notice the day after."""
    return membership_notices_send()
