"""A restore of a dump gives the same bilan figures (docs/exploitation.md, "Sauvegarde et restauration").

The dump and the restore go through scripts/backup.sh and scripts/restore.sh, the commands the compose ``backup``
service and the operator use; the figures come from ``manage.py bilan --format json`` run on each database.
Needs PostgreSQL's client binaries (pg_dump, pg_restore, psql) of the server's major version or newer.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from funding.models import Operation


ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("pg_dump", "pg_restore", "psql")


def database_url(name):
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def pg_tools():
    if connection.vendor != "postgresql":
        pytest.skip("sauvegarde/restauration : la base de test n'est pas PostgreSQL")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"sauvegarde/restauration : {', '.join(missing)} introuvable(s) (paquet postgresql-client)")
    client = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=True).stdout
    client_major = int(re.search(r"(\d+)", client).group(1))
    server_major = connection.cursor().connection.info.server_version // 10000
    if client_major < server_major:
        pytest.skip(f"sauvegarde/restauration : pg_dump {client_major} ne sait pas lire un serveur {server_major}")


@pytest.fixture
def restored_database(pg_tools):
    name = f"{connection.settings_dict['NAME']}_restauree"
    admin = database_url("postgres")

    def psql(sql):
        subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True, capture_output=True)

    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(*command, **env):
    completed = subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False, timeout=300
    )
    assert completed.returncode == 0, f"{command} a échoué :\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


def bilan(url, code, du, au):
    out = run(
        sys.executable, "manage.py", "bilan", "--operation", code, "--du", du, "--au", au, "--format", "json",
        DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.test",
    )  # fmt: skip
    return json.loads(out)


def sequence_state(url, table):
    """Highest id and the id sequence's position: a restore that loses the sequence would reuse ids."""
    sql = f"SELECT max(id), (SELECT last_value FROM {table}_id_seq) FROM {table}"
    return run("psql", url, "-v", "ON_ERROR_STOP=1", "-Atc", sql).strip()


@pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads from its own connection
def test_a_restored_dump_gives_the_same_bilan_figures(restored_database, tmp_path):
    # The whole demo (580 jeunes, diagnostics, ateliers, immersions, history): every table has rows to restore.
    call_command("seed_demo", stdout=StringIO())
    original = database_url(connection.settings_dict["NAME"])
    periods = [
        (operation.code, operation.date_debut.isoformat(), operation.date_fin.isoformat())
        for operation in Operation.objects.order_by("code")
    ]
    periods.append(("NOE", "2017-01-01", "2017-12-31"))
    before = [bilan(original, *period) for period in periods]
    assert all(figures["entrees"] > 0 and figures["sorties"] > 0 for figures in before)

    run("sh", "scripts/backup.sh", "once", DATABASE_URL=original, BACKUP_DIR=str(tmp_path))
    [dump] = tmp_path.glob("tremplin-*.dump")
    run("sh", "scripts/restore.sh", str(dump), DATABASE_URL=restored_database)

    after = [bilan(restored_database, *period) for period in periods]
    assert after == before
    for table in ("youth_jeune", "youth_participation", "core_user"):
        assert sequence_state(restored_database, table) == sequence_state(original, table)


@pytest.mark.django_db
def test_backup_retention_keeps_the_newest_complete_dumps(pg_tools, tmp_path):
    for day in range(1, 6):
        (tmp_path / f"tremplin-2020010{day}T030000Z.dump").write_bytes(b"ancienne")
    (tmp_path / "tremplin-20991231T030000Z.dump.partial").write_bytes(b"interrompue")
    original = database_url(connection.settings_dict["NAME"])
    run("sh", "scripts/backup.sh", "once", DATABASE_URL=original, BACKUP_DIR=str(tmp_path), BACKUP_KEEP="3")
    names = sorted(path.name for path in tmp_path.glob("tremplin-*.dump"))
    assert names[:2] == ["tremplin-20200104T030000Z.dump", "tremplin-20200105T030000Z.dump"]
    assert len(names) == 3  # the two newest old ones and today's
    assert (tmp_path / "tremplin-20991231T030000Z.dump.partial").exists()  # not counted, not deleted


@pytest.mark.django_db
def test_backup_archives_the_uploaded_files_when_asked(pg_tools, tmp_path):
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "piece.pdf").write_bytes(b"%PDF-1.4 test")
    backups = tmp_path / "sauvegardes"
    original = database_url(connection.settings_dict["NAME"])
    run("sh", "scripts/backup.sh", "once", DATABASE_URL=original, BACKUP_DIR=str(backups), MEDIA_DIR=str(media))
    [archive] = backups.glob("tremplin-*.media.tar.gz")
    with tarfile.open(archive) as tar:
        assert "./documents/piece.pdf" in tar.getnames()


def test_restore_refuses_to_run_without_a_target_database(tmp_path):
    dump = tmp_path / "tremplin.dump"
    dump.write_bytes(b"")
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "PGDATABASE")}
    completed = subprocess.run(
        ["sh", "scripts/restore.sh", str(dump)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 2
    assert "précisez la base cible" in completed.stderr
