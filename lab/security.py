"""A staff account's second factor is set up only by the owner of its address.

Whoever holds a staff password could otherwise activate TOTP and open the admin. Before the
activation page opens for a staff account, a six-digit code is sent to its verified address; the
activation then needs both. allauth asks for a fresh *re*-authentication before activating TOTP,
even seconds after signing in: when the password was typed within its timeout and the code has
just proved the mailbox, that proof counts as one, so nobody types the password twice in a row.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.hashers import check_password, make_password
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lab import access
from lab.outbox import email_send

CODE_VALID_FOR = 15 * 60  # seconds
CONFIRMATION_VALID_FOR = 30 * 60
MAX_TRIES = 5
SESSION_CODE = "staff_code"
SESSION_CONFIRMED = "staff_address_confirmed_at"


def address_confirmed(request) -> bool:
    """The owner of this staff account proved, recently, that they read its mail."""
    confirmed_at = request.session.get(SESSION_CONFIRMED, 0)
    return time.time() - confirmed_at < CONFIRMATION_VALID_FOR


def _count_as_reauthentication(request) -> None:
    """After the mailbox is proved: if the password was typed recently, allauth's activation page
    need not ask for it again (its check reads the `reauthenticated` records of the session)."""
    now = time.time()
    signed_in_recently = any(
        record.get("method") == "password"
        and now - record.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
        for record in get_authentication_records(request, request.user)
    )
    if signed_in_recently:
        record_authentication(
            request, request.user, method="staff_address_code", reauthenticated=True
        )


def _with_next(path: str, next_url: str) -> str:
    return f"{path}?{urlencode({'next': next_url})}" if next_url else path


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@never_cache
@access.verified_required
@require_http_methods(["GET", "POST"])
def staff_address_check(request):
    reader = access.reader(request.user)
    if not reader.needs_second_factor:
        return redirect("mfa_index")
    address = (
        EmailAddress.objects.filter(user=request.user, verified=True)
        .order_by("-primary")
        .values_list("email", flat=True)
        .first()
    )
    next_url = _safe_next(request)
    error = ""
    if request.method == "POST" and request.POST.get("action") == "send":
        code = f"{secrets.randbelow(10**6):06d}"
        request.session[SESSION_CODE] = {
            "hash": make_password(code),
            "until": time.time() + CODE_VALID_FOR,
            "tries": 0,
        }
        email_send(
            name="account/staff_code",
            to=[address],
            context={"user_name": request.user.get_full_name(), "code": code},
        )
        messages.info(
            request, _("Un code vient de partir vers %(address)s.") % {"address": address}
        )
        return redirect(_with_next(request.path, next_url))
    if request.method == "POST":
        pending = request.session.get(SESSION_CODE)
        entered = "".join(request.POST.get("code", "").split())
        if not pending or pending["until"] < time.time():
            error = _("Ce code n'est plus valable : demandez-en un nouveau.")
        elif pending["tries"] >= MAX_TRIES:
            error = _("Trop d'essais : demandez un nouveau code.")
        elif not check_password(entered, pending["hash"]):
            pending["tries"] += 1
            request.session[SESSION_CODE] = pending
            error = _("Ce code ne correspond pas.")
        else:
            del request.session[SESSION_CODE]
            request.session[SESSION_CONFIRMED] = time.time()
            _count_as_reauthentication(request)
            return redirect(_with_next(reverse("mfa_activate_totp"), next_url))
    return render(
        request,
        "account_security/staff_address_check.html",
        {
            "address": address,
            "next": next_url,
            "error": error,
            "code_sent": SESSION_CODE in request.session,
        },
        status=400 if error else 200,
    )
