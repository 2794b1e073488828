from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "diagnostics"
    verbose_name = "Diagnostics"

    def ready(self):
        from core import dossier, timeline
        from diagnostics import integration

        dossier.register_panel("diagnostics", "Diagnostic", integration.build_panel, order=30)
        timeline.register(integration.timeline_events)
