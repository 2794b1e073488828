"""``python manage.py import_participants FILE --operation CODE [--dry-run]`` (DESIGN.md, command-line contract)."""

from django.core.management.base import BaseCommand, CommandError

from funding.models import Operation
from reports.importer import ImportFileError, import_participants


class Command(BaseCommand):
    help = (
        "Importe des participants depuis un fichier CSV (UTF-8, « ; » ou « , ») ou XLSX avec une ligne d'en-tête. "
        "Tout ou rien : au moindre problème, rien n'est écrit."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="Fichier CSV ou XLSX.")
        parser.add_argument("--operation", required=True, help="Code de l'opération (ex. EME, NOE).")
        parser.add_argument("--dry-run", action="store_true", help="Vérifie le fichier sans rien écrire.")

    def handle(self, *args, **options):
        operation = Operation.objects.filter(code=options["operation"]).first()
        if operation is None:
            raise CommandError(f"Opération inconnue : « {options['operation']} ».", returncode=1)
        try:
            result = import_participants(options["fichier"], operation, dry_run=options["dry_run"])
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        for column in result.ignored_columns:
            self.stdout.write(f"Colonne ignorée (inconnue) : {column}")
        for warning in result.warnings:
            self.stdout.write(f"Avertissement : {warning}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Import refusé : {len(result.errors)} problème(s), rien n'a été écrit.", returncode=1)
        summary = (
            f"{operation.code} : {len(result.rows)} ligne(s) valide(s), {result.created} participant(s) créé(s), "
            f"{result.updated} mis à jour, {result.unchanged} inchangé(s)."
        )
        if options["dry_run"]:
            summary = f"Simulation (--dry-run), rien n'a été écrit. {summary}"
        self.stdout.write(self.style.SUCCESS(summary))
