# PoC Hub — the two commands that matter: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The demo signs in with the README's passwords alone: no second factor (never in production).
DEMO_ENV := DEBUG=1 REQUIRE_SECOND_FACTOR=0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint install messages migrate seed serve bench loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py compile_translations

migrate: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo

## demo: set everything up on the embedded default (SQLite, tasks in-process) and serve on http://$(HOST):$(PORT)
demo: seed
	@echo "Serving PoC Hub on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: set everything up and run the whole suite (no tests collected counts as a failure), spread over one
## process per core (pytest-xdist; a file's tests stay in one process); TEST_PROCESSES=0 runs it in one process
TEST_PROCESSES ?= auto
## The browser tests (tests/e2e) need Debian's Chromium at /usr/bin/chromium; without it they are skipped, and said so.
test: install
	@test -x /usr/bin/chromium || echo "make test: no /usr/bin/chromium, so the browser tests (tests/e2e) are SKIPPED (apt-get install chromium fonts-wqy-microhei)"
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_PROCESSES) --dist loadfile

lint: install
	$(BIN)/ruff check .

## bench: every benchmark section, written to benchmarks/report.md (PostgreSQL when DATABASE_URL is set)
bench: install
	$(BIN)/python -m benchmarks

## loadtest: only the load test (gunicorn, 4 workers, 50 users, 60 s), written to benchmarks/report-load.md
loadtest: install
	$(BIN)/python -m benchmarks --only loadtest --output benchmarks/report-load.md

clean:
	rm -rf $(VENV) db.sqlite3 private_media staticfiles .pytest_cache .ruff_cache
	find . -name '*.mo' -path './locale/*' -delete
