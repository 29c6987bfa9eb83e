"""A real Celery worker on Redis sends an email from the outbox (no eager mode here)."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from lab.celery import app as celery_app
from lab.models import OutgoingEmail
from lab.outbox import email_send
from tests.conftest import reset_celery_connections


@pytest.fixture
def redis_broker(redis_url):
    previous = {
        "broker_url": celery_app.conf.broker_url,
        "task_always_eager": celery_app.conf.task_always_eager,
    }
    celery_app.conf.update(broker_url=redis_url, task_always_eager=False)
    reset_celery_connections()
    yield redis_url
    celery_app.conf.update(previous)
    reset_celery_connections()


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)  # the worker thread reads the row on its own connection
def test_a_worker_on_redis_sends_the_queued_email(redis_broker, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    # A queue of this run's own: a message left on the shared broker by an earlier,
    # interrupted run cannot come first.
    queue = f"test-worker-{uuid.uuid4().hex}"
    celery_app.conf.task_default_queue = queue

    def ours():
        return [m for m in mail.outbox if "https://exemple.fr/c/1/" in m.body]

    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
        ):
            reset_celery_connections()  # the worker's start closed the producer pools
            email = email_send(
                name="account/confirm_email",
                to=["claire@exemple.fr"],
                context={"user_name": "Claire", "activate_url": "https://exemple.fr/c/1/"},
            )  # autocommit: handed to the broker at once
            # The worker thread shares this process's outbox; wait for it, bounded.
            assert _wait_for(lambda: len(ours()) == 1, seconds=30)
    finally:
        celery_app.conf.task_default_queue = "celery"
    [message] = ours()
    assert message.to == ["claire@exemple.fr"]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 1
