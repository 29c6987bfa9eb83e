"""Writes of the publication collection: downloads, alerts, release actions, notifications."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Least
from django.utils import formats, timezone

from lab import access
from lab.models import User
from lab.outbox import email_send
from publications.models import (
    Download,
    Notification,
    Publication,
    PublicationFile,
    ReaderPreference,
    ReleaseAlert,
)
from publications.permissions import publication_access


def download_record(*, file: PublicationFile, user) -> None:
    """Count a download, with the downloader's organisation (never the person)."""
    PublicationFile.objects.filter(pk=file.pk).update(downloads=F("downloads") + 1)
    Download.objects.create(
        file=file,
        organisation_id=getattr(user, "organisation_id", None)
        if access.reader(user).verified
        else None,
        in_window=file.publication.in_window,
    )


def release_alert_request(*, user: User, publication: Publication) -> bool:
    """Ask to be told when the publication opens to the public. True when newly asked."""
    if not access.reader(user).verified:
        raise PermissionDenied
    if not publication_access(publication, user).in_window:
        return False
    _alert, created = ReleaseAlert.objects.get_or_create(user=user, publication=publication)
    return created


def reader_preference_set(*, user: User, priority_alerts: bool) -> ReaderPreference:
    if not access.reader(user).verified:
        raise PermissionDenied
    preference, _ = ReaderPreference.objects.update_or_create(
        user=user, defaults={"priority_alerts": priority_alerts}
    )
    return preference


def publication_publish_now(*, publication: Publication) -> None:
    Publication.objects.filter(pk=publication.pk).update(
        status=Publication.Status.PUBLISHED, published_at=timezone.now()
    )


def publication_release_now(*, publication: Publication) -> None:
    """Open to everyone now: the window ends this minute."""
    now = timezone.now()
    Publication.objects.filter(pk=publication.pk).update(
        public_from=now,
        published_at=Least(Coalesce(F("published_at"), Value(now)), Value(now)),
        status=Publication.Status.PUBLISHED,
    )


def _send_once(user: User, publication: Publication, event: str, name: str, context: dict) -> bool:
    """Record the notification first; the unique constraint stops a second run or worker."""
    try:
        with transaction.atomic():
            Notification.objects.create(user=user, publication=publication, event=event)
            email_send(name=name, to=[user.email], context=context)
    except IntegrityError:
        return False
    return True


def _context(publication: Publication) -> dict:
    return {
        "title": publication.title,
        "summary": publication.summary,
        "url": settings.SITE_URL + publication.get_absolute_url(),
        "public_from": formats.date_format(
            timezone.localtime(publication.public_from), "j F Y, H:i"
        )
        if publication.public_from
        else "",
    }


def publications_notify(*, now: datetime.datetime | None = None) -> int:
    """Beat: tell opted-in privileged readers of new priority publications, and those who
    asked of the opening to the public. Each email once per person, publication and event."""
    now = now or timezone.now()
    sent = 0
    published = Publication.objects.filter(
        status=Publication.Status.PUBLISHED, published_at__lte=now
    )
    in_window = list(published.filter(public_from__gt=now))
    if in_window:
        readers = access.privileged_people().filter(reader_preference__priority_alerts=True)
        for publication in in_window:
            already = set(
                Notification.objects.filter(publication=publication, event="window").values_list(
                    "user_id", flat=True
                )
            )
            for reader in readers:
                if reader.pk not in already:
                    sent += _send_once(
                        reader,
                        publication,
                        "window",
                        "publications/priority_release",
                        _context(publication),
                    )
    opened = published.filter(public_from__lte=now, release_alerts__isnull=False).distinct()
    for publication in opened:
        alerts = publication.release_alerts.exclude(
            user__in=Notification.objects.filter(publication=publication, event="public").values(
                "user"
            )
        ).select_related("user")
        for alert in alerts:
            sent += _send_once(
                alert.user,
                publication,
                "public",
                "publications/public_release",
                _context(publication),
            )
    return sent


# A person's account (lab/accounts.py) ---------------------------------------------------------
# When the person leaves, their alerts and preference go with the account (cascade); downloads
# never recorded who downloaded.


def account_export(user: User) -> dict:
    preference = ReaderPreference.objects.filter(user=user).first()
    return {
        "publications": {
            "priority_alerts": bool(preference and preference.priority_alerts),
            "release_alerts": [
                a.publication.title
                for a in ReleaseAlert.objects.filter(user=user).select_related("publication")
            ],
        }
    }
