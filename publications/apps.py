from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")

    def ready(self):
        from lab import accounts
        from publications import services

        # What this app holds about a person, and what it does with it when they leave.
        accounts.register(self.label, export=services.account_export)
