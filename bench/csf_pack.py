"""Time the contrôle de service fait pack for 500 sampled participants with their proofs.

Creates, in its own PostgreSQL database and a temporary media folder, an operation with N participants (three
eligibility proofs each, an exit proof for half of them, four signed attendance sheets attended), N paid expenses
with their proofs and staff time sheets with signed scans; then draws N participants and N expenses and builds the
ZIP in-process (what the Celery task runs), with the number of SQL queries.

    .venv/bin/python bench/csf_pack.py                                  # 500, database tremplin_finance_bench_csf
    .venv/bin/python bench/csf_pack.py --participants 100 --proof-kb 20

Target (issue 16): under 60 s for 500 sampled participants on this machine.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, time as dtime
from decimal import Decimal
from pathlib import Path
from unittest import mock


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def recreate_database(name):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def proof(kb, label):
    from expenses.seed import demo_pdf

    body = demo_pdf(label)
    return body + b"%" + b"x" * max(0, kb * 1024 - len(body)) + b"\n"


def populate(n, kb):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from core.models import Membership, Organisation, User
    from expenses.models import Depense, FeuilleTemps, Salarie
    from funding.models import LigneBudgetaire, Operation
    from workshops.models import Atelier, Inscription, Seance
    from youth.models import Document, Jeune, Participation

    org = Organisation.objects.create(nom="Porteur du banc CSF", sigle="BCSF", kind="porteur", commune="Lille")
    user = User.objects.create_user("coordination@bench.csf", "x")
    Membership.objects.create(user=user, organisation=org, role="coordinateur")
    operation = Operation.objects.create(
        organisation=org,
        code="BCSF",
        intitule="Banc d'essai du contrôle de service fait",
        programme="fse_plus",
        date_debut=date(2024, 1, 1),
        date_fin=date(2026, 12, 31),
    )
    LigneBudgetaire.objects.create(operation=operation, categorie="personnel", libelle="Personnel", montant_prevu=1)

    def store(prefix, label):
        return default_storage.save(f"{prefix}/bench.pdf", ContentFile(proof(kb, label)))

    jeunes = Jeune.objects.bulk_create(
        [
            Jeune(
                organisation=org,
                nom=f"Nom{i}",
                prenom=f"Prenom{i}",
                sexe="F" if i % 2 else "H",
                date_naissance=date(2002, 1, 1),
                telephone="0600000000",
                date_reperage=date(2025, 1, 2),
            )
            for i in range(n)
        ]
    )
    Participation.objects.bulk_create(
        [
            Participation(
                organisation=org,
                jeune=jeune,
                operation=operation,
                date_entree=date(2025, 2, 1),
                date_sortie=date(2025, 10, 1) if i % 2 else None,
                situation_sortie="emploi_cdi" if i % 2 else "",
                statut_entree="chomeur",
            )
            for i, jeune in enumerate(jeunes)
        ]
    )
    documents = []
    for i, jeune in enumerate(jeunes):
        for kind in ("piece_identite", "attestation_neet", "justificatif_domicile"):
            if i % 17 == 0 and kind == "attestation_neet":
                continue  # a few missing: the index lists them
            documents.append(
                Document(
                    organisation=org,
                    jeune=jeune,
                    kind=kind,
                    fichier=store("jeunes", kind),
                    obtenu_le=date(2025, 1, 20),
                )
            )
        if i % 2:
            documents.append(
                Document(
                    organisation=org,
                    jeune=jeune,
                    kind="preuve_sortie",
                    fichier=store("jeunes", "sortie"),
                    obtenu_le=date(2025, 10, 2),
                )
            )
    Document.objects.bulk_create(documents)
    atelier = Atelier.objects.create(organisation=org, operation=operation, intitule="Atelier du banc", theme="tre")
    seances = Seance.objects.bulk_create(
        [
            Seance(
                atelier=atelier,
                date=date(2025, 3, 1 + s),
                heure_debut=dtime(9),
                heure_fin=dtime(12),
                lieu="Salle 1",
                capacite=500,
                emargement_signe=store("emargements", f"seance {s}") if s % 10 else "",
            )
            for s in range(20)
        ]
    )
    Inscription.objects.bulk_create(
        [
            Inscription(seance=seances[(i + k * 5) % 20], jeune=jeune, presence="present")
            for i, jeune in enumerate(jeunes)
            for k in range(4)
        ]
    )
    salaries = Salarie.objects.bulk_create(
        [Salarie(operation=operation, nom=f"Salarié {s}", date_debut=date(2024, 1, 1)) for s in range(5)]
    )
    feuilles = FeuilleTemps.objects.bulk_create(
        [
            FeuilleTemps(
                salarie=salarie,
                mois=date(2025, m, 1),
                heures_operation=Decimal("100"),
                heures_travaillees=Decimal("151.67"),
                cout_charge_mensuel=Decimal("3000"),
                scan_signe=store("temps", "feuille") if m % 6 else "",
            )
            for salarie in salaries
            for m in range(1, 13)
        ]
    )
    depenses = [
        Depense(
            operation=operation,
            reference=f"SAL-{f.pk}",
            poste="personnel",
            libelle="Salaire",
            beneficiaire=f.salarie.nom,
            montant=f.cout_eligible,
            date=date(2025, f.mois.month, 28),
            date_paiement=date(2025, f.mois.month, 28),
            justificatif=store("depenses", "bulletin"),
            feuille_temps=f,
        )
        for f in feuilles
    ]
    depenses += [
        Depense(
            operation=operation,
            reference=f"FAC-{i:05d}",
            poste="fonctionnement",
            libelle="Facture",
            beneficiaire="Fournisseur",
            montant=Decimal("100"),
            date=date(2025, 1 + i % 12, 5),
            date_paiement=date(2025, 1 + i % 12, 20),
            justificatif=store("depenses", "facture") if i % 13 else "",
        )
        for i in range(max(0, n - len(depenses)))
    ]
    Depense.objects.bulk_create(depenses)
    return operation, user


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--proof-kb", type=int, default=60, help="size of each fake proof (KiB)")
    parser.add_argument("--database", default="tremplin_finance_bench_csf")
    args = parser.parse_args()
    recreate_database(args.database)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    media = tempfile.mkdtemp(prefix="bench-csf-")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MEDIA_ROOT = media
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    operation, user = populate(args.participants, args.proof_kb)
    print(f"{args.participants} participants et leurs pièces créés en {time.perf_counter() - start:.1f} s")

    from reports import services

    du, au = date(2025, 1, 1), date(2025, 12, 31)
    with mock.patch("reports.services._queue_csf"):
        start = time.perf_counter()
        pack = services.csf_pack_launch(
            operation=operation,
            du=du,
            au=au,
            user=user,
            nb_participants=args.participants,
            nb_depenses=args.participants,
            graine=2026,
        )
        draw_seconds = time.perf_counter() - start
    steps = []
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        with mock.patch(
            "reports.services.csf_pack_progress",
            side_effect=lambda pack_id, progress, message: steps.append(
                (round(time.perf_counter() - start, 2), progress, message)
            ),
        ):
            pack = services.csf_pack_run(pack_id=pack.pk)
        build_seconds = time.perf_counter() - start
    size = pack.fichier.size
    print(
        f"tirage  : {draw_seconds:.2f} s ({len(pack.participations_tirees)} participants, "
        f"{len(pack.depenses_tirees)} dépenses)"
    )
    print(
        f"ZIP     : {build_seconds:.2f} s, {len(queries.captured_queries)} requêtes, {size // (1024 * 1024)} Mio, "
        f"{pack.pieces_manquantes} pièces manquantes listées"
    )
    for seconds, percent, message in steps[:: max(1, len(steps) // 12)] + steps[-2:]:
        print(f"  {seconds:6.2f} s  {percent:3d} %  {message}")
    print(f"TOTAL {draw_seconds + build_seconds:.2f} s (objectif : moins de 60 s)")


if __name__ == "__main__":
    main()
