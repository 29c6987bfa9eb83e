from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lab import access


class LabAdminSite(admin.AdminSite):
    site_header = _("La 27e Région · administration")
    site_title = _("La 27e Région")
    index_title = _("Gestion de la plateforme")

    def has_permission(self, request) -> bool:
        # Defence in depth beside StaffMFAMiddleware: no second factor, no admin.
        return super().has_permission(request) and access.reader(request.user).staff

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not allowed: sending them to log in again would loop.
            raise PermissionDenied
        # One way in for everyone: allauth's login, with its rate limits and its MFA step.
        target = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
