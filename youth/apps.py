from django.apps import AppConfig


class YouthConfig(AppConfig):
    name = "youth"
    verbose_name = "Jeunes et parcours"

    def ready(self):
        from core import timeline
        from youth.dossier import youth_events

        timeline.register(youth_events)
