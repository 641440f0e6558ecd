# The two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint format pytest pdf-deps browser-deps messages bench migrations clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) pdf-deps
	mkdir -p var
	$(BIN)/participation migrate
	$(BIN)/participation seed-demo
	$(BIN)/participation serve --host 127.0.0.1 --port 8000

# Pango (WeasyPrint lays out the report PDFs with it) and DejaVu (its Persian and Arabic letters).
pdf-deps:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -q DejaVuSans.ttf; } || { (apt-get update -q && apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core) >/dev/null || sudo apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

# Debian chromium and wrk, npm axe-core: only what the browser tests and bench need.
browser-deps: $(STAMP) pdf-deps
	@command -v chromium >/dev/null || { (apt-get update -q && apt-get install -y -q chromium) >/dev/null || sudo apt-get install -y -q chromium; }
	@test -f node_modules/axe-core/axe.min.js || npm install --no-audit --no-fund --silent

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy participation consultations petitions
	$(BIN)/lint-imports
	$(BIN)/pytest -q -p no:cacheprovider tests/test_shape.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

pytest: $(STAMP) browser-deps
	$(BIN)/pytest -q -p no:cacheprovider

test: lint pytest

# Regenerates the catalogues from the sources (keeps translations, never rewrites header dates).
# LOCALES_DIR lets the catalogue test run it on a copy: committed catalogues must not change.
# --ignore-dirs replaces Babel's default, which skipped folders starting with "_" (_macros).
LOCALES_DIR ?= locales
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --ignore-dirs=".* var node_modules" -k lazy_gettext -k _l -k ngettext:1,2 -k pgettext:1c,2 --no-location --sort-output --omit-header -o $(LOCALES_DIR)/messages.pot .
	for l in fa ar fr; do $(BIN)/pybabel -q update --ignore-pot-creation-date --no-fuzzy-matching --ignore-obsolete -i $(LOCALES_DIR)/messages.pot -d $(LOCALES_DIR) -l $$l -D messages; done

migrations: $(STAMP)
	$(BIN)/participation makemigrations
	$(BIN)/ruff check --fix -q migrations
	$(BIN)/ruff format -q migrations

bench: $(STAMP)
	@command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk) >/dev/null
	$(BIN)/python -m bench  # pages, posting, signing: one table (bench/__main__.py)

clean:
	rm -rf $(VENV) node_modules var
