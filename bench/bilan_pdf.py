"""Time the bilan of a large operation: compute() and the PDF (WeasyPrint), with the number of SQL queries.

Creates (bulk_create) an operation with N participants in its own PostgreSQL database, then measures:

    .venv/bin/python bench/bilan_pdf.py                    # 5 000 participants, database tremplin_bench_bilan
    .venv/bin/python bench/bilan_pdf.py --participants 500 --database tremplin_bench_bilan_small

Target (docs/bilans.md): under 20 s for 5 000 participants on a 2-core machine; the number of queries does not
depend on the number of participants (tests/reports/test_pdf.py checks that at small scale).
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def recreate_database(name):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


SITUATIONS = [
    "emploi_cdi",
    "emploi_cdd_6m_plus",
    "interim",
    "formation_qualifiante",
    "alternance",
    "dispositif_cej",
    "dispositif_service_civique",
    "recherche_emploi",
    "abandon",
    "inconnu",
]


def populate(n, rng):
    from core.models import Organisation
    from funding.models import LigneBudgetaire, Objectif, Operation, Ressource
    from youth.models import Jeune, Participation

    org = Organisation.objects.create(nom="Porteur du banc d'essai", sigle="BENCH", kind="porteur", commune="Lille")
    operation = Operation.objects.create(
        organisation=org,
        code="BENCH",
        intitule="Banc d'essai des bilans",
        programme="fse_plus",
        numero_mdfse="202600999",
        date_debut=date(2024, 1, 1),
        date_fin=date(2026, 12, 31),
    )
    Objectif.objects.bulk_create(
        [
            Objectif(operation=operation, indicateur="reperes", cible=n),
            Objectif(operation=operation, indicateur="entrees", cible=n // 2),
            Objectif(operation=operation, indicateur="sorties_positives", annee=2025, cible=n // 4),
        ]
    )
    LigneBudgetaire.objects.bulk_create(
        [
            LigneBudgetaire(operation=operation, categorie="personnel", libelle="Personnel", montant_prevu=700000),
            LigneBudgetaire(operation=operation, categorie="participants", libelle="Aides", montant_prevu=61076),
        ]
    )
    Ressource.objects.create(operation=operation, kind="fse", financeur="FSE+", montant=Decimal("500000"))
    jeunes = Jeune.objects.bulk_create(
        [
            Jeune(
                organisation=org,
                nom=f"Nom{i}",
                prenom=f"Prénom{i}",
                sexe=rng.choice("FFHHX"),
                date_naissance=date(1996, 1, 1) + timedelta(days=rng.randint(0, 365 * 12)),
                telephone="" if i % 9 == 0 else "0600000000",
                date_reperage=date(2024, 1, 1) + timedelta(days=rng.randint(0, 700)),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    participations = []
    for i, jeune in enumerate(jeunes):
        entree = jeune.date_reperage + timedelta(days=rng.randint(0, 40))
        sortie = entree + timedelta(days=rng.randint(30, 240)) if rng.random() < 0.6 else None
        participations.append(
            Participation(
                organisation=org,
                jeune=jeune,
                operation=operation,
                reference=f"B{i:05d}",
                date_entree=entree,
                date_sortie=sortie,
                situation_sortie=rng.choice(SITUATIONS) if sortie else "",
                statut_entree=rng.choice(["chomeur", "inactif", "emploi"]),
                diplome=rng.choice(["aucun", "brevet", "cap_bep", "bac"]),
                nationalite="fr",
                parent_ne_etranger=rng.choice(["oui", "non", "refus"]),
                handicap="non",
                sans_logement="" if i % 7 == 0 else "non",
            )
        )
    Participation.objects.bulk_create(participations, batch_size=1000)
    return operation


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--database", default="tremplin_bench_bilan")
    parser.add_argument("--output", help="write the PDF there")
    args = parser.parse_args()

    recreate_database(args.database)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.indicators import compute
    from reports.pdf import render_bilan_pdf

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    import weasyprint  # noqa: F401 - imported once per worker process; timed apart

    print(f"import de WeasyPrint : {time.perf_counter() - start:.2f} s (une fois par processus)")
    start = time.perf_counter()
    operation = populate(args.participants, random.Random(2026))
    print(f"{args.participants} participants créés en {time.perf_counter() - start:.1f} s")

    du, au = date(2025, 1, 1), date(2025, 12, 31)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        data = compute(operation, du, au)
        compute_seconds = time.perf_counter() - start
    compute_queries = len(queries.captured_queries)

    steps = []
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        pdf = render_bilan_pdf(
            operation, du, au, progress=lambda p, m: steps.append((round(time.perf_counter() - start, 2), p, m))
        )
        pdf_seconds = time.perf_counter() - start
    if args.output:
        Path(args.output).write_bytes(pdf)
    print(f"compute() : {compute_seconds:.2f} s, {compute_queries} requêtes ({data['actifs']} participants actifs)")
    print(f"PDF       : {pdf_seconds:.2f} s, {len(queries.captured_queries)} requêtes, {len(pdf) // 1024} Kio")
    for seconds, percent, message in steps:
        print(f"  {seconds:6.2f} s  {percent:3d} %  {message}")
    print(f"TOTAL {compute_seconds + pdf_seconds:.2f} s")


if __name__ == "__main__":
    main()
