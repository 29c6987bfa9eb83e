from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"

    def ready(self):
        from lab import accounts
        from programmes import services

        # What this app holds about a person, and what it does with it when they leave.
        accounts.register(
            self.label, export=services.account_export, forget=services.account_forget
        )
