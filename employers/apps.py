from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = "Entreprises"

    def ready(self):
        from core import dossier, timeline
        from employers import dossier as employers_dossier

        timeline.register(employers_dossier.timeline_events)
        dossier.register_panel("emploi", "Emploi et suivi dans l'emploi", employers_dossier.build_panel, order=50)
