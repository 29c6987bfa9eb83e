"""Small shared pieces for the apps' admins."""

from django.db import models

# A scheme-less address typed by staff is taken as https (Django 6's default, chosen now).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}
