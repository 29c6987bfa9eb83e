import functools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lab import access


@dataclass(frozen=True)
class Waiting:
    """One line of « À traiter » on the admin's home: what waits, how many, where to act."""

    label: str  # with its number (« 3 réservations à approuver »)
    count: int
    url: str


@dataclass(frozen=True)
class _Source:
    label: Promise  # ngettext_lazy(singular, plural, "count")
    rows: Callable[[], QuerySet]
    url: Callable[[], str]


# Each app says what waits on the team, from its admin module (the core imports no app).
_sources: list[_Source] = []


def register_waiting(
    label: Promise, *, rows: Callable[[], QuerySet], url: Callable[[], str]
) -> None:
    """`label` is `ngettext_lazy(singular, plural, "count")`; `rows` the waiting rows (one COUNT
    query on the admin's home); `url` where the team acts on them."""
    _sources.append(_Source(label, rows, url))


def waiting() -> list[Waiting]:
    lines = []
    for source in _sources:
        count = source.rows().count()
        lines.append(Waiting(label=source.label % {"count": count}, count=count, url=source.url()))
    return lines


class LabAdminSite(admin.AdminSite):
    site_header = _("La 27e Région · administration")
    site_title = _("La 27e Région")
    index_title = _("Gestion de la plateforme")
    index_template = "admin/lab_index.html"

    # allauth's apps and models, named in French in the admin's menu and home.
    APP_NAMES = {
        "account": _("Comptes et adresses"),
        "mfa": _("Double authentification"),
        "socialaccount": _("Connexions externes (ProConnect)"),
    }
    MODEL_NAMES = {
        ("mfa", "authenticator"): _("Facteurs d'authentification"),
        ("account", "emailaddress"): _("Adresses électroniques"),
        ("socialaccount", "socialaccount"): _("Comptes externes"),
        ("socialaccount", "socialapp"): _("Fournisseurs d'identité"),
        ("socialaccount", "socialtoken"): _("Jetons des fournisseurs"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's French reads « Supprimer les réservations sélectionnés »: one wording that
        # agrees with every model.
        self._actions["delete_selected"] = admin.action(description=_("Supprimer la sélection"))(
            functools.wraps(delete_selected)(lambda *a, **k: delete_selected(*a, **k))
        )

    def index(self, request, extra_context=None):
        return super().index(request, {"waiting": waiting(), **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = self.APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                key = (app["app_label"], model["object_name"].lower())
                model["name"] = self.MODEL_NAMES.get(key, model["name"])
        return apps

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
