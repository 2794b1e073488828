#!/usr/bin/env bash
# Load test: gunicorn on a benchmark database, locust headless. Workers and threads as in production
# (config/gunicorn.py: WEB_CONCURRENCY=3 sync workers) unless WORKERS / THREADS say otherwise.
#
#   bench/load.sh                      # 50 users, 10 minutes, on tremplin_bench_one (left by bench/one_org.py)
#   USERS=50 DURATION=2m DATABASE=tremplin_bench_one bench/load.sh
#
# Writes bench/output/load-<date>_stats.csv (locust), load-<date>-server.<pid>.csv (CPU and SQL time of each
# request, bench/gunicorn_conf.py) and load-<date>.json (the summary printed at the end). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS="${USERS:-50}"
SPAWN_RATE="${SPAWN_RATE:-10}"
DURATION="${DURATION:-10m}"
DATABASE="${DATABASE:-tremplin_bench_one}"
PORT="${PORT:-8765}"
WORKERS="${WORKERS:-3}"
THREADS="${THREADS:-1}"
PY="${PY:-.venv/bin/python}"
BIN="$(dirname "$PY")"
OUT="bench/output"
mkdir -p "$OUT"
PREFIX="$OUT/load-$(date -u +%Y%m%dT%H%M%S)"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.test}"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DATABASE"
export ALLOWED_HOSTS="127.0.0.1,localhost,testserver"
export CONN_MAX_AGE=60
# Sessions must be readable by every worker: a shared cache (Redis) if given, else the database alone.
if [ -n "${CACHE_URL:-}" ]; then export CACHE_URL; fi

echo "machine: $(nproc) cœurs, charge avant : $(cut -d' ' -f1-3 /proc/loadavg); gunicorn $WORKERS × $THREADS"
"$PY" bench/load_targets.py > "$PREFIX-targets.json"
TREMPLIN_REQUEST_LOG="$PREFIX-server" "$BIN/gunicorn" config.wsgi:application -c bench/gunicorn_conf.py \
  --bind "127.0.0.1:$PORT" --workers "$WORKERS" --threads "$THREADS" --keep-alive 10 --timeout 120 >"$PREFIX-gunicorn.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  sleep 0.5
done
TREMPLIN_LOAD_TARGETS="$PREFIX-targets.json" "$BIN/locust" -f bench/locustfile.py --headless -u "$USERS" \
  -r "$SPAWN_RATE" --run-time "$DURATION" --stop-timeout 10 --host "http://127.0.0.1:$PORT" --csv "$PREFIX" \
  --only-summary >"$PREFIX-locust.log" 2>&1 || true
echo "charge après : $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" bench/load_summary.py "$PREFIX" "$PREFIX-targets.json" "$PREFIX.json"
