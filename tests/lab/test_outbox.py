"""The outbox: emails written with their cause, sent once, whatever is down meanwhile."""

from __future__ import annotations

import datetime
import socket
import threading
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from lab import outbox
from lab.celery import app as celery_app
from lab.models import OutgoingEmail
from superpublic.models import Booking
from tests.conftest import reset_celery_connections
from tests.lab.factories import OutgoingEmailFactory, UserFactory
from tests.superpublic.factories import SpaceFactory, next_weekday

CONTEXT = {"user_name": "Claire", "activate_url": "https://exemple.fr/confirmer/abc/"}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker_down():
    """Celery as in production (not eager), its broker at a port where nothing listens."""
    previous = {
        "broker_url": celery_app.conf.broker_url,
        "task_always_eager": celery_app.conf.task_always_eager,
    }
    celery_app.conf.update(
        broker_url=f"redis://127.0.0.1:{_closed_port()}/0", task_always_eager=False
    )
    reset_celery_connections()
    yield
    celery_app.conf.update(previous)
    reset_celery_connections()
    outbox._broker_down_until = 0.0


@pytest.mark.django_db
def test_twenty_bookings_succeed_with_the_broker_down_and_each_email_leaves_once_later(
    client, broker_down, django_capture_on_commit_callbacks
):
    SpaceFactory(slug="atelier", capacity=25)
    day = next_weekday(1)
    statuses = []
    for i in range(20):
        client.force_login(UserFactory())  # an agent each: pending, so two emails each
        data = {"space": "atelier", "day": day.isoformat(), "start": f"{9 + i // 2:02d}:{30 * (i % 2):02d}",
                "end": f"{9 + (i + 1) // 2:02d}:{30 * ((i + 1) % 2):02d}", "attendees": "4",
                "title": f"Atelier {i}", "conflict_mode": "skip"}  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            statuses.append(client.post("/superpublic/reserver/", data).status_code)
    assert statuses == [302] * 20
    assert Booking.objects.count() == 20
    queued = OutgoingEmail.objects.filter(status="queued")
    assert queued.count() >= 20 and not mail.outbox  # written, nothing left yet

    # The broker is back: the sweep (every minute) sends each one, and only once.
    expected = queued.count()
    assert outbox.outgoing_emails_deliver_due() == expected
    assert outbox.outgoing_emails_deliver_due() == 0
    assert len(mail.outbox) == expected
    assert OutgoingEmail.objects.filter(status="sent").count() == expected


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_email_once():
    for i in range(30):
        outbox.email_send(name="account/confirm_email", to=[f"p{i}@exemple.fr"], context=CONTEXT)
    mail.outbox = []
    OutgoingEmail.objects.update(status="queued", sent_at=None)
    barrier = threading.Barrier(2)

    def sweep():
        barrier.wait()
        try:
            outbox.outgoing_emails_deliver_due()
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    recipients = [address for message in mail.outbox for address in message.to]
    assert sorted(recipients) == sorted(f"p{i}@exemple.fr" for i in range(30))


class FailingBackend(EmailBackend):
    def send_messages(self, messages):
        raise SMTPServerDisconnected("le serveur a raccroché")


@pytest.mark.django_db
def test_a_mail_server_down_delays_the_email_with_growing_waits_then_gives_up(settings):
    email = outbox.email_send(name="account/confirm_email", to=["c@exemple.fr"], context=CONTEXT)
    settings.EMAIL_BACKEND = "tests.lab.test_outbox.FailingBackend"
    OutgoingEmail.objects.filter(pk=email.pk).update(status="queued", sent_at=None, attempts=0)
    waits = []
    for _ in range(outbox.MAX_EMAIL_ATTEMPTS):
        before = timezone.now()
        OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=before)
        assert not outbox.outgoing_email_deliver(email_id=email.pk)
        email.refresh_from_db()
        waits.append(round((email.next_attempt_at - before) / datetime.timedelta(minutes=1)))
    assert waits[:3] == [2, 4, 8]
    assert email.status == "failed" and "raccroché" in email.last_error
    # Staff send it again once the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.outgoing_emails_requeue(emails=OutgoingEmail.objects.filter(pk=email.pk)) == 1
    assert outbox.outgoing_emails_deliver_due() == 1
    email.refresh_from_db()
    assert email.status == "sent"


@pytest.mark.django_db
def test_staff_see_and_resend_emails_in_the_admin(
    client, staff, django_capture_on_commit_callbacks
):
    failed = OutgoingEmailFactory(
        to=["x@exemple.fr"], context=CONTEXT, status="failed", attempts=8,
        last_error="SMTPServerDisconnected",
    )  # fmt: skip
    client.force_login(staff)
    page = client.get("/admin/lab/outgoingemail/?status__exact=failed")
    assert page.status_code == 200 and "x@exemple.fr" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/lab/outgoingemail/",
            {"action": "send_again", "_selected_action": [failed.pk]},
            follow=True,
        )
    assert "1 courriel remis dans la file d" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "sent"  # eager in tests: handed to the worker at once


@pytest.mark.django_db
def test_sent_emails_are_forgotten_after_three_months():
    old = OutgoingEmailFactory(status="sent", sent_at=timezone.now() - datetime.timedelta(days=91))
    recent = OutgoingEmailFactory(status="sent", sent_at=timezone.now())
    waiting = OutgoingEmailFactory()
    assert outbox.outgoing_emails_forget_sent() == 1
    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not OutgoingEmail.objects.filter(pk=old.pk).exists()
