"""Benchmark extras, called by bench/run.py (or alone): bilan PDF, bulk import and a bounded load test.

    .venv/bin/python bench/extras.py                      # all three
    .venv/bin/python bench/extras.py --only load --users 50 --run-time 60s

1. Bilan PDF for 5 000 participants (bench/bilan_pdf.py, its own database) — target < 20 s.
2. ``manage.py import_participants`` of a generated 10 000-row CSV into a fresh database — target < 30 s.
3. Load test: ``manage.py runserver --noreload`` on 127.0.0.1 only, against the seeded full-scale database
   (tremplin_bench_large, left by bench/measure.py), and locust headless with 50 users mixing the benchmark
   pages for a bounded time (it stops by itself). Reports errors (target 0) and latency percentiles.

Prints one line per figure and writes bench/output/extras.json.
"""

import argparse
import csv
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bench" / "output"
PY = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
IMPORT_DB = "tremplin_bench_import"
LOAD_DB = "tremplin_bench_large"
TARGET_PDF_S = 20
TARGET_IMPORT_S = 15  # issue 20


def _env(database):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"{PG}/{database}",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        }
    )
    return env


def recreate_database(name):
    import psycopg

    with psycopg.connect(f"{PG.replace('postgres://', 'postgresql://')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# --- 1. Bilan PDF -------------------------------------------------------------------------------------------


def bench_pdf(participants):
    started = time.perf_counter()
    completed = subprocess.run(
        [PY, str(ROOT / "bench" / "bilan_pdf.py"), "--participants", str(participants)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    out = completed.stdout
    total = re.search(r"TOTAL ([\d.]+) s", out)
    pdf = re.search(r"PDF\s+: ([\d.]+) s, (\d+) requêtes", out)
    compute = re.search(r"compute\(\) : ([\d.]+) s, (\d+) requêtes", out)
    result = {
        "participants": participants,
        "returncode": completed.returncode,
        "total_s": float(total.group(1)) if total else None,
        "pdf_s": float(pdf.group(1)) if pdf else None,
        "pdf_queries": int(pdf.group(2)) if pdf else None,
        "compute_s": float(compute.group(1)) if compute else None,
        "compute_queries": int(compute.group(2)) if compute else None,
        "wall_s": round(time.perf_counter() - started, 1),
    }
    result["ok"] = bool(result["total_s"] is not None and result["total_s"] < TARGET_PDF_S)
    if completed.returncode:
        result["stderr"] = completed.stderr[-2000:]
    return result


# --- 2. Import of 10 000 rows -------------------------------------------------------------------------------

NOMS = ["Lefèvre", "Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Simon", "N'Diaye", "Öztürk"]
PRENOMS = ["Léa", "Emma", "Inès", "Chloé", "Lucas", "Hugo", "Nathan", "Yanis", "Maëlys", "Anaïs"]


def write_import_csv(path, rows, seed=2026):
    rng = random.Random(seed)
    headers = [
        "reference",
        "nom",
        "prenom",
        "sexe",
        "date_naissance",
        "date_reperage",
        "origine",
        "telephone",
        "email",
        "statut_entree",
        "diplome",
        "date_entree",
        "date_sortie",
        "situation_sortie",
    ]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(headers)
        people = set()  # one row per person: the import refuses the same person under two references
        for i in range(rows):
            while True:
                nom, prenom = rng.choice(NOMS), rng.choice(PRENOMS)
                naissance = date(1999, 1, 1) + timedelta(days=rng.randrange(0, 365 * 8))
                if (nom, prenom, naissance) not in people:
                    people.add((nom, prenom, naissance))
                    break
            reperage = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 300))
            entree = reperage + timedelta(days=rng.randrange(0, 30))
            sortie = entree + timedelta(days=rng.randrange(30, 200)) if i % 3 == 0 else None
            writer.writerow(
                [
                    f"IMP{i:06d}",
                    nom,
                    prenom,
                    rng.choice("FH"),
                    naissance.strftime("%d/%m/%Y"),
                    reperage.strftime("%d/%m/%Y"),
                    rng.choice(["aller-vers", "spontané"]),
                    f"06{i:08d}",  # distinct: a shared phone number also flags a likely duplicate
                    f"jeune{i}@exemple.test",
                    "chomeur",
                    "cap_bep",
                    entree.strftime("%d/%m/%Y"),
                    sortie.strftime("%d/%m/%Y") if sortie else "",
                    "emploi_cdi" if sortie else "",
                ]
            )


def bench_import(rows):
    recreate_database(IMPORT_DB)
    env = _env(IMPORT_DB)
    subprocess.run([PY, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    setup = (
        "from datetime import date\n"
        "from core.models import Organisation\n"
        "from funding.models import Operation\n"
        "org = Organisation.objects.create(nom='Porteur import', sigle='IMP', kind='porteur')\n"
        "Operation.objects.create(organisation=org, code='IMPBENCH', intitule='Import bench', programme='fse_plus',"
        " date_debut=date(2024, 1, 1), date_fin=date(2027, 12, 31), age_min=16, age_max=29)\n"
    )
    subprocess.run([PY, "manage.py", "shell", "-c", setup], cwd=ROOT, env=env, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "participants.csv"
        write_import_csv(path, rows)
        started = time.perf_counter()
        completed = subprocess.run(
            [PY, "manage.py", "import_participants", str(path), "--operation", "IMPBENCH"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
    count = (
        subprocess.run(
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                "from youth.models import Participation\n"
                "print(Participation.objects.filter(operation__code='IMPBENCH').count())",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        .stdout.strip()
        .splitlines()[-1:]
    )  # Django's shell prints its auto-imports first
    count = count[0] if count else ""
    result = {
        "rows": rows,
        "seconds": round(seconds, 1),
        "returncode": completed.returncode,
        "created": int(count) if count.isdigit() else None,
        "summary": completed.stdout.strip().splitlines()[-1:] or completed.stderr.strip().splitlines()[-3:],
    }
    result["ok"] = completed.returncode == 0 and result["created"] == rows and seconds < TARGET_IMPORT_S
    return result


# --- 3. Load test -------------------------------------------------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load_targets(database):
    """Session cookies of the benchmark users and the URLs each one visits (written for the locustfile)."""
    script = (
        "import json\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "import bench.pages as pages\n"
        "targets = []\n"
        "for name, user, url in pages.pages():\n"
        "    if url is None:\n"
        "        continue\n"
        "    client = Client()\n"
        "    client.force_login(user)\n"
        "    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value\n"
        "    name_ = settings.SESSION_COOKIE_NAME\n"
        "    targets.append({'name': name, 'url': url, 'cookie': cookie, 'cookie_name': name_})\n"
        "print('TARGETS=' + json.dumps(targets))\n"
    )
    completed = subprocess.run(
        [PY, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=_env(database),
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in completed.stdout.splitlines() if x.startswith("TARGETS="))
    return json.loads(line[len("TARGETS=") :])


def _wait_for(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def bench_load(users, spawn_rate, run_time, database=LOAD_DB):
    targets = _load_targets(database)
    port = _free_port()
    tmp = Path(tempfile.mkdtemp(prefix="tremplin-load-"))
    (tmp / "targets.json").write_text(json.dumps(targets))
    gunicorn = Path(PY).parent / "gunicorn"
    if gunicorn.exists():  # as in production (Dockerfile): one worker per core
        command = [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
        # keep-alive longer than the users' think time (1-3 s): a connection closed by the server just as the
        # client reuses it would count as an error that has nothing to do with the application.
        command += ["--threads", "4", "--keep-alive", "10", "--timeout", "120", "--access-logfile", "-"]
    else:
        command = [PY, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    server = subprocess.Popen(  # noqa: S603 - fixed arguments, loopback only
        command,
        cwd=ROOT,
        env=_env(database),
        stdout=open(tmp / "server.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        if not _wait_for(port):
            return {
                "ok": False,
                "error": "le serveur n'a pas démarré",
                "log": (tmp / "server.log").read_text()[-2000:],
            }
        env = dict(os.environ, TREMPLIN_LOAD_TARGETS=str(tmp / "targets.json"))
        completed = subprocess.run(
            [
                str(Path(PY).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(users),
                "-r",
                str(spawn_rate),
                "--run-time",
                run_time,
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(tmp / "load"),
                "--only-summary",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    with open(tmp / "load_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    per_page = {}
    aggregated = {}
    for row in rows:
        figures = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
            "max_ms": round(float(row["Max Response Time"])),
            "rps": round(float(row["Requests/s"]), 1),
        }
        if row["Name"] == "Aggregated":
            aggregated = figures
        else:
            per_page[row["Name"]] = figures
    result = {
        "server": Path(command[0]).name,
        "users": users,
        "spawn_rate": spawn_rate,
        "run_time": run_time,
        "locust_returncode": completed.returncode,
        "aggregated": aggregated,
        "pages": per_page,
        "load_average": os.getloadavg(),
    }
    result["ok"] = bool(aggregated) and aggregated["failures"] == 0
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["pdf", "import", "load"], action="append")
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--run-time", default="60s")
    args = parser.parse_args()
    wanted = args.only or ["pdf", "import", "load"]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    results = {"load_average_start": os.getloadavg()}
    if "pdf" in wanted:
        results["pdf"] = bench_pdf(args.participants)
        r = results["pdf"]
        print(
            f"Bilan PDF {r['participants']} participants : {r['total_s']} s "
            f"(compute {r['compute_s']} s / {r['compute_queries']} req., PDF {r['pdf_s']} s / {r['pdf_queries']} req.)"
            f" — cible < {TARGET_PDF_S} s : {'OK' if r['ok'] else 'NON ATTEINT'}"
        )
    if "import" in wanted:
        results["import"] = bench_import(args.rows)
        r = results["import"]
        print(
            f"import_participants {r['rows']} lignes : {r['seconds']} s, {r['created']} participations créées"
            f" — cible < {TARGET_IMPORT_S} s : {'OK' if r['ok'] else 'NON ATTEINT'}"
        )
    if "load" in wanted:
        results["load"] = bench_load(args.users, args.spawn_rate, args.run_time)
        r = results["load"]
        a = r.get("aggregated") or {}
        print(
            f"Charge ({r.get('server')}) {r.get('users')} util. {r.get('run_time')} : {a.get('requests')} req., "
            f"{a.get('failures')} erreurs, {a.get('rps')} req/s, médiane {a.get('median_ms')} ms, "
            f"p95 {a.get('p95_ms')} ms, p99 {a.get('p99_ms')} ms, max {a.get('max_ms')} ms"
            f" — 0 erreur : {'OK' if r['ok'] else 'NON ATTEINT'}"
        )
        for name, p in r.get("pages", {}).items():
            print(
                f"  {name:<24} {p['requests']:>6} req. {p['failures']:>3} err. méd. {p['median_ms']} p95 {p['p95_ms']}"
            )
    (OUTPUT / "extras.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0 if all(results[k]["ok"] for k in wanted) else 1


if __name__ == "__main__":
    sys.exit(main())
