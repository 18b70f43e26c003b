# Quick start: `make run` serves the site at http://127.0.0.1:8000 (PORT=... to change),
# `make test` runs the whole suite. Both create .venv with the python3 you run them with.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test test-fast lint messages install install-dev clean serve export test-postgres test-cluster bench

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(VENV)/.installed $@

# axe-core for the browser tests' accessibility checks, pinned by package-lock.json.
# Without npm those checks skip (say so here); in CI (CI=true) that is an error.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	elif [ "$$CI" = true ] || [ "$$CI" = 1 ]; then echo "npm is missing (apt-get install npm)" >&2; exit 1; \
	else echo "npm not found: the axe accessibility checks will be skipped (apt-get install npm)."; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loadseed --if-empty
	$(PY) manage.py ensure_admin
	@echo "Serving at http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compile_translations --check

test: lint
	$(PY) -m pytest

# The quick loop while editing: everything but the browser tests and the slow
# ones (large sites, servers, subprocesses), on TEST_WORKERS processes
# (pytest-xdist; TEST_WORKERS=0 runs in this one). `make test` stays the whole suite.
TEST_WORKERS ?= 2
test-fast: install-dev
	$(PY) -m pytest -m "not slow and not browser and not cluster" -q -n $(TEST_WORKERS)

# Translations: collect the strings (needs GNU gettext's xgettext), then compile
# in pure Python (polib). Both locale/*/django.po and .mo are committed.
LOCALES ?= de
messages: install-dev
	$(PY) manage.py makemessages $(foreach l,$(LOCALES),--locale $(l)) --no-obsolete \
		--ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*' --ignore 'test-artifacts/*'
	$(PY) manage.py compile_translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles node_modules test-artifacts

# Production mode on this machine: DEBUG off, static files collected and served
# by whitenoise, gunicorn (site_project/gunicorn.conf.py). With no
# DJANGO_SECRET_KEY, a random key is made once and kept in var/secret_key.
HOST ?= 127.0.0.1
SECRET_KEY_FILE ?= var/secret_key
SERVE_ENV = DJANGO_DEBUG=0 \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1,[::1]}" \
	DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
	DJANGO_SERVE_MEDIA="$${DJANGO_SERVE_MEDIA:-1}" \
	DJANGO_SECRET_KEY_FILE="$${DJANGO_SECRET_KEY_FILE:-$(SECRET_KEY_FILE)}"

serve: install
	@if [ -z "$$DJANGO_SECRET_KEY" ] && [ -z "$$DJANGO_SECRET_KEY_FILE" ] && [ ! -s $(SECRET_KEY_FILE) ]; then \
		mkdir -p $(dir $(SECRET_KEY_FILE)) && (umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $(SECRET_KEY_FILE)) && \
		echo "Generated a secret key in $(SECRET_KEY_FILE) (keep it; set DJANGO_SECRET_KEY to use your own)."; fi
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	@echo "Serving (DEBUG off) at http://$(HOST):$(PORT)/"
	$(SERVE_ENV) exec $(VENV)/bin/gunicorn -c site_project/gunicorn.conf.py --bind $(HOST):$(PORT)

# The public site as plain files: `make export OUT=public BASE_URL=https://me.github.io/site/`
OUT ?= public
BASE_URL ?=
export: install
	$(PY) manage.py export_site $(OUT) $(if $(BASE_URL),--base-url $(BASE_URL))

# The whole suite against PostgreSQL: DATABASE_URL=postgres://user:pw@host:5432/db
# (the user needs CREATEDB: the tests run in a fresh test_<db> database).
test-postgres: install-dev
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "make test-postgres needs DATABASE_URL=postgres://USER:PASSWORD@HOST:PORT/DBNAME," \
			"or run .ci/with-postgres make test-postgres to start a throwaway local server." >&2; exit 2;; esac
	$(PY) manage.py healthcheck
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

# Two gunicorn instances sharing PostgreSQL, Redis and MEDIA_ROOT (tests/cluster/):
# .ci/with-postgres make test-cluster (needs redis-server: apt-get install redis-server).
test-cluster: install-dev
	$(PY) -m pytest -m cluster tests/cluster

# Pages against a static file on gunicorn, loopback only, ~3 minutes; then a
# 500-entry BibTeX import (bench/bibtex_import.py). Both write BENCHMARKS.md.
# Not part of `make test`. Uses wrk when installed (apt-get install wrk).
bench: install-dev
	$(PY) -m bench.run
	$(PY) -m bench.bibtex_import
