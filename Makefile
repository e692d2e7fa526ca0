# Two commands do everything: `make run` (Airflow with the DAGs) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GX_ANALYTICS_ENABLED := false

.PHONY: install run stop demo test test-fast eval-real compose-check services bench bench-scale bench-process lint format clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==0.13.8

$(STAMP): pyproject.toml uv.lock | $(UV)
	UV_PYTHON=$(PYTHON) $(UV) sync --frozen
	touch $(STAMP)

## install: build .venv from uv.lock (quick when nothing changed)
install: $(STAMP)

## run: Airflow 3 standalone on 127.0.0.1:8080 with the newsfacts DAGs until Ctrl-C (SQLite, DuckDB file)
# Ctrl-C (or SIGTERM) stops every process Airflow started; a run in the background: `make stop`.
run: install
	$(BIN)/newsfacts serve

## stop: stop the Airflow that `make run` started, here or in the background
stop:
	$(BIN)/newsfacts stop

## demo: one offline end-to-end run through Airflow against the bundled demo site
demo: install
	$(BIN)/newsfacts demo --home var/demo

## test: the whole test suite, lint and types included; installs the Celery test's servers if missing
# Two workers, one test file each at a time: the Airflow and Celery runs (most of the time) go
# beside the unit tests instead of after them.
test: install services
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	NEWSFACTS_REQUIRE_SERVICES=1 $(BIN)/pytest -n 2 --dist loadfile

## test-fast: the unit tier (no Airflow, Celery, killed processes or subprocess scripts), on both cores
test-fast: install
	$(BIN)/pytest -n 2 -m "not airflow and not celery and not integration"

## eval-real: score extraction on the real-news set (needs its cache: tests/fixtures/realnews/README.md)
eval-real: install
	$(BIN)/python tools/realnews.py check
	@for lang in ar en; do for split in dev test; do \
	  echo "== $$lang $$split"; \
	  $(BIN)/newsfacts eval tests/fixtures/realnews/$$lang.jsonl --texts .cache/realnews --split $$split --no-dateparser | sed -n 2,4p; \
	done; done

## compose-check: docker-compose.yaml against the compose-spec schema and its references (no Docker)
compose-check: install
	$(BIN)/python scripts/check_compose.py docker-compose.yaml

## services: install redis-server, PostgreSQL and chromium if missing (Celery and browser tests)
services:
	scripts/ci-services.sh

## bench-scale: 20 hosts, 5,000 pages, one Celery worker then two (takes minutes)
bench-scale: install
	$(BIN)/python bench/bench_scale.py

## bench-process: parse alone, extract alone and the whole process stage on 5,000 pages
## (PAGES=500 for a quick check)
PAGES ?= 5000
bench-process: install
	$(BIN)/python bench/bench_process.py --pages $(PAGES)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache
