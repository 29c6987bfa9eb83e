"""Private storage for publication files: on disk under PRIVATE_MEDIA_ROOT, never under a URL."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files reachable only through the download view, which checks permissions first."""

    @property
    def base_location(self):  # read at each use, so tests and deployments can move it
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL; use the download view.")


private_storage = PrivateStorage()
