"""Reads of a reader's own settings, kept in the cache (each list page asks for them)."""

from __future__ import annotations

from django.core.cache import cache

from lab import caching
from publications.models import ReaderPreference

TIMEOUT = 3600


def _key(user_id) -> str:
    return f"reader-preference:{user_id}"


def priority_alerts_wanted(user) -> bool:
    """Whether this reader asked for an email at each priority release."""
    wanted = cache.get(_key(user.pk))
    if wanted is None:
        wanted = ReaderPreference.objects.filter(user=user, priority_alerts=True).exists()
        cache.set(_key(user.pk), wanted, TIMEOUT)
    return wanted


def forget_preference(sender, instance: ReaderPreference, **kwargs) -> None:
    """A saved or deleted preference shows on the next page (wired in PublicationsConfig)."""
    caching.forget_key(_key(instance.user_id))
