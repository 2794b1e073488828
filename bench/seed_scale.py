"""Territory-scale data for the benchmark: 200 organisations, 2 000 users, 100 000 youth, 2 000 000 entretiens.

    python bench/seed_scale.py --scale 1.0      # full scale (a few minutes on 2 cores)
    python bench/seed_scale.py --scale 0.01     # small scale, same shape

Everything is fake and bulk-inserted (no signals, no history rows). The organisation ``BENCH-0`` (the one the
benchmark measures) holds 10 % of the youth, so its pages see the volume grow with the scale; its conseillère
``bench0@bench.demo`` is the referent of a large caseload, and dossier ``BENCH-DOSSIER`` has a long timeline.
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

FULL = {"porteurs": 150, "partenaires": 50, "users": 2000, "jeunes": 100_000, "entretiens_par_jeune": 20}
BENCH_SHARE = 0.10
NOMS = [
    "Lefèvre",
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
]
PRENOMS = [
    "Léa",
    "Emma",
    "Inès",
    "Chloé",
    "Manon",
    "Camille",
    "Sarah",
    "Jade",
    "Lucas",
    "Hugo",
    "Nathan",
    "Enzo",
    "Louis",
    "Théo",
    "Yanis",
    "Mathis",
    "Noah",
    "Adam",
    "Rayan",
    "Kylian",
    "Océane",
    "Maëlys",
    "Anaïs",
    "Éva",
]


def _setup():
    import django

    django.setup()


def seed(scale, stdout=print, seed_value=42):
    from django.db import connection, transaction

    from core.models import Membership, Organisation, Role, User
    from funding.models import Operation
    from youth.models import Entretien, Jeune, Participation

    rng = random.Random(seed_value)
    started = time.perf_counter()
    n_porteurs = max(2, round(FULL["porteurs"] * scale))
    n_partenaires = max(2, round(FULL["partenaires"] * scale))
    n_users = max(n_porteurs * 5 + n_partenaires, round(FULL["users"] * scale))
    n_jeunes = max(200, round(FULL["jeunes"] * scale))
    per_jeune = FULL["entretiens_par_jeune"]
    today = date(2026, 11, 23)

    with transaction.atomic():
        porteurs = Organisation.objects.bulk_create(
            [Organisation(nom=f"Bench porteur {i}", sigle=f"BENCH-{i}", kind="porteur") for i in range(n_porteurs)]
        )
        partenaires = Organisation.objects.bulk_create(
            [
                Organisation(nom=f"Bench partenaire {i}", sigle=f"BP-{i}", kind="partenaire")
                for i in range(n_partenaires)
            ]
        )
        template = User(email="template@bench.demo")
        template.set_password("tremplin-bench")
        bench_password_hash = template.password
        users, memberships = [], []
        roles = [Role.CONSEILLERE, Role.CONSEILLERE, Role.CONSEILLERE, Role.COORDINATEUR, Role.CHARGE_ENTREPRISES]
        for i in range(n_users):
            if i < n_partenaires:
                org, role = partenaires[i], Role.PARTENAIRE
            else:
                k = i - n_partenaires
                org, role = porteurs[k % n_porteurs], roles[(k // n_porteurs) % len(roles)]
            users.append(
                User(email=f"bench{i}@bench.demo", first_name="Bench", last_name=str(i), password=bench_password_hash)
            )
            memberships.append((org, role))
        users = User.objects.bulk_create(users, batch_size=2000)
        Membership.objects.bulk_create(
            [Membership(user=u, organisation=o, role=r) for u, (o, r) in zip(users, memberships, strict=True)],
            batch_size=2000,
        )
        operations = Operation.objects.bulk_create(
            [
                Operation(
                    organisation=o,
                    code=f"BENCH{i}",
                    intitule=f"Opération bench {i}",
                    programme="fse_plus",
                    date_debut=date(2024, 1, 1),
                    date_fin=date(2027, 12, 31),
                    age_min=16,
                    age_max=29,
                )
                for i, o in enumerate(porteurs)
            ]
        )
        conseilleres = {}
        for u, (o, r) in zip(users, memberships, strict=True):
            if r == Role.CONSEILLERE:
                conseilleres.setdefault(o.pk, []).append(u)
    stdout(
        f"  organisations, {len(users)} comptes, {len(operations)} opérations : {time.perf_counter() - started:.1f} s"
    )

    # Youth: BENCH-0 gets BENCH_SHARE of them, the rest spread evenly.
    bench_count = int(n_jeunes * BENCH_SHARE)
    owners = [0] * bench_count + [1 + (i % (n_porteurs - 1)) for i in range(n_jeunes - bench_count)]
    batch = 5000
    jeune_ids = []
    for start in range(0, n_jeunes, batch):
        rows = []
        for idx in range(start, min(start + batch, n_jeunes)):
            org_index = owners[idx]
            org = porteurs[org_index]
            nom, prenom = rng.choice(NOMS), rng.choice(PRENOMS)
            birth = date(1997, 1, 1) + timedelta(days=rng.randrange(0, 365 * 12))
            reperage = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 1000))
            statut = rng.choice(["repere", "en_parcours", "en_parcours", "sorti"])
            referent = rng.choice(conseilleres[org.pk])
            if org_index == 0 and idx < 400:
                referent = conseilleres[org.pk][0]  # a big caseload for the measured conseillère
            rows.append(
                Jeune(
                    organisation=org,
                    nom=nom if idx else "Lefèvre",
                    prenom=prenom,
                    sexe=rng.choice("FFHHX"),
                    date_naissance=birth,
                    telephone=f"06{rng.randrange(10**8):08d}",
                    date_reperage=reperage,
                    statut=statut,
                    referent=referent,
                    reference=f"J{idx:06d}" if idx else "BENCH-DOSSIER",
                    date_dernier_contact=today - timedelta(days=rng.randrange(0, 90)),
                )
            )
        for j in rows:
            j.recherche = j.build_search_key()
        created = Jeune.objects.bulk_create(rows, batch_size=batch)
        jeune_ids.extend((j.pk, j.organisation_id, j.statut, j.date_reperage, j.referent_id) for j in created)
    op_by_org = {op.organisation_id: op for op in operations}
    stdout(f"  {len(jeune_ids)} jeunes : {time.perf_counter() - started:.1f} s")

    parts = []
    for pk, org_id, statut, reperage, _ref in jeune_ids:
        entree = reperage + timedelta(days=14) if statut != "repere" else None
        sortie = entree + timedelta(days=180) if statut == "sorti" and entree else None
        parts.append(
            Participation(
                organisation_id=org_id,
                jeune_id=pk,
                operation=op_by_org[org_id],
                date_entree=entree,
                date_signature_contrat=entree,
                date_sortie=sortie,
                situation_sortie=rng.choice(
                    ["emploi_cdi", "formation_qualifiante", "recherche_emploi", "dispositif_cej"]
                )
                if sortie
                else "",
                statut_entree="chomeur" if entree else "",
                diplome="cap_bep" if entree else "",
            )
        )
    Participation.objects.bulk_create(parts, batch_size=batch)
    stdout(f"  {len(parts)} participations : {time.perf_counter() - started:.1f} s")

    # Entretiens: COPY is much faster than INSERT for millions of rows. The columns come from the model
    # (copy_columns): a column added since (the soft-delete fields…) gets its default, never a NULL.
    total = 0
    now = "2026-11-23 10:00:00+00"
    columns, row_of = copy_columns(
        Entretien,
        {
            "kind": "individuel",
            "sujets": '["emploi"]',
            "notes": "Point d'étape sur les démarches.",
            "prochaines_etapes": "",
            "created_at": now,
            "updated_at": now,
        },
    )
    with connection.cursor() as cursor:
        copy_sql = f"COPY {Entretien._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(copy_sql) as copy:
            for n, (pk, org_id, _statut, reperage, referent_id) in enumerate(jeune_ids):
                count = per_jeune * 10 if n == 0 else per_jeune
                for k in range(count):
                    day = reperage + timedelta(days=7 * k)
                    copy.write_row(
                        row_of(organisation_id=org_id, jeune_id=pk, auteur_id=referent_id, date=day.isoformat())
                    )
                    total += 1
    stdout(f"  {total} entretiens : {time.perf_counter() - started:.1f} s")
    _dossier_history(Jeune, jeune_ids[0][0], per_jeune * 10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from core import dataversion

    dataversion.bump()  # bulk_create and COPY send no signal: no figure kept before the seed is read again
    return {
        "porteurs": n_porteurs,
        "partenaires": n_partenaires,
        "users": n_users,
        "jeunes": n_jeunes,
        "entretiens": total,
        "seconds": round(time.perf_counter() - started, 1),
    }


def copy_columns(model, constants):
    """The columns of a COPY into ``model``'s table and ``row_of(**values)`` building one row in their order.

    Every concrete field but the primary key is a column: a value given to ``row_of``, else ``constants``, else the
    field's default (as the database receives it), else NULL when the field is nullable, else '' for a text field
    (``blank`` char/text fields, e.g. ``motif_suppression``). A NOT NULL field with none of these is an error here,
    naming the field, rather than a failed COPY.
    """
    from django.db import connection, models

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for field in fields:
        if field.attname in constants:
            defaults[field.attname] = constants[field.attname]
        elif isinstance(field, models.JSONField) and field.has_default():
            defaults[field.attname] = json.dumps(field.get_default())
        elif field.has_default():
            defaults[field.attname] = field.get_db_prep_save(field.get_default(), connection)
        elif field.null:
            defaults[field.attname] = None
        elif isinstance(field, models.CharField | models.TextField):
            defaults[field.attname] = ""
        else:
            defaults[field.attname] = _REQUIRED
    columns = [f.column for f in fields]
    attnames = [f.attname for f in fields]

    def row_of(**values):
        row = [values[name] if name in values else defaults[name] for name in attnames]
        missing = [name for name, value in zip(attnames, row, strict=True) if value is _REQUIRED]
        if missing:
            raise ValueError(f"COPY {model._meta.db_table}: no value for {', '.join(missing)}")
        return row

    return columns, row_of


_REQUIRED = object()


def _dossier_history(Jeune, pk, count):
    """Each entretien saves the young person (last contact): give the long dossier that identity history."""
    from datetime import UTC, datetime

    jeune = Jeune.objects.get(pk=pk)
    Historical = Jeune.history.model
    attnames = [f.attname for f in Jeune._meta.concrete_fields]
    start = datetime(2026, 11, 1, 10, tzinfo=UTC) - timedelta(days=7 * count)  # all in the past
    records = []
    for k in range(count):
        values = {name: getattr(jeune, name) for name in attnames}
        values["date_dernier_contact"] = jeune.date_reperage + timedelta(days=7 * k)
        records.append(
            Historical(
                **values,
                history_date=start + timedelta(days=7 * k),
                history_type="+" if k == 0 else "~",
                history_user_id=jeune.referent_id,
            )
        )
    Historical.objects.bulk_create(records, batch_size=1000)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    _setup()
    print(seed(args.scale))
