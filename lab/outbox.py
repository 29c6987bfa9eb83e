"""The outbox of emails: each one a row written in the same transaction as its cause.

On commit the row is handed to the worker; a sweep every minute sends what the broker never
carried and the retries that are due; a row is locked while it is sent, so it leaves once.
A broker or a mail server that is down only delays mail; a request never fails for it.
"""

from __future__ import annotations

import datetime
import logging
import time
from smtplib import SMTPException

from celery import shared_task
from django.db import transaction
from django.utils import timezone, translation

from lab.lib.emails import render_email
from lab.models import OutgoingEmail

logger = logging.getLogger(__name__)


# An email that cannot leave is tried again after 2, 4, 8… minutes, then given up (staff can
# send it again from the admin).
MAX_EMAIL_ATTEMPTS = 8


def email_send(
    *,
    name: str,
    to: list[str],
    context: dict,
    language: str | None = None,
    reply_to: list[str] | None = None,
) -> OutgoingEmail:
    """Queue emails/<name>.* in the current transaction, to be sent once it commits.

    The row is the promise: nothing is sent for work that is rolled back, and nothing is lost
    when the broker or the mail server is down (the sweep sends what is due). `context` must be
    JSON-serialisable.
    """
    email = OutgoingEmail.objects.create(
        template=name,
        to=list(to),
        context=context,
        language=language or translation.get_language() or "fr",
        reply_to=list(reply_to or []),
    )
    transaction.on_commit(lambda: _hand_to_worker(email.pk))
    return email


# After a failed hand-over the broker is left alone for a while: reaching a broker that is
# down takes seconds, and the sweep sends the waiting emails anyway.
BROKER_RETRY_AFTER = 30.0
_broker_down_until = 0.0


def _hand_to_worker(email_id: int) -> None:
    """Ask the worker to send now; without a broker, the next sweep will (never a failed request)."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return
    try:
        send_outgoing_email.delay(email_id)
    except Exception:  # kombu's errors vary by transport; the row waits for the sweep
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        logger.warning(
            "Broker unreachable: email %s waits for the sweep; not asked again for %s s",
            email_id,
            BROKER_RETRY_AFTER,
            exc_info=True,
        )


def outgoing_email_deliver(*, email_id: int) -> bool:
    """Send one queued email, once, whoever else is trying: the row is locked while it is sent,
    and another worker skips it. Returns whether it left."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutgoingEmail.Status.QUEUED)
            .first()
        )
        if email is None:  # sent already, given up, or being sent by another worker
            return False
        try:
            with translation.override(email.language):
                render_email(
                    email.template, email.to, email.context, reply_to=email.reply_to
                ).send()
        except (SMTPException, OSError) as error:
            email.attempts += 1
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= MAX_EMAIL_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
            else:
                email.next_attempt_at = timezone.now() + datetime.timedelta(
                    minutes=2**email.attempts
                )
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            logger.warning("Email %s not sent (attempt %s): %s", email.pk, email.attempts, error)
            return False
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.attempts += 1
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return True


def outgoing_emails_deliver_due(*, limit: int = 200) -> int:
    """Send what is due (the sweep, every minute): emails whose hand-over to the worker was
    lost, and retries. Returns how many left."""
    due = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at")
    return sum(
        outgoing_email_deliver(email_id=pk) for pk in due.values_list("pk", flat=True)[:limit]
    )


def outgoing_emails_requeue(*, emails) -> int:
    """Staff send again emails that were given up (or send a queued one now)."""
    ids = list(emails.exclude(status=OutgoingEmail.Status.SENT).values_list("pk", flat=True))
    OutgoingEmail.objects.filter(pk__in=ids).update(
        status=OutgoingEmail.Status.QUEUED, next_attempt_at=timezone.now(), attempts=0
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: _hand_to_worker(pk))
    return len(ids)


def outgoing_emails_forget_sent(*, older_than_days: int = 90) -> int:
    """Sent emails hold personal data: they go after three months."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted


# The worker's side -----------------------------------------------------------------------------


@shared_task(time_limit=60, soft_time_limit=45)
def send_outgoing_email(email_id: int) -> None:
    """Send one email now; failures are recorded on its row and retried by the sweep."""
    outgoing_email_deliver(email_id=email_id)


@shared_task(time_limit=300, soft_time_limit=270)
def deliver_due_emails() -> None:
    """Every minute: what the broker never carried, and the retries that are due."""
    outgoing_emails_deliver_due()


@shared_task(time_limit=300, soft_time_limit=270)
def forget_sent_emails() -> None:
    outgoing_emails_forget_sent()
