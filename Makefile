# Mallard: `make demo` runs the demo shop, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: demo install install-test test lint format migrate seed serve worker clean

demo: install migrate  ## install, migrate, seed and serve the demo on SQLite
	$(BIN)/python manage.py seed_demo --reset-passwords
	$(BIN)/python manage.py serve_demo $(HOST)

test: install-test  ## lint, then the whole suite (PostgreSQL/Redis if DATABASE_URL/REDIS_URL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-dev.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

serve: install
	$(BIN)/python manage.py serve_demo $(HOST)

worker: install  ## a Celery worker with beat (needs REDIS_URL)
	$(BIN)/celery -A config worker --beat --loglevel=INFO

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
