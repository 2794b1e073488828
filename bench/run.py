"""Tremplin benchmark, one command: `make bench` (or `python bench/run.py`).

1. Seeds a small (1 %) and a full territory-scale database (200 organisations, 2 000 users, 100 000 youth,
   2 000 000 entretiens) on PostgreSQL, and measures the main pages on both: median and p95 server time and
   number of queries, then the ratio large/small.
2. Bilan PDF for 5 000 participants, `import_participants` of 10 000 rows, and a bounded load test
   (50 concurrent users on 127.0.0.1) — each when its piece is present.

Figures are printed and written to bench/output/results.json; bench/RESULTS.md records them by hand.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bench" / "output"
PY = sys.executable
TARGET_P95_MS = 150
TARGET_RATIO = 1.5


def run_scale(database, scale, reuse):
    out = OUTPUT / f"{database}.json"
    cmd = [PY, str(ROOT / "bench" / "measure.py"), "--database", database, "--scale", str(scale), "--output", str(out)]
    if reuse:
        cmd.append("--reuse")
    subprocess.run(cmd, check=True, cwd=ROOT)
    return json.loads(out.read_text())


def report(small, large):
    lines = [
        f"{'page':<22} {'petit méd.':>10} {'petit p95':>10} {'req.':>5} {'grand méd.':>10} {'grand p95':>10} "
        f"{'req.':>5} {'ratio p95':>9}  cibles"
    ]
    ok_all = True
    for name, s in small["pages"].items():
        g = large["pages"].get(name, {})
        if "skipped" in s or "skipped" in g:
            lines.append(f"{name:<22} (page absente)")
            continue
        ratio = g["p95_ms"] / s["p95_ms"] if s["p95_ms"] else float("inf")
        ok = g["p95_ms"] < TARGET_P95_MS and ratio < TARGET_RATIO and s["queries"] == g["queries"]
        ok = ok and s["status"] == g["status"] == 200
        ok_all &= ok
        lines.append(
            f"{name:<22} {s['median_ms']:>10} {s['p95_ms']:>10} {s['queries']:>5} {g['median_ms']:>10} "
            f"{g['p95_ms']:>10} {g['queries']:>5} {ratio:>9.2f}  {'OK' if ok else 'NON ATTEINT'}"
        )
    return "\n".join(lines), ok_all


def main():
    parser = argparse.ArgumentParser(description="Benchmark Tremplin")
    parser.add_argument("--small-scale", type=float, default=0.01)
    parser.add_argument("--large-scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="Reuse the seeded databases of a previous run")
    parser.add_argument("--skip-extra", action="store_true", help="Pages only (no PDF/import/load test)")
    args = parser.parse_args()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    small = run_scale("tremplin_bench_small", args.small_scale, args.reuse)
    large = run_scale("tremplin_bench_large", args.large_scale, args.reuse)
    table, ok = report(small, large)
    print(f"\nSeed petit : {small.get('seed')}\nSeed grand : {large.get('seed')}")
    print(f"Charge machine (1, 5, 15 min) : petit {small.get('load_average')}, grand {large.get('load_average')}\n")
    print(table)
    results = {"small": small, "large": large, "pages_ok": ok}
    if not args.skip_extra:
        extras = ROOT / "bench" / "extras.py"
        if extras.exists():
            completed = subprocess.run([PY, str(extras)], cwd=ROOT, capture_output=True, text=True)
            print(completed.stdout)
            if completed.returncode:
                print(completed.stderr, file=sys.stderr)
    (OUTPUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(
        "\nToutes les cibles de pages atteintes."
        if ok
        else "\nCertaines cibles ne sont pas atteintes (voir plus haut)."
    )


if __name__ == "__main__":
    main()
