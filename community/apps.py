from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"

    def ready(self):
        from community import services
        from lab import accounts

        # What this app holds about a person, and what it does with it when they leave.
        accounts.register(
            self.label, export=services.account_export, forget=services.account_forget
        )
