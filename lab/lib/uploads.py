"""Limits on uploaded images (covers, photos). Pillow already checks that they are images."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_IMAGE_SIZE = 5 * 1024 * 1024


def validate_image_size(upload) -> None:
    if upload.size > MAX_IMAGE_SIZE:
        raise ValidationError(
            _("Cette image pèse %(size)s ; la limite est de %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMAGE_SIZE)}
        )
