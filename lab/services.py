"""Writes of the shared core: attaching people to their organisation."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from lab import access
from lab.models import EmailDomain, Organisation, User
from lab.outbox import email_send


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
