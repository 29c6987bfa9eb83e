from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from lab import access, security
from lab.lib import typography

SECOND_FACTOR_NEXT = "second_factor_next"


class StaffMFAMiddleware:
    """Keep staff out of the admin until they have set up a second factor.

    They are sent to the TOTP set-up page, and come back to where they were going.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path == reverse("mfa_activate_totp")
            and access.reader(request.user).needs_second_factor
            and not security.address_confirmed(request)
        ):
            # Whoever holds the password must also read the account's mail (lab/security.py).
            query = urlencode({"next": request.GET.get("next", "")})
            return redirect(f"{reverse('staff_address_check')}?{query}")
        reader = (
            access.reader(request.user) if request.path.startswith(reverse("admin:index")) else None
        )
        if reader and reader.staff:
            request.session.pop(SECOND_FACTOR_NEXT, None)  # arrived: the way back is used
        elif reader and reader.needs_second_factor:
            messages.warning(
                request,
                _(
                    "L'administration demande une authentification à deux facteurs. "
                    "Configurez une application d'authentification pour continuer."
                ),
            )
            # allauth ends the activation on the recovery codes without `next`: that page
            # offers the way back from the session (templates/mfa/recovery_codes/index.html).
            request.session[SECOND_FACTOR_NEXT] = request.get_full_path()
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)


# allauth's pages (addresses, password, second factor, linked accounts) are personal.
ACCOUNT_PAGES = ("account_", "mfa_", "socialaccount_", "proconnect_")


class PrivateByDefaultMiddleware:
    """A response to a signed-in person that says nothing of caching is private: no shared
    cache (a proxy, a CDN) may keep it. Personal pages say no-store (`verified_required` for
    ours, here for allauth's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or response.has_header("Cache-Control"):
            return response
        match = request.resolver_match
        if match is not None and (match.url_name or "").startswith(ACCOUNT_PAGES):
            add_never_cache_headers(response)
        else:
            patch_cache_control(response, private=True)
        return response


class FrenchTypographyMiddleware:
    """French pages get their non-breaking spaces (lab/lib/typography.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "LANGUAGE_CODE", "") == "fr"
            and response.get("Content-Type", "").startswith("text/html")
            and not response.streaming
            and response.status_code == 200
        ):
            content = response.content.decode(response.charset)
            response.content = typography.french_spacing(content).encode(response.charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
