from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "Repérage et orientations"

    def ready(self):
        from core import dossier, timeline
        from outreach.timeline import build_panel, events

        timeline.register(events)
        dossier.register_panel("orientations", "Repérage et orientations", build_panel, order=15)
