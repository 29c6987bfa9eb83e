from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "lab.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"

    def ready(self) -> None:
        from lab.proconnect import signals  # noqa: F401  (connects the receivers)
