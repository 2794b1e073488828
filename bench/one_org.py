"""One large organisation: the same pages at 300 and at 20 000 young people in ONE organisation, in one run.

    python bench/one_org.py [--small 300] [--large 20000] [--database tremplin_bench_one] [--output out.json]

The territory benchmark (bench/measure.py) spreads its young people over 150 organisations; a large structure sees
something else: every list, count and sort of its pages runs over all of its own rows. This script seeds the
benchmark's smallest territory (bench/seed_scale.py), grows the measured organisation (BENCH-0) to ``--small``
young people (participations, entretiens, orientations, companies, immersions and placements in proportion),
measures every page (test client in-process: median / p95 and query count, SQL time), grows the *same*
organisation to ``--large`` and measures again. The bilan page is measured warm (its figures are kept,
``core.dataversion``) and cold (first request after a write).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

REPEAT = 30
WARMUP = 3
CASELOAD = 150  # young people per conseillère when the organisation grows (grow_team)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def grow(target, rng, stdout=print):
    """Add young people (and what hangs off them) to BENCH-0 until it holds ``target`` (bulk inserts only)."""
    from django.db import transaction

    from bench.seed_scale import NOMS, PRENOMS
    from core.models import Organisation
    from employers.models import Entreprise, Placement
    from funding.models import Operation
    from outreach.models import Orientation
    from workshops.models import Immersion
    from youth.models import Entretien, Jeune, Participation

    started = time.perf_counter()
    org = Organisation.objects.get(sigle="BENCH-0")
    partner = Organisation.objects.get(sigle="BP-0")
    operation = Operation.objects.filter(organisation=org).first()
    have = Jeune.objects.filter(organisation=org).count()
    missing = target - have
    if missing <= 0:
        return {"jeunes": have, "added": 0, "seconds": 0.0}
    batch = 5000
    with transaction.atomic():
        conseilleres = grow_team(org, target)
        entreprises = Entreprise.objects.bulk_create(
            [
                Entreprise(organisation=org, nom=f"{rng.choice(NOMS)} SARL {have + i}", commune="Lille")
                for i in range(max(1, missing // 20))
            ],
            batch_size=batch,
        )
        for start in range(0, missing, batch):
            rows = []
            for i in range(start, min(start + batch, missing)):
                idx = have + i
                birth = date(1997, 1, 1) + timedelta(days=rng.randrange(0, 365 * 12))
                j = Jeune(
                    organisation=org,
                    nom=rng.choice(NOMS),
                    prenom=rng.choice(PRENOMS),
                    sexe=rng.choice("FFHHX"),
                    date_naissance=birth,
                    telephone=f"06{rng.randrange(10**8):08d}",
                    date_reperage=date(2024, 1, 1) + timedelta(days=rng.randrange(0, 1000)),
                    statut=rng.choice(["repere", "en_parcours", "en_parcours", "sorti"]),
                    referent_id=rng.choice(conseilleres),
                    reference=f"G{idx:06d}",
                    date_dernier_contact=date(2026, 11, 23) - timedelta(days=rng.randrange(0, 90)),
                    archived_at=None,
                )
                j.recherche = j.build_search_key()
                rows.append(j)
            created = Jeune.objects.bulk_create(rows, batch_size=batch)
            parts, entretiens, immersions, placements = [], [], [], []
            for j in created:
                entree = j.date_reperage + timedelta(days=14) if j.statut != "repere" else None
                sortie = entree + timedelta(days=180) if j.statut == "sorti" and entree else None
                parts.append(
                    Participation(
                        organisation=org,
                        jeune=j,
                        operation=operation,
                        date_entree=entree,
                        date_signature_contrat=entree,
                        date_sortie=sortie,
                        situation_sortie="emploi_cdi" if sortie else "",
                        statut_entree="chomeur" if entree else "",
                        diplome="cap_bep" if entree else "",
                    )
                )
                for k in range(2):
                    entretiens.append(
                        Entretien(
                            organisation=org,
                            jeune=j,
                            date=j.date_reperage + timedelta(days=7 * (k + 1)),
                            notes="Entretien de suivi.",
                        )
                    )
                if rng.random() < 0.05:
                    e = rng.choice(entreprises)
                    debut = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 300))
                    immersions.append(
                        Immersion(
                            organisation=org,
                            jeune=j,
                            entreprise=e,
                            prescripteur="BENCH",
                            objet="decouvrir_metier",
                            metier="Vente",
                            date_debut=debut,
                            date_fin=debut + timedelta(days=10),
                            heures_hebdo=35,
                            tuteur_nom="Tuteur",
                        )
                    )
                    placements.append(
                        Placement(
                            organisation=org,
                            jeune=j,
                            entreprise=e,
                            poste="Vendeur",
                            type_contrat="cdd",
                            date_debut=debut,
                        )
                    )
            Participation.objects.bulk_create(parts, batch_size=batch)
            _bulk(Entretien, entretiens, batch)
            _bulk(Immersion, immersions, batch)
            _bulk(Placement, placements, batch)
        Orientation.objects.bulk_create(
            [
                Orientation(
                    organisation=org,
                    partenaire=partner,
                    statut="recue",
                    nom=f"Grandi{i}",
                    prenom="Bench",
                    sexe="F",
                    date_naissance=date(2005, 1, 1),
                    motif="Orientation de test",
                    attestation_information=True,
                )
                for i in range(missing // 10)
            ],
            batch_size=batch,
        )
    from core import dataversion

    dataversion.bump(org.pk)
    seconds = round(time.perf_counter() - started, 1)
    stdout(f"  BENCH-0 : {have} → {target} jeunes en {seconds} s")
    return {"jeunes": target, "added": missing, "seconds": seconds}


def grow_team(org, target, per_conseillere=CASELOAD):
    """The team grows with the organisation: one conseillère per ``per_conseillere`` young people (a caseload of
    100–150 is what the structures report). Returns the conseillères' ids; the young people added are spread over
    all of them, so the measured conseillère's caseload stays a caseload, not a share of the organisation."""
    from core.models import Membership, Role, User

    team = list(Membership.objects.filter(organisation=org, role=Role.CONSEILLERE).values_list("user_id", flat=True))
    wanted = max(len(team), -(-target // per_conseillere))
    if wanted > len(team):
        template = User.objects.get(pk=team[0])
        users = User.objects.bulk_create(
            User(
                email=f"equipe{org.pk}-{i}@bench.demo",
                first_name="Équipe",
                last_name=str(i),
                password=template.password,
            )
            for i in range(len(team), wanted)
        )
        Membership.objects.bulk_create(Membership(user=u, organisation=org, role=Role.CONSEILLERE) for u in users)
        team += [u.pk for u in users]
    return team


def _bulk(model, objects, batch):
    """bulk_create what the model accepts (a field renamed since: skip that kind, say so)."""
    if not objects:
        return
    try:
        from django.db import transaction

        with transaction.atomic():
            model.objects.bulk_create(objects, batch_size=batch)
    except Exception as exc:  # noqa: BLE001 - the benchmark goes on without this kind of row
        print(f"  ({model.__name__} non créés : {exc})", file=sys.stderr)


def pages():
    from django.urls import reverse

    from bench.pages import pages as territory_pages
    from core.models import Membership, Organisation, Role

    found = list(territory_pages())
    porteur = Organisation.objects.get(sigle="BENCH-0")
    coordinateur = Membership.objects.filter(organisation=porteur, role=Role.COORDINATEUR).first().user
    conseillere = next(user for name, user, url in found if name == "caseload")
    for name, user, url in found:
        if name == "jeunes (recherche)":
            yield name, user, url
            # the same search whose answer does not grow: one dossier, found by its reference (the search above
            # finds 2 young people at 300 and fills its page of 50 at 20 000)
            yield "jeunes (recherche, un dossier)", user, reverse("youth:jeune_list") + "?q=bench-dossier"
            yield "recherche (champ)", user, reverse("search") + "?type=jeune&champ=jeune&jeune__q=lefevre"
        else:
            yield name, user, url
    yield "tableau de bord (coordination)", coordinateur, "/?vue=structure"  # its own URL in the load test's log
    yield "immersion (formulaire)", coordinateur, reverse("workshops:immersion_create")
    yield "placement (formulaire)", coordinateur, reverse("employers:placement_create")
    yield "jeunes (page 40)", conseillere, reverse("youth:jeune_list") + "?page=40"


def measure(client, url, repeat=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, sql, queries, status = [], [], None, None
    for i in range(WARMUP + (repeat or REPEAT)):
        connection.queries_log.clear()  # a deque of 9 000: once full, CaptureQueriesContext captures nothing
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        status = response.status_code
        if i >= WARMUP:
            timings.append(elapsed)
            sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
            queries = len(ctx.captured_queries)
    return {
        "url": url,
        "status": status,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "sql_median_ms": round(statistics.median(sql), 1),
        "queries": queries,
    }


def measure_all():
    from django.test import Client

    from core import dataversion
    from core.models import Organisation

    results = {}
    org = Organisation.objects.get(sigle="BENCH-0")
    for name, user, url in pages():
        if url is None:
            continue
        client = Client()
        client.force_login(user)
        results[name] = measure(client, url)
        if name == "bilan":
            cold = []
            for _ in range(5):
                dataversion.bump(org.pk)
                start = time.perf_counter()
                client.get(url)
                cold.append((time.perf_counter() - start) * 1000)
            results[name]["cold_median_ms"] = round(statistics.median(cold), 1)
        print(f"    {name}: {results[name]}", file=sys.stderr)
    return results


def table(small, large):
    lines = [
        "| page | petit méd. | petit p95 | SQL | req. | grand méd. | grand p95 | SQL | req. | ratio p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in small.items():
        g = large.get(name)
        if not g:
            continue
        ratio = g["p95_ms"] / s["p95_ms"] if s["p95_ms"] else float("inf")
        lines.append(
            f"| {name} | {s['median_ms']} | {s['p95_ms']} | {s['sql_median_ms']} | {s['queries']} | "
            f"{g['median_ms']} | {g['p95_ms']} | {g['sql_median_ms']} | {g['queries']} | {ratio:.2f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="tremplin_bench_one")
    parser.add_argument("--small", type=int, default=300)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--output", default=str(Path(__file__).parent / "output" / "one_org.json"))
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed requests per page (p95 of 30 is noisy)")
    args = parser.parse_args()
    globals()["REPEAT"] = args.repeat
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    if not args.reuse:
        from bench.measure import recreate_database

        recreate_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command

    from bench.seed_scale import seed

    rng = random.Random(7)
    result = {"database": args.database, "load_average_start": os.getloadavg()}
    call_command("migrate", verbosity=0)
    if not args.reuse:
        seed(0.001, stdout=lambda m: print(m, file=sys.stderr))
    result["grow_small"] = grow(args.small, rng)
    result["small"] = measure_all()
    result["grow_large"] = grow(args.large, rng)
    _analyze()
    result["large"] = measure_all()
    result["load_average_end"] = os.getloadavg()
    Path(args.output).parent.mkdir(exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(table(result["small"], result["large"]))
    print(f"load average: {result['load_average_start']} → {result['load_average_end']}")


def _analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
