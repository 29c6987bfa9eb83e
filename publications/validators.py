"""Uploaded publication files are checked by content and size, not by their name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_SIZE = 50 * 1024 * 1024

# (content type, extension, check of the first bytes)
SIGNATURES = [
    ("application/pdf", ".pdf", lambda head: head.startswith(b"%PDF-")),
    (
        "application/epub+zip",
        ".epub",
        lambda head: head.startswith(b"PK\x03\x04") and b"application/epub+zip" in head[:100],
    ),
    ("application/zip", ".zip", lambda head: head.startswith(b"PK\x03\x04")),
    ("image/png", ".png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", ".jpg", lambda head: head.startswith(b"\xff\xd8\xff")),
    ("video/mp4", ".mp4", lambda head: head[4:8] == b"ftyp"),
]


def detect_content_type(upload) -> str | None:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(512)
    upload.seek(position)
    for content_type, _extension, matches in SIGNATURES:
        if matches(head):
            return content_type
    return None


def validate_publication_file(upload) -> None:
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("Ce fichier pèse %(size)s ; la limite est de %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_SIZE)}
        )
    if detect_content_type(upload) is None:
        raise ValidationError(
            _(
                "Ce type de fichier n'est pas accepté : PDF, EPUB, ZIP, PNG, JPEG ou MP4, vérifiés d'après leur contenu."
            )
        )
