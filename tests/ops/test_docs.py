"""docs/exploitation.md lists every setting read from the environment, with its default."""

import re
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "exploitation.md").read_text(encoding="utf-8")
SOURCES = [*sorted((ROOT / "config" / "settings").glob("*.py")), ROOT / "config" / "gunicorn.py"]
SETTING = re.compile(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']|os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def documented_rows():
    return {match.group(1) for match in re.finditer(r"^\| `([A-Z][A-Z0-9_]+)`", DOC, flags=re.MULTILINE)}


def test_every_environment_setting_has_a_row_in_the_settings_table():
    read = {
        name for path in SOURCES for match in SETTING.finditer(path.read_text()) for name in match.groups() if name
    }
    assert len(read) > 30
    assert read - documented_rows() == set()


def test_every_backup_setting_is_documented():
    script = (ROOT / "scripts" / "backup.sh").read_text()
    read = set(re.findall(r"\$\{([A-Z_]+):-", script))
    assert {"BACKUP_DIR", "BACKUP_KEEP", "BACKUP_INTERVAL", "MEDIA_DIR"} <= read
    assert read - documented_rows() - {"DATABASE_URL"} == set()
