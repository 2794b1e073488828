from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Ateliers et immersions"

    def ready(self):
        from core import dossier, timeline
        from funding import aid_views
        from workshops import dossier as workshops_dossier

        timeline.register(workshops_dossier.timeline_events)
        dossier.register_panel("ateliers", "Ateliers et immersions", workshops_dossier.build_panel, order=40)
        # The aids UI lives in funding/aid_views.py; funding sits below youth, so it is registered from here.
        timeline.register(aid_views.timeline_events)
        dossier.register_panel("aides", "Aides matérielles", aid_views.build_panel, order=45)
