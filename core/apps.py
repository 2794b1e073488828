from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Organisations et comptes"

    def ready(self):
        from core import dataversion, signals  # noqa: F401 - connects the login history receivers

        dataversion.connect()  # figures kept in the cache are invalidated by every write (core.dataversion)
