"""Authentication backends that keep the signed-in user in the cache between requests.

Every signed-in request loads its user; the cache answers instead of the database. A save or
a delete of the user drops the copy (lab/caching.py wires it), so a password change, a
deactivation or a new organisation takes effect on the next request. The session's hash check
(`get_session_auth_hash`) still runs on the copy, as on a user read from the database.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

# Short on purpose: a write that sends no signal (a bulk UPDATE) is seen within five minutes.
USER_TIMEOUT = 300


def user_key(user_id) -> str:
    return f"user:{user_id}"


def forget_user(user_id) -> None:
    cache.delete(user_key(user_id))


class CachedUserMixin:
    def get_user(self, user_id):
        from lab import access

        # The user and the access policy's answers about them, in one round trip.
        keys = [user_key(user_id), access.answers_key(user_id)]
        found = cache.get_many(keys)
        user = found.get(keys[0])
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(keys[0], user, USER_TIMEOUT)
        elif not self.user_can_authenticate(user):
            return None
        if user is not None:
            user.__dict__["_access_cache"] = access.kept_answers(user, found.get(keys[1]))
        return user


class CachedModelBackend(CachedUserMixin, ModelBackend):
    """Django's backend (passwords, permissions, force_login in tests)."""


class CachedAllauthBackend(CachedUserMixin, AuthenticationBackend):
    """allauth's backend (sign-in by email address)."""
