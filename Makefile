# Two commands on a fresh machine:  `make serve`  (build and serve the site)  and  `make test`.
# Both bootstrap .venv from the pinned, hash-checked lock file first.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: lock lock-check help setup serve build site test test-fast lint validate export schema bench chromium node clean

help:
	@echo "make serve     build the site and serve it at http://127.0.0.1:$(PORT)/ (edits show at once)"
	@echo "make test      run every test (installs Debian chromium for the browser tests if missing)"
	@echo "make build     strict build of the site into site/ (ENGINE=zensical: the successor engine, from gallery build's output)"
	@echo "make validate  check the data (solutions/, transcripts/): all a data contributor needs"
	@echo "make test-fast every test but the browser, build and notebook ones, after lint and type checks"
	@echo "make lint      ruff (lint and format check) and mypy"
	@echo "make bench     measure build, serve, page weight and typesetting figures"

$(STAMP): requirements/lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if (3, 11) <= v[:2] <= (3, 13) else "Python 3.11, 3.12 or 3.13 is needed; found " + sys.version.split()[0] + ". Debian 12: apt-get install python3 python3-venv; Ubuntu 24.04: apt-get install python3-venv; macOS: brew install python@3.13. Then make PYTHON=/path/to/python3")'
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { echo "Python $$($(PYTHON) -c "import sys; print(sys.version.split()[0])") has no venv module: apt-get install python3-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@if [ -d .git ] && [ -z "$$CI" ]; then $(BIN)/pre-commit install >/dev/null 2>&1 || true; fi
	@touch $(STAMP)

setup: $(STAMP)

serve: setup
	$(BIN)/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:$(PORT)

ENGINE ?= mkdocs

build: setup
ifeq ($(ENGINE),zensical)
	$(BIN)/gallery build --hookless-config mkdocs.zensical.yml --site-dir site
	$(BIN)/zensical build --strict -f mkdocs.zensical.yml
else ifeq ($(ENGINE),mkdocs)
	$(BIN)/mkdocs build --strict
else
	@echo "ENGINE is mkdocs (the default) or zensical, not $(ENGINE)" >&2; exit 2
endif

site: build

validate: setup
	$(BIN)/gallery validate

export: setup
	$(BIN)/gallery export build/data

schema: setup
	$(BIN)/gallery schema

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Browser tests need Debian's chromium at /usr/bin/chromium: apt-get install chromium" >&2; exit 1; fi

NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

node: $(NODE_STAMP)

lint: setup
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/mypy

test: setup chromium node lint
	$(BIN)/python -m pytest

test-fast: setup lint
	$(BIN)/python -m pytest -m "not browser and not slow"

bench: setup chromium
	$(BIN)/python scripts/bench.py

lock: setup
	$(BIN)/python -m uv pip compile pyproject.toml requirements/build.in --extra test -o requirements/lock.txt --universal --python-version 3.11 --generate-hashes

lock-check: setup
	$(BIN)/python scripts/check_lock.py

clean:
	rm -rf site build docs/gallery .pytest_cache test-results .bench
