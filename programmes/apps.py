from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes")

    def ready(self):
        from lab import accounts
        from programmes import services

        # What this app holds about a person, and what it does with it when they leave.
        accounts.register(
            self.label, export=services.account_export, forget=services.account_forget
        )
