from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class LabConfig(AppConfig):
    name = "lab"
    verbose_name = _("La 27e Région")


class LabAdminConfig(AdminConfig):
    default_site = "lab.admin_site.LabAdminSite"
