# SchemaJoy: `make demo` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The local services the test suite uses (override to point elsewhere).
export SCHEMAJOY_TEST_PG ?= postgresql://postgres@127.0.0.1:5432/postgres
export SCHEMAJOY_TEST_MYSQL ?= mysql://root@127.0.0.1:3306/mysql
export SCHEMAJOY_TEST_REDIS ?= redis://127.0.0.1:6379/15

.PHONY: demo test lint bench worker beat serve install system-deps browser-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(STAMP)

# Debian packages: graphviz draws the ERDs; chromium runs the browser tests.
system-deps:
	@command -v dot >/dev/null || { echo "Installing graphviz (Debian package)…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq graphviz >/dev/null; }

browser-deps: system-deps
	@command -v chromium >/dev/null || { echo "Installing chromium (Debian package)…"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

demo: $(STAMP) system-deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py demo --url http://$(HOST):$(PORT)/
	# DEBUG off: friendly error pages; WhiteNoise serves the collected static files.
	DEBUG=0 $(PY) manage.py runserver $(HOST):$(PORT)

serve: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver $(HOST):$(PORT)

# mypy: files and options in pyproject.toml ([tool.mypy]); incremental, cached in .mypy_cache.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The whole suite, against the real local PostgreSQL (SchemaJoy's own data and
# targets), MariaDB, Redis (a real Celery worker) and Chromium.
test: $(STAMP) browser-deps lint
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/schemajoy $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/schemajoy REDIS_URL=$(SCHEMAJOY_TEST_REDIS) \
	  $(PY) -m pytest

bench: $(STAMP) system-deps
	$(PY) bench/run.py

worker: $(STAMP)
	$(VENV)/bin/celery -A schemajoy_site worker -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A schemajoy_site beat -l info --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
