# Quick start: `make run` serves the site at http://127.0.0.1:8000 (PORT=... to change),
# `make test` runs the whole suite. Both create .venv with the python3 you run them with.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint install install-dev clean bench

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
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles node_modules test-artifacts

# Pages against a static file on gunicorn, loopback only, ~3 minutes; writes BENCHMARKS.md.
# Not part of `make test`. Uses wrk when installed (apt-get install wrk).
bench: install-dev
	$(PY) -m bench.run
