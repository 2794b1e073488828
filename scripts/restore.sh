#!/bin/sh
# Restore a dump of scripts/backup.sh into an EMPTY database (docs/exploitation.md, "Restaurer").
#   DATABASE_URL=postgres://user:password@host:port/name scripts/restore.sh /backups/tremplin-….dump
# Stop web, worker and beat first; afterwards run `python manage.py migrate` (a no-op if the code is the same
# version as the dump) and start them again. One transaction: on any error nothing is restored.
set -eu
[ $# -eq 1 ] || { echo "usage: DATABASE_URL=… $0 FICHIER.dump" >&2; exit 2; }
[ -f "$1" ] || { echo "sauvegarde introuvable : $1" >&2; exit 2; }
# Without a target database pg_restore would print SQL instead of restoring: require one.
if [ -n "${DATABASE_URL:-}" ]; then
  set -- --dbname="$DATABASE_URL" "$1"
elif [ -n "${PGDATABASE:-}" ]; then
  set -- --dbname="$PGDATABASE" "$1"
else
  echo "précisez la base cible : DATABASE_URL=postgres://… (ou PGDATABASE)" >&2
  exit 2
fi
exec pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "$@"
