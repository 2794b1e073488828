from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "Repérage et orientations"

    def ready(self):
        from core import timeline
        from outreach.timeline import events

        timeline.register(events)
