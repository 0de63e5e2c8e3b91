# Mallard: `make demo` runs the demo shop, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# npm ci writes this file last: it stands for an installed node_modules/.
NODE_MODULES := node_modules/.package-lock.json

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
install-test: $(VENV)/.installed-test $(NODE_MODULES)

# axe-core for the browser journeys' accessibility checks (pinned in package-lock.json).
$(NODE_MODULES): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the browser journeys will be skipped (apt-get install npm)"; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

serve: install
	$(BIN)/python manage.py serve_demo $(HOST)

# The worker names its settings: config.celery_app refuses to guess them.
WORKER_SETTINGS ?= $(or $(DJANGO_SETTINGS_MODULE),config.settings.dev)
worker: install  ## a Celery worker with beat (needs REDIS_URL; dev settings unless set)
	DJANGO_SETTINGS_MODULE=$(WORKER_SETTINGS) $(BIN)/celery -A config worker --beat --loglevel=INFO

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache node_modules

# The performance report (README "Benchmarks"): not part of `make test`; PostgreSQL and
# Redis on 127.0.0.1, installs wrk, chromium and Lighthouse if missing (as root).
# Options through BENCH_ARGS, e.g. BENCH_ARGS=--quick or BENCH_ARGS=--lighthouse-only.
BENCH_NODE := bench/node_modules/.package-lock.json

.PHONY: bench
bench: $(VENV)/.installed-bench $(BENCH_NODE)  ## load, SQL/request, Lighthouse, memory: docs/benchmarks.md
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

$(VENV)/.installed-bench: requirements.txt requirements-dev.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

$(BENCH_NODE): bench/package.json bench/package-lock.json
	cd bench && npm ci --no-audit --no-fund
	touch $@
