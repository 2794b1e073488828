"""``manage.py load_grille_densite FICHIER --organisation NOM --millesime AAAA [--valable-du AAAA-MM-JJ]``."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core.models import Organisation
from reports.importer import ImportFileError
from reports.reference import load_density_grid


class Command(BaseCommand):
    help = "Charge la grille communale de densité de l'INSEE (CSV ou XLSX : CODGEO et DENS) pour l'indicateur rural."

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--organisation", required=True, help="Nom ou sigle de la structure porteuse.")
        parser.add_argument("--millesime", required=True, type=int, help="Année de la grille (ex. 2024).")
        parser.add_argument("--valable-du", help="Date d'effet (AAAA-MM-JJ ; défaut : 1er janvier du millésime).")

    def handle(self, *args, **options):
        name = options["organisation"]
        organisation = (
            Organisation.objects.filter(nom__iexact=name).first()
            or Organisation.objects.filter(sigle__iexact=name).first()
        )
        if organisation is None:
            raise CommandError(f"Structure inconnue : « {name} ».", returncode=1)
        millesime = options["millesime"]
        try:
            valable_du = date.fromisoformat(options["valable_du"]) if options["valable_du"] else date(millesime, 1, 1)
        except ValueError as exc:
            raise CommandError("--valable-du : date invalide (attendu : AAAA-MM-JJ).", returncode=1) from exc
        try:
            grid, problems = load_density_grid(
                options["fichier"], organisation=organisation, millesime=millesime, valable_du=valable_du
            )
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"Grille refusée : {len(problems)} problème(s), rien n'a été écrit.", returncode=1)
        self.stdout.write(
            f"{grid} chargée : {grid.communes} communes, valable à partir du {grid.valable_du:%d/%m/%Y}."
        )
