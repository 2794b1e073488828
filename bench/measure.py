"""Measure the main pages on one database: seed it at a scale, then time each page in-process.

Called by bench/run.py (one process per scale, each on its own PostgreSQL database):

    python bench/measure.py --database tremplin_bench_small --scale 0.01 --output small.json
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

REPEAT = 40
WARMUP = 5


def recreate_database(name):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, status = [], None, None
    for i in range(WARMUP + REPEAT):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        status = response.status_code
        if i >= WARMUP:
            timings.append(elapsed)
            queries = len(ctx.captured_queries)
    return {
        "url": url,
        "status": status,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "queries": queries,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--reuse", action="store_true", help="Reuse an already seeded database.")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    if not args.reuse:
        recreate_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    import bench.pages as pages
    from bench.seed_scale import seed

    result = {"database": args.database, "scale": args.scale, "load_average": os.getloadavg()}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)  # also on a reused database: migrations added since it was seeded
    result["migrate_s"] = round(time.perf_counter() - started, 1)
    if not args.reuse:
        result["seed"] = seed(args.scale, stdout=lambda m: print(m, file=sys.stderr))
    result["pages"] = {}
    for name, user, url in pages.pages():
        if url is None:
            result["pages"][name] = {"skipped": "page absente"}
            continue
        client = Client()
        client.force_login(user)
        result["pages"][name] = measure(client, url)
        print(f"  {name}: {result['pages'][name]}", file=sys.stderr)
    Path(args.output).write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
