#!/bin/sh
# PostgreSQL backups of Tremplin (docs/exploitation.md, "Sauvegarde et restauration").
#   scripts/backup.sh once       one dump now: $BACKUP_DIR/tremplin-AAAAMMJJTHHMMSSZ.dump, then retention
#   scripts/backup.sh schedule   a dump at start, then one every BACKUP_INTERVAL seconds (the compose service)
# Connection: DATABASE_URL (postgres://user:password@host:port/name), else the usual PGHOST/PGUSER/… variables.
# BACKUP_DIR (/backups), BACKUP_KEEP (14: the newest dumps kept), BACKUP_INTERVAL (86400).
# MEDIA_DIR (unset): when set, the uploaded files are archived too, as tremplin-….media.tar.gz beside the dump.
# The dump is pg_dump's custom format (compressed, restored with scripts/restore.sh or pg_restore). It is written
# as .partial and renamed when complete, so a failed or interrupted dump is never taken for a backup, and the
# retention counts complete dumps only: a week of failures does not delete the last good ones.
set -eu
BACKUP_DIR=${BACKUP_DIR:-/backups}
BACKUP_KEEP=${BACKUP_KEEP:-14}
BACKUP_INTERVAL=${BACKUP_INTERVAL:-86400}

log() { printf '{"time": "%s", "level": "%s", "logger": "backup", "message": "%s"}\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" "$2"; }

backup_once() {
  mkdir -p "$BACKUP_DIR"
  target="$BACKUP_DIR/tremplin-$(date -u +%Y%m%dT%H%M%SZ).dump"
  if [ -n "${DATABASE_URL:-}" ]; then
    set -- --dbname="$DATABASE_URL"
  else
    set --
  fi
  if ! pg_dump --format=custom --no-owner --no-privileges --file="$target.partial" "$@"; then
    rm -f "$target.partial"
    log ERROR "pg_dump a échoué : aucune sauvegarde écrite"
    return 1
  fi
  mv "$target.partial" "$target"
  log INFO "sauvegarde écrite : $target ($(wc -c <"$target") octets)"
  if [ -n "${MEDIA_DIR:-}" ]; then
    media="${target%.dump}.media.tar.gz"
    if tar -czf "$media.partial" -C "$MEDIA_DIR" .; then
      mv "$media.partial" "$media"
      log INFO "fichiers déposés archivés : $media ($(wc -c <"$media") octets)"
    else
      rm -f "$media.partial"
      log ERROR "archive des fichiers déposés en échec"
    fi
  fi
  # Retention: keep the BACKUP_KEEP newest complete dumps and archives (names sort by date).
  for pattern in 'tremplin-*.dump' 'tremplin-*.media.tar.gz'; do
    find "$BACKUP_DIR" -maxdepth 1 -type f -name "$pattern" | sort -r | tail -n +"$((BACKUP_KEEP + 1))" |
      while read -r old; do
        rm -f "$old" && log INFO "sauvegarde supprimée (rétention $BACKUP_KEEP) : $old"
      done
  done
}

case "${1:-once}" in
  once) backup_once ;;
  schedule)
    while :; do
      backup_once || true  # logged; the next attempt comes at the next interval
      sleep "$BACKUP_INTERVAL"
    done
    ;;
  *) echo "usage: $0 once|schedule" >&2; exit 2 ;;
esac
