from django.core.management.base import BaseCommand

from privacy.retention import retention_plan, retention_run


class Command(BaseCommand):
    help = "Archive les dossiers sans contact depuis 2 ans et anonymise ceux dont la conservation FSE est échue."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Affiche ce qui serait fait sans rien modifier.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self.stdout.write(retention_plan().report(dry_run=True))
            return
        run = retention_run(dry_run=False)
        self.stdout.write(run.report)
        self.stdout.write(self.style.SUCCESS(f"Terminé (passage n° {run.pk})."))
