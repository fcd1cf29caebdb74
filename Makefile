# kb: one command to set up and run, one to set up and test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: setup run index app test test-fast lint typecheck eval bench clean browser

setup: $(STAMP)

# torch first, pinned: plain `torch` would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[app,dev]'
	touch $(STAMP)

# Debian's Chromium and its driver, for the browser test (skipped when not root and absent).
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else echo "install chromium and chromium-driver for the browser test"; fi; \
	fi

index: setup
	$(BIN)/kb ingest corpus/

app: setup
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

run: index app

# Everything: lint, types, and every test tier (logic, real model, slow crash tests, browser).
test: setup browser
	$(BIN)/ruff check kb tests app.py
	$(BIN)/mypy
	$(BIN)/pytest -q

# The logic alone (no model, no browser, no process kills): under a minute.
test-fast: setup
	$(BIN)/ruff check kb tests app.py
	$(BIN)/pytest -q -m "not model and not browser and not slow"

DEV_DOCS := $(wildcard tests/data/corpus-dev/*.pdf tests/data/corpus-dev/*.html tests/data/corpus-dev/*.docx)
EXTRA_DOCS := $(wildcard tests/data/corpus-extra/*.pdf tests/data/corpus-extra/*.html tests/data/corpus-extra/*.docx)
EXTRA2_DOCS := $(wildcard tests/data/corpus-extra2/*.pdf tests/data/corpus-extra2/*.html tests/data/corpus-extra2/*.docx)
EXTRA3_DOCS := $(wildcard tests/data/corpus-extra3/*.pdf tests/data/corpus-extra3/*.html tests/data/corpus-extra3/*.docx)
EXTRA4_DOCS := $(wildcard tests/data/corpus-extra4/*.pdf tests/data/corpus-extra4/*.html tests/data/corpus-extra4/*.docx)
EXTRA5_DOCS := $(wildcard tests/data/corpus-extra5/*.pdf tests/data/corpus-extra5/*.html tests/data/corpus-extra5/*.docx)
EXTRA6_DOCS := $(wildcard tests/data/corpus-extra6/*.pdf tests/data/corpus-extra6/*.html tests/data/corpus-extra6/*.docx)
EXTRA7_DOCS := $(wildcard tests/data/corpus-extra7/*.pdf tests/data/corpus-extra7/*.html tests/data/corpus-extra7/*.docx)
EXTRA8_DOCS := $(wildcard tests/data/corpus-extra8/*.pdf tests/data/corpus-extra8/*.html tests/data/corpus-extra8/*.docx)

eval: index
	$(BIN)/kb eval tests/data/eval-dev.json tests/data/eval-extra.json
	$(BIN)/kb --index index-dev ingest -q $(DEV_DOCS)
	$(BIN)/kb --index index-dev eval tests/data/corpus-dev/judged.json
	$(BIN)/kb --index index-extra ingest -q $(EXTRA_DOCS)
	$(BIN)/kb --index index-extra eval tests/data/corpus-extra/judged.json
	$(BIN)/kb --index index-extra2 ingest -q $(EXTRA2_DOCS)
	$(BIN)/kb --index index-extra2 eval tests/data/corpus-extra2/judged.json
	$(BIN)/kb --index index-extra3 ingest -q $(EXTRA3_DOCS)
	$(BIN)/kb --index index-extra3 eval tests/data/corpus-extra3/judged.json
	$(BIN)/kb --index index-extra4 ingest -q $(EXTRA4_DOCS)
	$(BIN)/kb --index index-extra4 eval tests/data/corpus-extra4/judged.json
	$(BIN)/kb --index index-extra5 ingest -q $(EXTRA5_DOCS)
	$(BIN)/kb --index index-extra5 eval tests/data/corpus-extra5/judged.json
	$(BIN)/kb --index index-extra6 ingest -q $(EXTRA6_DOCS)
	$(BIN)/kb --index index-extra6 eval tests/data/corpus-extra6/judged.json
	$(BIN)/kb --index index-extra7 ingest -q $(EXTRA7_DOCS)
	$(BIN)/kb --index index-extra7 eval tests/data/corpus-extra7/judged.json
	$(BIN)/kb --index index-extra8 ingest -q $(EXTRA8_DOCS)
	$(BIN)/kb --index index-extra8 eval tests/data/corpus-extra8/judged.json

# Speed and memory at 1k to 1M passages (about 20 minutes on 2 cores; see README).
bench: setup
	$(BIN)/kb bench --sizes 1000,10000,100000,1000000

lint: setup
	$(BIN)/ruff check kb tests app.py

typecheck: setup
	$(BIN)/mypy

clean:
	rm -rf index .pytest_cache .ruff_cache screenshots
