# RBB Tracker — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv migrate seed messages clean help

help:
	@echo "make run    install, migrate, load the UNMIK demo and serve on http://$(HOST):$(PORT)"
	@echo "            another port or host: make run PORT=8001 HOST=0.0.0.0"
	@echo "make test   run the whole test suite (DATABASE_URL / CELERY_BROKER_URL honoured)"

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

include bench.mk

# Local runs default to DEBUG so that no secret key is needed on a laptop.
run: export DEBUG ?= 1
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

migrate: export DEBUG ?= 1
migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

seed: export DEBUG ?= 1
seed: migrate
	$(PY) manage.py seed_demo

test: $(STAMP)
	$(PY) -m pytest -q $(PYTEST_ARGS)

# Regenerate the zh-hans catalogue after adding strings, then translate and compile.
messages: export DEBUG ?= 1
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=tests --ignore=staticfiles
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
