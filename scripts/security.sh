#!/usr/bin/env bash
# Security checks for CI: static analysis (bandit), known vulnerabilities in dependencies (pip-audit),
# Django's deployment checklist with production settings, and the security test suite.
# Usage: bash scripts/security.sh   (pip-audit needs its vulnerability data: scripts/audit.py)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
APPS="config core home privacy youth outreach diagnostics workshops employers funding expenses aids reports"

echo "== bandit"
"$VENV/bin/bandit" -q -c pyproject.toml -r $APPS

echo "== pip-audit (lock files)"
"$VENV/bin/python" scripts/audit.py

echo "== manage.py check --deploy (production settings)"
DJANGO_SETTINGS_MODULE=config.settings.prod DEBUG=false HTTPS_ONLY=true ALLOWED_HOSTS=tremplin.example \
  SECRET_KEY="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(64))')" \
  "$VENV/bin/python" manage.py check --deploy --fail-level WARNING

echo "== security tests"
DJANGO_SETTINGS_MODULE=config.settings.test \
  DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tremplin} \
  "$VENV/bin/python" -m pytest tests/security -q -p no:xdist ${PYTEST_ARGS:-}
