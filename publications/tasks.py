from celery import shared_task

from publications.services import publications_notify


@shared_task(time_limit=300, soft_time_limit=240)
def notify_publication_readers() -> int:
    """Beat, every five minutes: release emails, each sent once (idempotent)."""
    return publications_notify()
