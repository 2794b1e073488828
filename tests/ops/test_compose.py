"""docker-compose.yml: the scheduled backup, migrations run once, one beat (full validation:
scripts/compose-check.sh runs `docker-compose config`)."""

from pathlib import Path

import yaml


COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def test_backup_service_dumps_on_a_schedule_into_a_volume():
    backup = SERVICES["backup"]
    assert backup["command"] == ["sh", "/scripts/backup.sh", "schedule"]
    assert "backups:/backups" in backup["volumes"]
    assert "media:/media:ro" in backup["volumes"]
    assert backup["environment"]["BACKUP_KEEP"] == "${BACKUP_KEEP:-14}"
    assert backup["depends_on"]["db"]["condition"] == "service_healthy"
    assert "backups" in COMPOSE["volumes"]


def test_migrations_run_once_before_the_app_containers():
    assert SERVICES["migrate"]["command"] == "python manage.py migrate --noinput"
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "migrate" not in SERVICES[name]["command"]


def test_the_app_containers_share_the_settings_and_log_in_json():
    for name in ("web", "worker", "beat", "migrate"):
        environment = SERVICES[name]["environment"]
        assert environment["DATABASE_URL"] == SERVICES["backup"]["environment"]["DATABASE_URL"]
        assert "LOG_FORMAT" not in environment  # json, the default
    assert "config/gunicorn.py" in SERVICES["web"]["command"]
