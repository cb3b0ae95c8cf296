# Tandem: `make run` starts the product with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export TANDEM_DATA_DIR ?= $(CURDIR)/var
VENDOR := tandem/static/vendor

.PHONY: run test install install-test assets migrate demo bench lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python assets
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python assets
	$(BIN)/pip install --quiet -e '.[test]'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end libraries come from the npm registry (lock file) and are served locally, never from a CDN.
assets: node_modules/.package-lock.json
	@mkdir -p $(VENDOR)/fonts
	@cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/
	@cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css $(VENDOR)/
	@cp node_modules/bootstrap-icons/font/fonts/* $(VENDOR)/fonts/
	@cp node_modules/htmx.org/dist/htmx.min.js node_modules/alpinejs/dist/cdn.min.js $(VENDOR)/
	@mv -f $(VENDOR)/cdn.min.js $(VENDOR)/alpine.min.js
	@cp node_modules/echarts/dist/echarts.min.js node_modules/sortablejs/Sortable.min.js $(VENDOR)/

migrate: install
	$(BIN)/tandem migrate --noinput

demo: migrate
	$(BIN)/tandem demo

run: demo
	@$(BIN)/tandem serve --port $(PORT)

test: install-test
	$(BIN)/python scripts/run_tests.py

bench: install-test
	$(BIN)/python bench/run.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages:
	cd tandem && ../$(BIN)/tandem makemessages -l zh_Hans -l en --no-obsolete && ../$(BIN)/tandem compilemessages

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
