from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Envoie le résumé quotidien des notifications non lues (leur nombre) à qui l'a demandé."

    def handle(self, *args, **options):
        sent = services.envoyer_resumes()
        self.stdout.write(f"{sent} résumé{'s' if sent > 1 else ''} envoyé{'s' if sent > 1 else ''}.")
