from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Adhésions")

    def ready(self):
        from lab import accounts
        from members import services

        # What this app holds about a person (their applications), and their leaving.
        accounts.register(
            self.label, export=services.account_export, forget=services.account_forget
        )
