from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.utils import translation

from lab.lib.emails import render_email


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
    time_limit=60,
    soft_time_limit=45,
)
def send_templated_email(
    name: str, to: list[str], context: dict, language: str = "fr", reply_to: list[str] | None = None
) -> None:
    """Render emails/<name>.* in the recipient's language and send it.

    The context is plain JSON, so the task can run in another process.
    """
    with translation.override(language):
        render_email(name, to, context, reply_to=reply_to).send()
