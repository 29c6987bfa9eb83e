from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuperpublicConfig(AppConfig):
    name = "superpublic"
    verbose_name = _("Superpublic")

    def ready(self):
        from lab import accounts
        from superpublic import services

        # What this app holds about a person, and what it does with it when they leave.
        accounts.register(
            self.label, export=services.account_export, forget=services.account_forget
        )
