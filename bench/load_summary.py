"""Summarise a bench/load.sh run: locust's CSV (req/s, p50/p95/p99, errors per page) next to what the server
measured for the same pages (median CPU per request and median time of its SQL alone, gunicorn_conf.py hooks)."""

import csv
import glob
import json
import statistics
import sys


def main(prefix, targets_path, out_path):
    targets = json.load(open(targets_path, encoding="utf-8"))  # noqa: SIM115
    name_of = {t["url"]: t["name"] for t in targets}
    server = {}
    for path in glob.glob(f"{prefix}-server.*.csv"):
        for row in csv.reader(open(path, encoding="utf-8")):  # noqa: SIM115
            url, status, wall, cpu, sql, queries = row
            name = name_of.get(url.replace("%2C", ","))
            if name:
                server.setdefault(name, []).append((float(wall), float(cpu), float(sql), int(queries)))
    pages = {}
    aggregated = {}
    for row in csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")):  # noqa: SIM115
        figures = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 2),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
        }
        if row["Name"] == "Aggregated":
            aggregated = figures
            continue
        samples = server.get(row["Name"], [])
        if samples:
            figures["server_wall_median_ms"] = round(statistics.median(s[0] for s in samples), 1)
            figures["cpu_median_ms"] = round(statistics.median(s[1] for s in samples), 1)
            figures["sql_median_ms"] = round(statistics.median(s[2] for s in samples), 1)
            figures["queries"] = samples[-1][3]
            floor = 3 * figures["sql_median_ms"] + 30
            figures["cpu_within_3x_sql_plus_30"] = figures["cpu_median_ms"] <= floor
        pages[row["Name"]] = figures
    result = {"aggregated": aggregated, "pages": pages}
    json.dump(result, open(out_path, "w", encoding="utf-8"), indent=2, ensure_ascii=False)  # noqa: SIM115
    print(
        f"total: {aggregated.get('requests')} req., {aggregated.get('failures')} erreurs, {aggregated.get('rps')} "
        f"req/s, p50 {aggregated.get('p50_ms')} p95 {aggregated.get('p95_ms')} p99 {aggregated.get('p99_ms')} ms"
    )
    print("| page | req. | err. | p50 | p95 | p99 | CPU méd. | SQL méd. | req. SQL |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, p in pages.items():
        print(
            f"| {name} | {p['requests']} | {p['failures']} | {p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} | "
            f"{p.get('cpu_median_ms', '—')} | {p.get('sql_median_ms', '—')} | {p.get('queries', '—')} |"
        )


if __name__ == "__main__":
    main(*sys.argv[1:4])
