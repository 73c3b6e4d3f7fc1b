# The only commands a newcomer needs: make run, make test (also: bench, lint).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# The Django plugin loads the settings, which never connect: a DATABASE_URL keeps them
# from starting the embedded PostgreSQL just to type-check.
MYPY = DATABASE_URL=$${DATABASE_URL:-postgres://typecheck@127.0.0.1:1/none} $(BIN)/mypy
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-redis e2e bench lint format messages install install-dev clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Another address: make run PORT=8001 (or HOST=0.0.0.0). seed_demo refuses a port already
# taken before seeding anything, and prints the logins with the address served.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --address $(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(MYPY)
	$(BIN)/pytest

# Only the browser tests (Debian's Chromium, e.g. `apt-get install chromium`; CHROMIUM_PATH
# names another): every page checked with axe-core, on a desktop and a phone screen.
e2e: install-dev
	$(BIN)/pytest tests/e2e

bench: install-dev
	# Starting the project's own server once records its settings for the next start.
	$(PY) manage.py check > /dev/null
	$(PY) bench/run.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MYPY)

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-dev
	for lang in az en ru; do $(PY) manage.py makemessages --locale $$lang --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*'; done
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean-db:
	rm -rf .pgdata
