from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messages aux jeunes (invitations et rappels)"

    def ready(self):
        from agenda import signals
        from core import dossier
        from messaging import receivers
        from messaging.dossier import contribute

        signals.rendez_vous_planifie.connect(receivers.on_planifie, dispatch_uid="messaging.planifie")
        signals.rendez_vous_modifie.connect(receivers.on_modifie, dispatch_uid="messaging.modifie")
        signals.rendez_vous_statut_change.connect(receivers.on_statut_change, dispatch_uid="messaging.statut")
        dossier.register("messages", "Messages envoyés", contribute, order=60)
