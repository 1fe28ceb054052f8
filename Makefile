# KTMSC Self-Check: one task runner. Every target sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT ?= 8501

.PHONY: run test lint format validate bench audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

## Start the app on http://localhost:$(PORT) with the embedded SQLite database (serve.py: app.py with its security headers).
run: $(RUNTIME_STAMP)
	$(BIN)/python -m ktmsc validate >/dev/null || $(BIN)/python -m ktmsc validate
	$(BIN)/streamlit run serve.py --server.port $(PORT)

## The whole test suite (content, scoring, CLI, app flows, storage on SQLite and PostgreSQL, browser).
test: $(DEV_STAMP)
	$(BIN)/python -m ktmsc validate
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Known vulnerabilities of the installed dependencies (needs a reachable vulnerability database).
audit: $(DEV_STAMP)
	$(BIN)/python scripts/audit_dependencies.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

validate: $(RUNTIME_STAMP)
	$(BIN)/python -m ktmsc validate

## Performance figures (ratios against a bare Streamlit script, measured in one run).
bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
