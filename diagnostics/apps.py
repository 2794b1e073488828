from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Diagnostics"

    def ready(self):
        from core import dossier
        from diagnostics.integration import contribute

        dossier.register("diagnostics", "Diagnostic", contribute, order=30)
