"""scripts/audit.py tells a known vulnerability (exit 1) from vulnerability data it could not reach (warning)."""

import importlib.util
from pathlib import Path

import pytest


SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit.py"
spec = importlib.util.spec_from_file_location("tremplin_audit", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

CLEAN = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}
VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.1", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"]}]},
        {"name": "redis", "version": "8.1.0", "vulns": []},
    ],
    "fixes": [],
}
# What pip-audit writes (with exit code 0 and "No known vulnerabilities found") when a PyPI mirror has no
# per-release JSON: every package skipped.
ALL_SKIPPED = {
    "dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"}
    ],
    "fixes": [],
}


@pytest.fixture
def fake_pip_audit(monkeypatch):
    results = []

    def run(locks):
        return results.pop(0) if len(results) > 1 else results[0]

    monkeypatch.setattr(audit, "run_pip_audit", run)
    return results


def test_clean_report_passes(fake_pip_audit, capsys):
    fake_pip_audit.append((CLEAN, ""))
    assert audit.main([]) == 0
    assert "1 paquets verrouillés audités, aucune vulnérabilité connue" in capsys.readouterr().out


def test_known_vulnerability_fails(fake_pip_audit, capsys):
    fake_pip_audit.append((VULNERABLE, ""))
    assert audit.main([]) == 1
    assert "django 5.2.1 : PYSEC-2025-1 (corrigé dans : 5.2.2)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("report", "error"),
    [(ALL_SKIPPED, ""), (None, "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev')")],
)
def test_unreachable_data_warns_and_fails_only_when_strict(fake_pip_audit, capsys, monkeypatch, report, error):
    fake_pip_audit.append((report, error))
    assert audit.main([]) == 0
    out = capsys.readouterr().out
    assert "!! AVERTISSEMENT : l'audit des dépendances N'A PAS PU ÊTRE FAIT entièrement." in out
    assert "No known vulnerabilities" not in out
    monkeypatch.setenv("AUDIT_STRICT", "1")
    assert audit.main([]) == 2


def test_transient_failure_is_retried_once(fake_pip_audit):
    fake_pip_audit.extend([(None, "ConnectionError"), (CLEAN, "")])
    assert audit.main([]) == 0
