from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Données personnelles (RGPD)"

    def ready(self):
        from core import dossier
        from privacy.dossier import contribute

        dossier.register("rgpd", "Données personnelles", contribute, order=90)
