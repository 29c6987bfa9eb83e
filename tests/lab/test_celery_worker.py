"""A real Celery worker on Redis runs the email task (no eager mode here)."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from lab.celery import app as celery_app
from lab.tasks import send_templated_email


@pytest.fixture
def redis_broker(redis_url):
    previous = {
        "broker_url": celery_app.conf.broker_url,
        "task_always_eager": celery_app.conf.task_always_eager,
    }
    celery_app.conf.update(broker_url=redis_url, task_always_eager=False)
    yield redis_url
    celery_app.conf.update(previous)


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.redis
def test_a_worker_on_redis_sends_the_templated_email(redis_broker, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    # A queue of this run's own: a message left on the shared broker by an earlier,
    # interrupted run cannot come first.
    queue = f"test-worker-{uuid.uuid4().hex}"

    def ours():
        return [m for m in mail.outbox if "https://exemple.fr/c/1/" in m.body]

    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
    ):
        send_templated_email.apply_async(
            (
                "account/confirm_email",
                ["claire@exemple.fr"],
                {"user_name": "Claire", "activate_url": "https://exemple.fr/c/1/"},
                "fr",
            ),
            queue=queue,
        )
        # The worker thread shares this process's outbox; wait for it, bounded.
        assert _wait_for(lambda: len(ours()) == 1, seconds=30)
    [message] = ours()
    assert message.to == ["claire@exemple.fr"]
