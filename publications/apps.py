from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from publications.models import ReaderPreference
        from publications.selectors import forget_preference

        for signal in (post_save, post_delete):
            signal.connect(
                forget_preference, sender=ReaderPreference, dispatch_uid=f"preference-{signal}"
            )
