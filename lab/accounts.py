"""A person's account as a whole: what the platform holds about them, and their leaving.

The core does not know the apps' rows. Each app registers, in its AppConfig.ready(), what it
holds about a person (`export`: plain JSON) and what happens to its rows when the person
leaves (`forget`); `personal_data` and `account_delete` call them all, the latter in one
transaction before the account itself goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from lab.models import User


@dataclass(frozen=True)
class AccountPart:
    export: Callable[[User], dict]
    forget: Callable[[User], None] | None  # None: the rows cascade with the account


_PARTS: dict[str, AccountPart] = {}


def register(
    app_label: str,
    *,
    export: Callable[[User], dict],
    forget: Callable[[User], None] | None = None,
) -> None:
    """Called once by each app that holds rows about people (in its AppConfig.ready())."""
    _PARTS[app_label] = AccountPart(export=export, forget=forget)


def iso(value) -> str | None:
    """Dates and times in exports, as ISO 8601."""
    return value.isoformat() if value else None


def personal_data(*, user: User) -> dict:
    """Everything the platform holds about this person, as plain JSON."""
    data = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "organisation": user.organisation.name if user.organisation else None,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "email_addresses": [
                {"email": a.email, "verified": a.verified} for a in user.emailaddress_set.all()
            ],
        }
    }
    for part in _PARTS.values():
        data.update(part.export(user))
    return data


def account_delete(*, user: User) -> None:
    """Each app does what it must with its rows, then the account goes (the rest cascades)."""
    with transaction.atomic():
        for part in _PARTS.values():
            if part.forget is not None:
                part.forget(user)
        user.delete()
