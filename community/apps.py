from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Communauté")

    def ready(self):
        import superpublic.services as superpublic
        from community import services
        from lab import accounts

        # What this app holds about a person, and what it does with it when they leave.
        accounts.register(
            self.label, export=services.account_export, forget=services.account_forget
        )
        # A privileged person's public booking at Superpublic is an event of the community.
        superpublic.register_public_event_maker(services.event_from_public_booking)
