"""The one access policy of the platform (DESIGN.md §3).

Views, querysets, templates and the API ask these functions; none of them
re-implements the rules. Levels, each including the one before:

- anonymous: public pages only;
- authenticated: an account whose email address is verified;
- privileged: authenticated, and their organisation holds a membership (member
  or partner) active on the day in question, or staff;
- staff: `is_staff`, the admin, and a second factor (TOTP) before the admin opens.

Answers are memoised on the user object for the request and in the cache across
requests, under a generation that any change to a membership, an email address or a
second factor renews (lab/caching.py): a page may ask as often as it likes, and a
signed-in request usually asks the database nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from lab.models import Membership

ANSWERS_TIMEOUT = 3600


def answers_key(user_id) -> str:
    """Where a user's answers are kept; lab/backends.py reads it with the user, in one go."""
    from lab.caching import generations

    # Any change to a membership, an email address or a second factor starts a new generation.
    return f"access:{user_id}:{generations(['access'])}"


def kept_answers(user: Any, stored: dict | None) -> dict:
    """The stored answers, if they were given for the organisation the user has now."""
    if stored and stored.get("organisation_id") == user.organisation_id:
        return stored["answers"]
    return {}


def _memo(user: Any, key: str, compute):
    """Answers are kept on the user object for the request and in the cache across requests."""
    answers = user.__dict__.get("_access_cache")
    if answers is None:
        answers = kept_answers(user, cache.get(answers_key(user.pk)))
        user.__dict__["_access_cache"] = answers
    if key not in answers:
        answers[key] = compute()
        stored = {"organisation_id": user.organisation_id, "answers": answers}
        cache.set(answers_key(user.pk), stored, ANSWERS_TIMEOUT)
    return answers[key]


def forget(user: Any) -> None:
    """Drop memoised answers (after a membership or email change in the same request)."""
    user.__dict__.pop("_access_cache", None)
    if getattr(user, "pk", None):
        cache.delete(answers_key(user.pk))


def is_authenticated(user: Any) -> bool:
    """Signed in, active, with at least one verified email address."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    from allauth.account.models import EmailAddress

    return _memo(
        user,
        "verified",
        lambda: EmailAddress.objects.filter(user=user, verified=True).exists(),
    )


def is_staff(user: Any) -> bool:
    return is_authenticated(user) and user.is_staff


def active_membership(user: Any, on: datetime.date | None = None) -> Membership | None:
    """The membership that makes this user privileged on `on` (today by default)."""
    if not is_authenticated(user) or not user.organisation_id:
        return None
    on = on or timezone.localdate()
    return _memo(
        user,
        f"membership:{on.isoformat()}",
        lambda: (
            Membership.objects.filter(organisation_id=user.organisation_id)
            .active(on)
            .select_related("organisation")
            .first()
        ),
    )


def is_privileged(user: Any, on: datetime.date | None = None) -> bool:
    """Staff, or a member of an organisation with an active membership on `on`."""
    if is_staff(user):
        return True
    return active_membership(user, on) is not None


def has_mfa(user: Any) -> bool:
    """Has a second factor (a TOTP authenticator) set up."""
    if not getattr(user, "is_authenticated", False):
        return False
    from allauth.mfa.models import Authenticator

    return _memo(
        user,
        "mfa",
        lambda: Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
    )


def staff_must_set_up_mfa(user: Any) -> bool:
    """Staff without a second factor: the admin stays closed until they add one."""
    return getattr(user, "is_authenticated", False) and user.is_staff and not has_mfa(user)


def can_use_admin(user: Any) -> bool:
    return is_staff(user) and has_mfa(user)


def level(user: Any) -> str:
    """A name for the user's level, for templates: anonymous, authenticated, privileged, staff."""
    if is_staff(user):
        return "staff"
    if is_privileged(user):
        return "privileged"
    if is_authenticated(user):
        return "authenticated"
    return "anonymous"


def authenticated_required(view):
    """Views for people with a verified account: others go to the login page first."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import redirect

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(request.user, "is_authenticated", False):
            return redirect_to_login(request.get_full_path())
        if not is_authenticated(request.user):
            # Signed in with an address still to verify (possible after an email change).
            return redirect("account_email")
        return view(request, *args, **kwargs)

    return wrapper
