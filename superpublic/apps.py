from django.apps import AppConfig


class SuperpublicConfig(AppConfig):
    name = "superpublic"
