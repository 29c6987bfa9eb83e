"""Render a templated email: templates/emails/<name>.{subject.txt,txt,html}."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

SUBJECT_PREFIX = "[La 27e Région] "


def render_email(
    name: str, to: list[str], context: dict, reply_to: list[str] | None = None
) -> EmailMultiAlternatives:
    context = {"site_name": "La 27e Région", "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context).strip() + "\n"
    html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or None,
    )
    message.attach_alternative(html, "text/html")
    return message
