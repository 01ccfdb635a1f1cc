# Văn Quan targets platform. Quick start: `make demo`, then `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
SUPERSET_VENV := .venv-superset
PY := $(VENV)/bin/python
export PLATFORM_HOME ?= $(CURDIR)/var
# Demo mode only where nothing points at a real server: with WAREHOUSE_URL or WAREHOUSE_HOST set
# and no explicit PLATFORM_MODE=demo, every demo secret is refused.
export PLATFORM_MODE ?= $(if $(WAREHOUSE_URL)$(WAREHOUSE_HOST),production,demo)
export GX_ANALYTICS_ENABLED := False
export DO_NOT_TRACK := 1

.PHONY: system-deps install demo stop test test-in-file-order test-all lint psql ingest inbox transform review dashboards superset-assets superset-export templates calendar samples reconcile bench docs warehouse repull

# --- installation (pinned by uv.lock and superset/requirements.lock; skipped when up to date)
$(VENV)/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	uv sync --frozen --python $(PYTHON)
	@touch $@

# The Vietnamese interface (superset/translations) is compiled into the installed packages
# (and its bundle patch applied to the built front end).
$(SUPERSET_VENV)/.installed: superset/requirements.lock superset/translations/install.py \
		$(wildcard superset/translations/vi/LC_MESSAGES/*.po superset/translations/*/vi/LC_MESSAGES/*.po) \
		$(wildcard superset/translations/bundle_patch/*.py superset/translations/bundle_patch/*.json)
	@command -v uv >/dev/null || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	@test -x $(SUPERSET_VENV)/bin/python || uv venv --quiet --python $(PYTHON) $(SUPERSET_VENV)
	uv pip install --quiet --python $(SUPERSET_VENV)/bin/python -r superset/requirements.lock
	$(SUPERSET_VENV)/bin/python superset/translations/install.py
	@touch $@

# Debian packages the tests need: a real headless browser for the dashboards, poppler to
# read the review pack's PDF, a font with Vietnamese glyphs for it, and Redis (the Celery
# broker of the scale-out tests).
SYSTEM_PACKAGES := chromium chromium-driver poppler-utils fonts-dejavu-core redis-server
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null || \
	    ! test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || ! command -v redis-server >/dev/null; then \
	  echo "Installing Debian packages: $(SYSTEM_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

install: $(VENV)/.installed $(SUPERSET_VENV)/.installed

# --- the two quick-start commands
demo: install
	$(PY) -m runtime demo

# The suite runs shuffled (pytest-randomly: the modules, then the tests within each): no test
# may rely on another having run first. A module that needs a known warehouse says so with a
# fixture (fresh_warehouse, own_warehouse, known_marts). TEST_SEED fixes the order, printed at
# the top, so a failure can be replayed; `make test TEST_SEED=random` draws another order and
# `make test-in-file-order` runs none.
TEST_SEED ?= 20221231
# pytest-randomly draws a seed of its own for "default" (it does not know "random")
RANDOMLY_SEED = $(if $(filter random,$(TEST_SEED)),default,$(TEST_SEED))
test: install system-deps
	$(PY) -m pytest -p randomly --randomly-seed=$(RANDOMLY_SEED) $(PYTEST_ARGS)

test-in-file-order: install system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-all: install system-deps
	$(PY) -m pytest --run-slow $(PYTEST_ARGS)

stop:
	@test -x $(PY) && $(PY) -m runtime stop || true

# --- engineer commands
warehouse: install
	$(PY) -m runtime warehouse

psql: install
	@$(PY) -m runtime psql

ingest: install
	@test -n "$(FILE)" -a -n "$(DEPT)" || (echo "usage: make ingest FILE=path DEPT=office-code" >&2; exit 2)
	$(PY) -m runtime warehouse >/dev/null
	$(PY) -m ingest file "$(FILE)" --office "$(DEPT)"

inbox: install
	$(PY) -m ingest inbox

transform: install
	$(PY) -m runtime transform

review: install
	@test -n "$(AS_OF)" || (echo "usage: make review AS_OF=YYYY-MM" >&2; exit 2)
	$(PY) -m runtime warehouse >/dev/null
	$(PY) -m reporting.review_pack --as-of "$(AS_OF)"

dashboards: install
	$(PY) -m runtime dashboards

# Dashboards as code: write superset/assets/ from vq_superset/specs; show what Superset's UI changed.
superset-assets: install
	$(PY) -m vq_superset.generate

superset-export: install
	$(SUPERSET_VENV)/bin/python -m vq_superset.export $(if $(WRITE),--write)

templates: install
	$(PY) -m ingest.templates --out "$(PLATFORM_HOME)/templates"

# The reporting calendar's dbt seeds (dbt/seeds/catalog/reporting_obligations*.csv), after a catalog change
calendar: install
	$(PY) -m core.calendar

samples: install
	$(PY) -m sampledata --out "$(PLATFORM_HOME)/samples" $(SAMPLE_ARGS)

repull: install
	@test -n "$(SOURCE)" -a -n "$(SINCE)" || (echo "usage: make repull SOURCE=name SINCE=YYYY-MM-DD" >&2; exit 2)
	$(PY) -m runtime warehouse >/dev/null
	$(PY) -m ingest.systems repull "$(SOURCE)" --since "$(SINCE)"

reconcile: install
	$(PY) -m runtime warehouse >/dev/null
	$(PY) -m ingest reconcile

bench: install
	$(PY) -m bench $(BENCH_ARGS)

docs: install
	$(PY) -m runtime docs

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check ingest warehouse runtime dags/common
	$(VENV)/bin/sqlfluff lint dbt/models dbt/macros warehouse/sql
