# StableConfigs: two commands from a fresh clone.
#   make run   - create .venv (if needed), start Redis (if needed) + Celery + Gunicorn under supervisord
#                as a DAEMON serving http://localhost:5005/ ; returns once a smoke job is solved.
#                Control it from the repo: .venv/bin/supervisorctl status|restart celery|reload|shutdown
#   make stop  - stop everything (supervisorctl shutdown)
#   make test  - create .venv (if needed), install the system bits tests need, run the whole test suite
#   make test-fast - the quick loop: every test that starts no process and is not slow (docs/testing.md)
# Also: make status | bench | bench-service | lint.  Configuration: STABLECONFIGS_* variables, see docs/deploy.md.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stableconfigs-installed
CTL := $(VENV)/bin/supervisorctl -c $(CURDIR)/supervisord.conf

.PHONY: venv run stop status test test-fast test-system-deps bench bench-service lint

venv: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Re-installs when pyproject.toml changes; editable, so code edits need no reinstall.
$(STAMP): pyproject.toml | $(PY)
	@echo "Installing stableconfigs with its server and test extras into $(VENV) (about a minute the first time)"
	$(PY) -m pip install -q -e '.[server,test]'
	touch $@

run: venv
	scripts/run-local.sh

stop:
	@scripts/stop-local.sh

status:
	-$(CTL) status

test-system-deps:
	scripts/install-test-deps.sh

test: venv test-system-deps
	$(PY) -m pytest -q

FAST := not live and not browser and not deploy and not slow
test-fast: venv
	$(PY) -m pytest -q -m "$(FAST)"

bench: venv
	$(PY) -m bench

# The HTTP job path against a bare Celery round trip (docs/benchmarks-service.md); about two minutes.
bench-service: venv
	$(PY) -m bench.service

lint: venv
	$(VENV)/bin/ruff check .
