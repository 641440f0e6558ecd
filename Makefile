# The two commands: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint format pytest browser-deps messages bench migrations clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(BIN)/participation migrate
	$(BIN)/participation seed-demo
	$(BIN)/participation serve --host 127.0.0.1 --port 8000

# Debian chromium and wrk, npm axe-core: only what the browser tests and bench need.
browser-deps: $(STAMP)
	@command -v chromium >/dev/null || { (apt-get update -q && apt-get install -y -q chromium) >/dev/null || sudo apt-get install -y -q chromium; }
	@test -f node_modules/axe-core/axe.min.js || npm install --no-audit --no-fund --silent

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy participation consultations petitions

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

pytest: $(STAMP) browser-deps
	$(BIN)/pytest -q -p no:cacheprovider

test: lint pytest

messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs=".* var node_modules" -k lazy_gettext -k _l -k ngettext:1,2 -k pgettext:1c,2 --no-location --sort-output --omit-header -o locales/messages.pot .
	for l in fa ar fr; do $(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i locales/messages.pot -d locales -l $$l -D messages; done

migrations: $(STAMP)
	$(BIN)/participation makemigrations
	$(BIN)/ruff check --fix -q migrations
	$(BIN)/ruff format -q migrations

bench: $(STAMP)
	@command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk) >/dev/null
	$(BIN)/python -m bench; pages=$$?; $(BIN)/python -m bench.signing; signing=$$?; exit $$((pages || signing))

clean:
	rm -rf $(VENV) node_modules var
