from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"

    def ready(self):
        from lab import accounts
        from publications import services

        # What this app holds about a person, and what it does with it when they leave.
        accounts.register(self.label, export=services.account_export)
