"""Demo data: organisations, accounts, operations EME and NOE, then each app's fake data.

Each app may provide ``<app>/seed.py`` with ``seed_demo(ctx)``; they run in dependency order.
Everything is fake (Faker fr_FR); accounts share the password ``tremplin-demo``.
"""

import importlib
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from faker import Faker

from core.models import Membership, Organisation, Role, User


DEMO_PASSWORD = "tremplin-demo"  # noqa: S105 - public demo password, documented in the README  # nosec B105

ORGANISATIONS = {
    "acsrv": ("Association des Centres Sociaux de la Région de Valenciennes", "ACSRV", "porteur", "Valenciennes"),
    "carvin": ("CCAS de Carvin", "CCAS Carvin", "porteur", "Carvin"),
    "capep": ("Centre d'Accueil et de Promotion de l'Éducation Permanente", "CAPEP", "partenaire", "Valenciennes"),
    "cao59": ("Centre d'Accueil et d'Orientation du Nord", "CAO 59", "partenaire", "Valenciennes"),
    "ml": ("Mission Locale du Valenciennois", "Mission Locale", "partenaire", "Valenciennes"),
}

ACCOUNTS = [
    ("coordination@acsrv.demo", "Claire", "Dumont", "acsrv", Role.COORDINATEUR),
    ("conseillere@acsrv.demo", "Sophie", "Lambert", "acsrv", Role.CONSEILLERE),
    ("entreprises@acsrv.demo", "Karim", "Benali", "acsrv", Role.CHARGE_ENTREPRISES),
    ("coordination@carvin.demo", "Brigitte", "Lafeuille", "carvin", Role.COORDINATEUR),
    ("conseillere@carvin.demo", "Pierre", "Fievet", "carvin", Role.CONSEILLERE),
    ("partenaire@capep.demo", "Nadia", "Moreau", "capep", Role.PARTENAIRE),
    ("partenaire@cao59.demo", "Julien", "Caron", "cao59", Role.PARTENAIRE),
    ("partenaire@ml-valenciennois.demo", "Isabelle", "Leroy", "ml", Role.PARTENAIRE),
]

SEED_MODULES = [
    "funding",
    "expenses",
    "employers",
    "youth",
    "outreach",
    "diagnostics",
    "workshops",
    "agenda",
    "messaging",
    "reports",
]
SEED_MODULES += ["notifications"]  # last: it links to what the others created


@dataclass
class SeedContext:
    orgs: dict
    users: dict
    operations: dict
    faker: Faker
    rng: random.Random
    today: date
    stdout: object = None
    extra: dict = field(default_factory=dict)

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)


def seed_base():
    orgs = {}
    for key, (nom, sigle, kind, commune) in ORGANISATIONS.items():
        orgs[key], _ = Organisation.objects.update_or_create(
            nom=nom, defaults={"sigle": sigle, "kind": kind, "commune": commune}
        )
    users = {}
    for email, first, last, org_key, role in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first, last_name=last)
        Membership.objects.update_or_create(user=user, organisation=orgs[org_key], defaults={"role": role})
        users[email] = user
    return orgs, users


def seed_operations(orgs):
    from funding.models import LigneBudgetaire, Objectif, Operation, Ressource

    eme, _ = Operation.objects.update_or_create(
        code="EME",
        defaults={
            "organisation": orgs["acsrv"],
            "intitule": "En mode emploi",
            "programme": Operation.Programme.FSE_PLUS,
            "numero_mdfse": "202300123",
            "date_debut": date(2023, 1, 1),
            "date_fin": date(2027, 12, 31),
            "age_min": 16,
            "age_max": 29,
            "public": "Jeunes NEET de 16 à moins de 30 ans, peu ou pas qualifiés, en situation d'isolement social.",
        },
    )
    noe, _ = Operation.objects.update_or_create(
        code="NOE",
        defaults={
            "organisation": orgs["carvin"],
            "intitule": "NOE – Nouvel Objectif Emploi",
            "programme": Operation.Programme.IEJ,
            "numero_mdfse": "201600456",
            "date_debut": date(2016, 1, 1),
            "date_fin": date(2018, 12, 31),
            "age_min": 16,
            "age_max": 25,
            "public": (
                "Jeunes NEET de 16 à 25 ans, sans emploi, sans formation et non scolarisés, non suivis par le SPE."
            ),
            "date_dernier_paiement": date(2019, 6, 30),
            "audit_hold_until": date(2024, 12, 31),
        },
    )
    budgets = {
        # NOE: the seed's table (direct 113 600 €, indirect 15 % of staff = 15 060 €, total 128 660 €).
        noe: [
            ("personnel", "Personnel (2,7 ETP)", "100400"),
            ("prestations_externes", "Prestations externes", "7900"),
            ("participants", "Dépenses liées aux participants", "5300"),
        ],
        # En mode emploi: 700 000 € staff → 105 000 € indirect; total 1 006 076 €.
        eme: [
            ("personnel", "Conseillères d'insertion et coordination", "700000"),
            ("fonctionnement", "Locaux, téléphonie, déplacements", "60000"),
            ("prestations_externes", "Ateliers collectifs et Les Z'ELLES", "80000"),
            ("participants", "Aides matérielles (permis AM, vêture, transport, tickets service)", "61076"),
        ],
    }
    for operation, lines in budgets.items():
        if not operation.lignes_budgetaires.exists():
            for categorie, libelle, montant in lines:
                LigneBudgetaire.objects.create(
                    operation=operation, categorie=categorie, libelle=libelle, montant_prevu=Decimal(montant)
                )
    resources = {
        noe: [("fse", "FSE – IEJ", "118225.67"), ("autofinancement", "CCAS de Carvin", "10434.33")],
        eme: [
            ("fse", "FSE+ (Région Hauts-de-France)", "603645"),
            ("cofinancement_public", "Région Hauts-de-France", "250000"),
            ("autofinancement", "ACSRV", "152431"),
        ],
    }
    for operation, rows in resources.items():
        if not operation.ressources.exists():
            for kind, financeur, montant in rows:
                Ressource.objects.create(operation=operation, kind=kind, financeur=financeur, montant=Decimal(montant))
    for operation, targets in {noe: {"reperes": 300, "entrees": 160}, eme: {"reperes": 200, "entrees": 150}}.items():
        for indicateur, cible in targets.items():
            Objectif.objects.get_or_create(
                operation=operation, indicateur=indicateur, annee=None, defaults={"cible": cible}
            )
    eme.plafonds_aides.get_or_create(operation=eme, kind="permis_am", defaults={"nombre_max_par_an": 15})
    return {"EME": eme, "NOE": noe}


class Command(BaseCommand):
    help = "Crée les données de démonstration (fictives). --empty : organisations, comptes et opérations seulement."

    def add_arguments(self, parser):
        parser.add_argument("--empty", action="store_true", help="Ne crée ni jeunes ni activité.")
        parser.add_argument("--seed", type=int, default=2026, help="Graine du générateur aléatoire.")

    def handle(self, *args, **options):
        with transaction.atomic():
            orgs, users = seed_base()
            operations = seed_operations(orgs)
        self.stdout.write(f"{len(orgs)} organisations, {len(users)} comptes, opérations EME et NOE.")
        if options["empty"]:
            return
        from youth.models import Jeune

        if Jeune.objects.for_platform().exists():
            self.stdout.write("Des jeunes existent déjà : les données d'activité ne sont pas recréées.")
            return
        faker = Faker("fr_FR")
        faker.seed_instance(options["seed"])
        ctx = SeedContext(
            orgs=orgs,
            users=users,
            operations=operations,
            faker=faker,
            rng=random.Random(options["seed"]),
            today=timezone.localdate(),
            stdout=self.stdout,
        )
        for app in SEED_MODULES:
            try:
                module = importlib.import_module(f"{app}.seed")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.seed":
                    raise
                continue
            with transaction.atomic():
                module.seed_demo(ctx)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
