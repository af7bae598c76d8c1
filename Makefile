# Everyday commands. `make run` serves the demo; `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev translations compile-translations lint format ci clean bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

compile-translations:
	$(BIN)/pybabel compile --use-fuzzy -d translations -f --statistics 2>/dev/null || $(BIN)/pybabel compile -d translations -f

## run: install, migrate the SQLite database in instance/, load demo data if empty, serve on :5000
## with the job consumer (instance/jobs.sqlite) beside it; Ctrl-C stops both
# Links the app prints and sends (the demo logins, e-mails, QR codes) point at where it runs.
run: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: install compile-translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask demo-links
	BIN=$(BIN) HOST=$(HOST) PORT=$(PORT) scripts/run-dev

## test: install the dev tools and run the whole suite (browser tests included)
test: install-dev compile-translations
	scripts/ensure-chromium
	$(BIN)/python -m pytest

## translations: extract strings, update the catalogues, compile them
translations: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d translations -f

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

## bench: the web benchmark on SQLite and PostgreSQL (needs wrk: apt-get install -y wrk); writes bench/results.md
bench: install-dev
	$(BIN)/python -m bench.web
