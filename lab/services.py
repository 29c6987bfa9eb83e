"""Writes of the shared core: emails and the attachment of users to organisations."""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import translation

from lab import access
from lab.models import EmailDomain, Organisation, User


def email_send(
    *,
    name: str,
    to: list[str],
    context: dict,
    language: str | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """Send emails/<name>.* once the current transaction commits.

    Nothing is sent for work that is rolled back. `context` must be JSON-serialisable.
    """
    from lab.tasks import send_templated_email

    language = language or translation.get_language() or "fr"
    transaction.on_commit(
        lambda: send_templated_email.delay(name, list(to), context, language, reply_to)
    )


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
    # Only fill an empty organisation: a concurrent staff edit wins.
    updated = User.objects.filter(pk=user.pk, organisation__isnull=True).update(
        organisation=organisation
    )
    if updated:
        user.organisation = organisation
        access.forget(user)
        return organisation
    return None
