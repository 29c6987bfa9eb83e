"""Who may act for an organisation: its referents, within their own organisation only.

Built on the one access policy (`lab.access.reader`): a referent is a verified person, still
attached to the organisation they are referent of. Staff act from the admin, not here.
"""

from __future__ import annotations

from typing import Any

from lab import access
from lab.models import Membership, Organisation
from members.models import Referent


def referent_of(user: Any) -> Organisation | None:
    """The organisation this person may act for, or None (read once per request)."""
    reader = access.reader(user)
    if not reader.verified or reader.organisation_id is None:
        return None
    if "_referent_of" not in user.__dict__:
        referent = (
            Referent.objects.filter(user=user, organisation_id=reader.organisation_id)
            .select_related("organisation")
            .first()
        )
        user.__dict__["_referent_of"] = referent.organisation if referent else None
    return user.__dict__["_referent_of"]


def may_see_space(user: Any) -> bool:
    """The organisation's space (people, usage) opens to people attached to an organisation
    that holds or held a membership: a lapsed member still needs it to renew."""
    reader = access.reader(user)
    if not reader.verified or reader.organisation_id is None:
        return False
    return (
        reader.member or Membership.objects.filter(organisation_id=reader.organisation_id).exists()
    )
