"""``python manage.py envoyer_rappels [--dry-run]``: send now the reminders due (what beat does every 10 minutes)."""

from django.core.management.base import BaseCommand

from messaging import services


class Command(BaseCommand):
    help = "Envoie les rappels de rendez-vous dus (la veille, après l'heure de rappel de chaque structure)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Liste les rappels qui partiraient, sans rien envoyer ni écrire."
        )

    def handle(self, *args, dry_run=False, **options):
        envois = services.envoyer_rappels(dry_run=dry_run)
        for envoi in envois:
            self.stdout.write(envoi.describe())
        verbe = "partiraient" if dry_run else "envoyés"
        self.stdout.write(self.style.SUCCESS(f"{len(envois)} rappel(s) {verbe}."))
