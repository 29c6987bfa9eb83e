"""Writes of the shared core: emails and the attachment of users to organisations."""

from __future__ import annotations

import datetime
import logging
import re
import time
from smtplib import SMTPException

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation

from lab import access
from lab.lib.emails import render_email
from lab.models import EmailDomain, Organisation, OutgoingEmail, User

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
    from lab.tasks import send_outgoing_email

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


def organisation_for_email(email: str) -> Organisation | None:
    """The organisation that lists this address's domain, if any."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    match = (
        EmailDomain.objects.annotate(domain_lower=Lower("domain"))
        .filter(domain_lower=domain)
        .select_related("organisation")
        .first()
    )
    return match.organisation if match else None


def user_attach_by_email(*, user: User, email: str) -> Organisation | None:
    """Attach `user` to the organisation of a verified address's domain.

    A user already attached (by an earlier address or by staff) stays where they are.
    Returns the organisation the user was attached to, or None.
    """
    if user.organisation_id:
        return None
    organisation = organisation_for_email(email)
    if organisation is None:
        return None
    return user_attach(user=user, organisation=organisation)


def organisation_for_siret(siret: str) -> Organisation | None:
    """The organisation of this establishment, else the only one of its legal entity (SIREN)."""
    if not re.fullmatch(r"[0-9]{14}", siret):
        return None
    exact = Organisation.objects.filter(siret=siret).first()
    if exact is not None:
        return exact
    siren = siret[:9]
    # An organisation may carry its SIRET alone: its SIREN is the SIRET's first 9 digits.
    same_entity = list(
        Organisation.objects.filter(Q(siren=siren) | Q(siret__startswith=siren)).distinct()[:2]
    )
    # Two organisations of one entity (two services of a ministry): the SIREN cannot choose.
    return same_entity[0] if len(same_entity) == 1 else None


def user_attach_by_siret(*, user: User, siret: str) -> Organisation | None:
    """Attach `user` to the organisation of their employer's SIRET (ProConnect gives it).

    The same rules as by email: someone already attached stays. Returns the organisation the
    user was attached to, or None.
    """
    if user.organisation_id:
        return None
    organisation = organisation_for_siret(siret)
    if organisation is None:
        return None
    return user_attach(user=user, organisation=organisation)


def user_request_attachment(*, user: User, siret: str) -> bool:
    """Ask staff to attach `user` to the organisation of a SIRET received from ProConnect.

    Once a day per person at most (False when already asked), so the button is no spam relay.
    """
    if not cache.add(f"attachment-request:{user.pk}", True, timeout=24 * 3600):
        return False
    email_send(
        name="proconnect/attachment_request",
        to=list(settings.STAFF_NOTIFICATION_EMAILS),
        context={
            "user_name": user.get_full_name() or user.email,
            "user_email": user.email,
            "siret": siret,
            "siren": siret[:9],
            "admin_url": settings.SITE_URL + reverse("admin:lab_user_change", args=[user.pk]),
        },
        language="fr",
    )
    return True


def user_attach(*, user: User, organisation: Organisation) -> Organisation | None:
    """Attach an unattached `user` to `organisation`; None if they were attached meanwhile."""
    # Only fill an empty organisation: a concurrent staff edit wins.
    updated = User.objects.filter(pk=user.pk, organisation__isnull=True).update(
        organisation=organisation
    )
    if updated:
        user.organisation = organisation
        access.forget(user)
        return organisation
    return None
