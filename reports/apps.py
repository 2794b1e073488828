from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Bilans"

    def ready(self):
        from core.softdelete import register_lock
        from reports.locks import signed_bilan_lock

        register_lock(signed_bilan_lock)
