from django.apps import AppConfig


class AidsConfig(AppConfig):
    name = "aids"
    verbose_name = "Aides matérielles"

    def ready(self):
        from aids.dossier import contribute
        from core import dossier

        dossier.register("aides", "Aides matérielles", contribute, order=45)
