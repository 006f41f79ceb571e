# ciapp — the two commands of the quick start are `make run` and `make test`.
# Everything else here is what those two are made of.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?=

FLASK := $(BIN)/flask --app ciapp
# Stable across restarts: generated into instance/secret_key on first use (never committed).
WITH_KEY := CIAPP_SECRET_KEY="$${CIAPP_SECRET_KEY:-$$(scripts/secret-key.sh)}"
export MPLCONFIGDIR ?= $(CURDIR)/.mplconfig
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.NOTPARALLEL:
.PHONY: help run test test-postgres install install-dev lock vendor pango db seed serve lint clean

help:
	@echo "make run            install, migrate and seed the SQLite database, serve http://$(HOST):$(PORT)"
	@echo "make test           install the dev tools and run the whole test suite (SQLite)"
	@echo "make test-postgres  the same suite against a throw-away PostgreSQL cluster"
	@echo "make lint           ruff, and bandit (no medium or high finding)"
	@echo "make lock           pin every dependency again (requirements*.lock) after pyproject.toml changes"
	@echo "make clean          remove .venv, node_modules, static/vendor (keeps instance/)"

run: install vendor pango db seed serve

test: install-dev vendor pango
	@scripts/ensure-chromium.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	scripts/with-postgres.sh $(MAKE) --no-print-directory test

# pip runs again only when pyproject.toml or a lock file changes (or the venv is new).
# Versions come from the lock files (pip-compile output, committed), so every install of a
# release gets the same packages; `make lock` writes them again after pyproject.toml changes.
install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -q -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install -q -c requirements-dev.lock -e '.[dev]'
	@touch $@ $(VENV)/.installed

LOCK := $(BIN)/pip-compile -q --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: install-dev
	$(LOCK) --output-file requirements.lock pyproject.toml
	$(LOCK) --extra dev --output-file requirements-dev.lock pyproject.toml

# htmx, pinned in package-lock.json; npm's postinstall copies it into static/vendor/.
# npm ci runs again only when the lock file (or package.json) changes, or static/vendor/ is
# gone: the stamp lives in static/vendor/, so removing that folder removes it too.
VENDOR_STAMP := static/vendor/.npm-ci
vendor: $(VENDOR_STAMP)

$(VENDOR_STAMP): package-lock.json package.json
	@command -v npm >/dev/null || { echo "npm is needed (Node.js 18+) to fetch htmx" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(@D) && touch $@

# Pango, which WeasyPrint needs for the A3's PDF (a Debian package, like Chromium).
pango:
	@scripts/ensure-pango.sh

db:
	$(WITH_KEY) $(FLASK) db upgrade

seed:
	$(WITH_KEY) $(FLASK) seed-demo

serve:
	@echo "ciapp: serving http://$(HOST):$(PORT) (Ctrl-C stops it)"
	$(WITH_KEY) $(FLASK) run --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check ciapp tests bench
	$(BIN)/bandit -q -r ciapp bench wsgi.py --severity-level medium

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .mplconfig
