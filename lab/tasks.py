"""The core's tasks: the outbox of emails. Tasks take ids and call a service (lab/services.py)."""

from __future__ import annotations

from celery import shared_task

from lab import services


@shared_task(time_limit=60, soft_time_limit=45)
def send_outgoing_email(email_id: int) -> None:
    """Send one email now; failures are recorded on its row and retried by the sweep."""
    services.outgoing_email_deliver(email_id=email_id)


@shared_task(time_limit=300, soft_time_limit=270)
def deliver_due_emails() -> None:
    """Every minute: what the broker never carried, and the retries that are due."""
    services.outgoing_emails_deliver_due()


@shared_task(time_limit=300, soft_time_limit=270)
def forget_sent_emails() -> None:
    services.outgoing_emails_forget_sent()
