from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lab import access


class StaffMFAMiddleware:
    """Keep staff out of the admin until they have set up a second factor.

    They are sent to the TOTP set-up page, and come back to where they were going.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(reverse("admin:index"))
            and access.reader(request.user).needs_second_factor
        ):
            messages.warning(
                request,
                _(
                    "L'administration demande une authentification à deux facteurs. "
                    "Configurez une application d'authentification pour continuer."
                ),
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
