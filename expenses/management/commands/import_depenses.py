"""``python manage.py import_depenses FILE --operation CODE [--dry-run]``: the expense ledger from a spreadsheet."""

from django.core.management.base import BaseCommand, CommandError

from expenses.importer import ImportFileError, import_depenses
from funding.models import Operation


class Command(BaseCommand):
    help = (
        "Importe le registre des dépenses d'une opération depuis un fichier CSV (UTF-8, « ; » ou « , ») ou XLSX. "
        "Tout ou rien ; une référence déjà importée est mise à jour, jamais dupliquée."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="Fichier CSV ou XLSX.")
        parser.add_argument("--operation", required=True, help="Code de l'opération (ex. EME, NOE).")
        parser.add_argument("--dry-run", action="store_true", help="Vérifie le fichier sans rien écrire.")

    def handle(self, *args, **options):
        # A command runs for the platform (no request): the operation is chosen by its code.
        operation = Operation.objects.filter(code=options["operation"]).first()
        if operation is None:
            raise CommandError(f"Opération inconnue : « {options['operation']} ».", returncode=1)
        try:
            result = import_depenses(options["fichier"], operation, dry_run=options["dry_run"])
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        for column in result.ignored_columns:
            self.stdout.write(f"Colonne ignorée (inconnue) : {column}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Import refusé : {len(result.errors)} problème(s), rien n'a été écrit.", returncode=1)
        summary = (
            f"{operation.code} : {len(result.rows)} ligne(s) valide(s), {result.created} dépense(s) créée(s), "
            f"{result.updated} mise(s) à jour, {result.unchanged} inchangée(s)."
        )
        if options["dry_run"]:
            summary = f"Simulation (--dry-run), rien n'a été écrit. {summary}"
        self.stdout.write(self.style.SUCCESS(summary))
