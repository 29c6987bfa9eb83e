"""The one access policy of the platform: who a person is here, and what that lets them do.

`reader(user)` decides once per request, from the database, and every view, queryset,
template and API endpoint consults that answer:

- anonymous: public pages only;
- verified: signed in, active, with a verified email address;
- privileged: verified, and their organisation holds a membership (member or partner)
  active today; staff are privileged too;
- staff: an `is_staff` account, verified, *with its second factor* (TOTP). A staff account
  without one is an ordinary person on the site until it sets one up, and the admin stays
  closed to it.

The answer is kept on the user object, which lives for one request: nothing is kept across
requests, so a membership ended in the admin, by a queryset `update()` or by hand in SQL takes
effect on the next request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import wraps
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache

from lab.models import Membership, User

ANONYMOUS = "anonymous"
VERIFIED = "verified"
PRIVILEGED = "privileged"
STAFF = "staff"


@dataclass(frozen=True)
class Reader:
    """Who a person is for the platform, on one day."""

    user: Any = None  # the signed-in User, None for a visitor
    verified: bool = False
    organisation_id: int | None = None
    membership_id: int | None = None  # the membership active today, if any
    staff_account: bool = False  # the account is flagged staff…
    second_factor: bool = False  # …and has a TOTP authenticator

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    @property
    def staff(self) -> bool:
        """Staff powers: the admin, drafts, everyone's bookings. Never without a second factor."""
        return self.verified and self.staff_account and self.second_factor

    @property
    def needs_second_factor(self) -> bool:
        """A staff account that must set up TOTP before its powers (and the admin) open."""
        return self.signed_in and self.staff_account and not self.second_factor

    @property
    def member(self) -> bool:
        """Verified, of an organisation whose membership is active today."""
        return self.verified and self.membership_id is not None

    @property
    def privileged(self) -> bool:
        return self.staff or self.member

    @property
    def level(self) -> str:
        if self.staff:
            return STAFF
        if self.privileged:
            return PRIVILEGED
        if self.verified:
            return VERIFIED
        return ANONYMOUS


NOBODY = Reader()


def reader(user: Any, *, on: datetime.date | None = None) -> Reader:
    """Who `user` is for the platform today (or on `on`), read from the database once per user
    object, in one query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    if not user.is_active:
        return Reader(user=user)
    if on is None and "_reader" in user.__dict__:
        return user.__dict__["_reader"]
    day = on or timezone.localdate()
    facts = (
        User.objects.filter(pk=user.pk)
        .annotate(
            verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)),
            second_factor=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            ),
            membership_id=Subquery(
                Membership.objects.active(day)
                .filter(organisation_id=OuterRef("organisation_id"))
                .values("pk")[:1]
            ),
        )
        .values("verified", "second_factor", "membership_id", "organisation_id", "is_staff")
        .first()
    )
    if facts is None:  # deleted meanwhile
        return Reader(user=user)
    answer = Reader(
        user=user,
        verified=facts["verified"],
        organisation_id=facts["organisation_id"],
        membership_id=facts["membership_id"],
        staff_account=facts["is_staff"],
        second_factor=facts["second_factor"],
    )
    if on is None:
        user.__dict__["_reader"] = answer
    return answer


def privileged_people(on: datetime.date | None = None):
    """Everyone `reader(user).privileged` would say yes to, as one queryset (for mailings)."""
    verified = Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True))
    second_factor = Exists(
        Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    )
    member = Exists(
        Membership.objects.active(on).filter(organisation_id=OuterRef("organisation_id"))
    )
    return User.objects.filter(verified, is_active=True).filter(
        (Q(is_staff=True) & Q(second_factor)) | Q(member)
    )


def forget(user: Any) -> None:
    """Decide again on the next question (after this request changed the person's organisation,
    addresses or second factor)."""
    if user is not None:
        user.__dict__.pop("_reader", None)


def verified_required(view):
    """Views for people with a verified account: others go to the sign-in page first.

    What such a view shows is personal: no cache anywhere may keep it (no-store).
    """

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(request.user, "is_authenticated", False):
            return redirect_to_login(request.get_full_path())
        if not reader(request.user).verified:
            # Signed in with an address still to verify (possible after an email change).
            return redirect("account_email")
        return view(request, *args, **kwargs)

    return wrapper
