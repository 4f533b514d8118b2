# Development tasks for learner_mgmt_plugin. `make help` lists them.
#
# Everything runs in the virtualenv $(VENV), made with $(PYTHON) by `make requirements`; the pinned
# requirements come from requirements/pyXY/ for that interpreter's version (README.md, "Requirements").

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV ?= .venv
PYTEST_ARGS ?=
# Interpreters that `make upgrade` compiles the pins with (a pyenv install is found on its own).
PYTHON311 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.11.*/bin/python) python3.11)
PYTHON312 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12.*/bin/python) python3.12)
# Prefix of the virtualenvs holding pip-tools for each interpreter (made on first use).
PIPTOOLS_VENV ?= .venv-piptools

VENV_PYTHON = $(VENV)/bin/python
VERSION_TAG = import sys; print("py%d%d" % sys.version_info[:2])
PY_TAG = $(shell $(PYTHON) -c '$(VERSION_TAG)')
PINS = requirements/$(PY_TAG)
# Changes whenever the pins or the package metadata change, so `make requirements` reinstalls only then.
REQUIREMENTS_HASH = $(shell cat $(PINS)/test.txt setup.py requirements/base.in requirements/constraints.txt \
	| $(PYTHON) -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')
STAMP = $(VENV)/.requirements-$(PY_TAG)-$(REQUIREMENTS_HASH)

PIP_COMPILE = pip-compile --quiet --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: help requirements test quality screenshots bench demo mariadb-test makemigrations compile-requirements upgrade clean \
	pii_check fuzz-test crash-test load-test schema-test mysql-requirements tutor-test mfe-test

help: ## list the targets
	@echo "Usage: make TARGET [PYTHON=python3.12] [VENV=.venv-py312] [PYTEST_ARGS='-k name -n 2']"
	@echo
	@awk -F ':.*## ' '/^[a-zA-Z0-9_-]+:.*## / {printf "  %-22s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

requirements: ## create $(VENV) if missing and install the pinned test requirements and the plugin (editable)
	@test -n "$(PY_TAG)" || { echo "$(PYTHON) does not run; set PYTHON=..." >&2; exit 1; }
	@test -f $(PINS)/test.txt || { echo "No pins for $(PY_TAG) ($(PYTHON)): requirements/ has $$(cd requirements && ls -d py3*)" >&2; exit 1; }
	@test -x $(VENV_PYTHON) || $(PYTHON) -m venv $(VENV)
	@test "$$($(VENV_PYTHON) -c '$(VERSION_TAG)')" = "$(PY_TAG)" \
		|| { echo "$(VENV) runs another Python than $(PYTHON) ($(PY_TAG)): remove it or set VENV=..." >&2; exit 1; }
	@if [ -f $(STAMP) ]; then echo "$(VENV) is up to date with $(PINS)/test.txt"; else \
		rm -f $(VENV)/.requirements-*; \
		echo "$(VENV_PYTHON) -m pip install -r $(PINS)/test.txt -e ."; \
		$(VENV_PYTHON) -m pip install --quiet -r $(PINS)/test.txt -e . && touch $(STAMP); \
	fi

test: requirements ## check that migrations are complete, then run the test suite (options in PYTEST_ARGS)
	$(VENV_PYTHON) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

quality: requirements ## lint and check formatting (ruff)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

screenshots: requirements ## rerun the browser and MFE tests, writing the README's screenshots into docs/screenshots/
	SCREENSHOTS_DIR=docs/screenshots $(VENV)/bin/pytest -m browser tests/browser
	SCREENSHOTS_DIR=docs/screenshots $(VENV)/bin/pytest -m mfe tests/mfe

bench: requirements ## benchmarks (not part of make test): BENCH_DB=sqlite|mariadb, BENCH_SCALE=1
	@if [ "$${BENCH_DB:-sqlite}" = mariadb ]; then $(VENV_PYTHON) -m pip install --quiet -r $(PINS)/mysql.txt \
		|| { echo "Building mysqlclient needs: apt-get install libmariadb-dev pkg-config" >&2; exit 1; }; fi
	$(VENV_PYTHON) bench/run.py

demo: export DEVHOST_DB = sqlite
demo: requirements ## run the development LMS with demo data on http://127.0.0.1:8000/ (SQLite)
	$(VENV_PYTHON) manage.py migrate
	$(VENV_PYTHON) manage.py seed_demo
	$(VENV_PYTHON) manage.py runserver 127.0.0.1:8000

mariadb-test: export DEVHOST_DB = mariadb
mariadb-test: requirements ## run the test suite on MariaDB at 127.0.0.1:3306 (apt: libmariadb-dev pkg-config)
	$(VENV_PYTHON) -m pip install --quiet -r $(PINS)/mysql.txt \
		|| { echo "Building mysqlclient needs: apt-get install libmariadb-dev pkg-config" >&2; exit 1; }
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Reliability and security checks of their own (README.md, "Reliability and security"). The suite itself
# (make test, make mariadb-test) runs tests/reliability too, with fewer fuzzing examples; the targets
# below run what is too heavy for it. Those on MariaDB need the same as make mariadb-test, and Redis
# at 127.0.0.1:6379 for crash-test.
RELIABILITY_PYTEST = $(VENV)/bin/pytest tests/reliability $(PYTEST_ARGS)

pii_check: requirements ## check the OEP-30 PII annotations of every model: 100% coverage (.pii_annotations.yml)
	DJANGO_SETTINGS_MODULE=devhost.settings $(VENV)/bin/code_annotations django_find_annotations \
		--config_file .pii_annotations.yml --lint --report --coverage

fuzz-test: requirements ## property-based fuzzing (CSV import, exports, request bodies) with many examples (SQLite)
	RELIABILITY_FUZZ_EXAMPLES=$${RELIABILITY_FUZZ_EXAMPLES:-200} $(VENV)/bin/pytest $(PYTEST_ARGS) \
		tests/reliability/test_csv_import_fuzz.py tests/reliability/test_export_safety.py \
		tests/rest_api/test_malformed_input.py

crash-test: export DEVHOST_DB = mariadb
crash-test: mysql-requirements ## SIGKILL a real Celery worker (Redis broker) mid-import and mid-mass action, restart it
	$(RELIABILITY_PYTEST) -m crash

load-test: export DEVHOST_DB = mariadb
load-test: mysql-requirements ## 20 clients for 30 s on a 10,000-learner course, development host under gunicorn
	$(RELIABILITY_PYTEST) -m load

schema-test: export DEVHOST_DB = mariadb
schema-test: mysql-requirements ## schemathesis against the served OpenAPI schema, development host under gunicorn
	$(RELIABILITY_PYTEST) -m schemathesis

tutor-test: requirements ## the Tutor plugin rendered offline by Tutor 21 (Ulmo) and 22 (Verawood), each in its own virtualenv
	$(VENV)/bin/pytest -m tutor tests/tutor $(PYTEST_ARGS)

mfe-test: requirements ## the learner dashboard MFE (Ulmo, Verawood) built with the Tutor-rendered slots, driven in Chromium
	$(VENV)/bin/pytest -m mfe tests/mfe $(PYTEST_ARGS)

mysql-requirements: requirements
	$(VENV_PYTHON) -m pip install --quiet -r $(PINS)/mysql.txt \
		|| { echo "Building mysqlclient needs: apt-get install libmariadb-dev pkg-config" >&2; exit 1; }

makemigrations: requirements ## write migrations for changed models of the plugin
	$(VENV_PYTHON) manage.py makemigrations learner_mgmt_plugin

compile-requirements: ## compile requirements/*.in into requirements/py311/ and py312/, keeping current pins
	$(MAKE) --no-print-directory compile-py311 compile-py312

upgrade: ## recompile requirements/py311/ and py312/ with the newest allowed versions
	$(MAKE) --no-print-directory compile-py311 compile-py312 PIP_COMPILE_UPGRADE=--upgrade

# compile-py311 / compile-py312: pip-tools runs under the interpreter whose pins it writes, from a
# tools virtualenv of its own; test.txt, dev.txt and mysql.txt are held to the versions in base.txt.
compile-py%: export CUSTOM_COMPILE_COMMAND = make upgrade
compile-py%:
	@test -n "$(PYTHON$*)" || { echo "Set PYTHON$*= to a Python $* interpreter" >&2; exit 1; }
	test -x $(PIPTOOLS_VENV)-py$*/bin/pip-compile || { \
		$(PYTHON$*) -m venv $(PIPTOOLS_VENV)-py$* && \
		$(PIPTOOLS_VENV)-py$*/bin/pip install --quiet pip-tools \
			$(if $(wildcard requirements/py$*/dev.txt),-c requirements/py$*/dev.txt); }
	mkdir -p requirements/py$*
	$(PIPTOOLS_VENV)-py$*/bin/$(PIP_COMPILE) $(PIP_COMPILE_UPGRADE) -o requirements/py$*/base.txt requirements/base.in
	$(PIPTOOLS_VENV)-py$*/bin/$(PIP_COMPILE) $(PIP_COMPILE_UPGRADE) -c requirements/py$*/base.txt \
		-o requirements/py$*/test.txt requirements/test.in
	$(PIPTOOLS_VENV)-py$*/bin/$(PIP_COMPILE) $(PIP_COMPILE_UPGRADE) -c requirements/py$*/test.txt \
		-o requirements/py$*/dev.txt requirements/dev.in
	$(PIPTOOLS_VENV)-py$*/bin/$(PIP_COMPILE) $(PIP_COMPILE_UPGRADE) -c requirements/py$*/base.txt \
		-o requirements/py$*/mysql.txt requirements/mysql.in

clean: ## remove build artefacts and caches (keeps the virtualenvs and the demo database)
	rm -rf build/ dist/ *.egg-info .pytest_cache/ .hypothesis/ .tox/
	find . -path ./.git -prune -o -path './.venv*' -prune -o -name __pycache__ -type d -exec rm -rf {} +
