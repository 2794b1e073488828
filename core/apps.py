from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Organisations et comptes"

    def ready(self):
        from core import signals  # noqa: F401 - connects the login history receivers
