"""What a person may do with a publication: see its teaser, read it, download its files.

The one decision every page, feed and download asks; it asks lab/access.py in turn.
Time is read at each call, so a publication opens to the public the minute its
`public_from` passes, with no job in between.
"""

from __future__ import annotations

from dataclasses import dataclass

from lab import access
from publications.models import Publication


@dataclass(frozen=True)
class PublicationAccess:
    teaser: bool  # title, cover, summary
    read: bool  # the whole page, its links
    download: bool  # its files
    in_window: bool  # still in its priority window


NONE = PublicationAccess(teaser=False, read=False, download=False, in_window=False)


def is_co_editor(publication: Publication, user) -> bool:
    """Uses the prefetched co-editors when there are some (no query per publication)."""
    if not access.reader(user).verified or not user.organisation_id:
        return False
    return any(
        organisation.pk == user.organisation_id for organisation in publication.co_editors.all()
    )


def publication_access(publication: Publication, user) -> PublicationAccess:
    if not publication.is_published:
        return PublicationAccess(True, True, True, False) if access.reader(user).staff else NONE
    if not publication.in_window:
        return PublicationAccess(teaser=True, read=True, download=True, in_window=False)
    allowed = access.reader(user).privileged or is_co_editor(publication, user)
    return PublicationAccess(teaser=True, read=allowed, download=allowed, in_window=True)
