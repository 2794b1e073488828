from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil"

    def ready(self):
        from agenda.models import RendezVous
        from agenda.signals import rendez_vous_statut_change
        from home.receivers import rendez_vous_manque

        rendez_vous_statut_change.connect(rendez_vous_manque, sender=RendezVous, dispatch_uid="home.rdv_manque")
