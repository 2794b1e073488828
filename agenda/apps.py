from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = "Agenda et rendez-vous"

    def ready(self):
        from agenda.dossier import contribute
        from agenda.receivers import prochain_rendez_vous
        from core import dossier
        from youth.signals import prochain_rendez_vous as youth_prochain_rendez_vous

        dossier.register("rendez_vous", "Rendez-vous", contribute, order=15)
        youth_prochain_rendez_vous.connect(prochain_rendez_vous, dispatch_uid="agenda.prochain_rendez_vous")
