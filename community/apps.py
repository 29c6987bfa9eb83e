from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Communauté")

    def ready(self):
        from community import services
        from lab import accounts

        # What this app holds about a person, and what it does with it when they leave.
        accounts.register(
            self.label, export=services.account_export, forget=services.account_forget
        )
