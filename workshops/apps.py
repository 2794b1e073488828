from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Ateliers et immersions"

    def ready(self):
        from core import dossier
        from workshops.dossier import contribute

        dossier.register("ateliers", "Ateliers et immersions", contribute, order=40)
