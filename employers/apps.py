from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = "Entreprises"

    def ready(self):
        from core import dossier
        from employers.dossier import contribute

        dossier.register("emploi", "Emploi et suivi dans l'emploi", contribute, order=50)
