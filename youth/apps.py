from django.apps import AppConfig


class YouthConfig(AppConfig):
    name = "youth"
    verbose_name = "Jeunes et parcours"

    def ready(self):
        from core import dossier
        from youth.dossier import contribute

        dossier.register("youth", "Parcours", contribute, order=0)
