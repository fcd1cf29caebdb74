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

# Each judged folder: its documents ingested into index-<folder>, then scored.
JUDGED_SETS := corpus-dev corpus-extra corpus-extra2 corpus-extra3 corpus-extra4 corpus-extra5 \
	corpus-extra6 corpus-extra7 corpus-extra8 corpus-extra9 corpus-extra10 corpus-extra11

eval: index
	$(BIN)/kb eval tests/data/eval-dev.json tests/data/eval-extra.json
	@set -e; for set in $(JUDGED_SETS); do \
		index=index-$${set#corpus-}; \
		docs=$$(ls tests/data/$$set/*.pdf tests/data/$$set/*.html tests/data/$$set/*.docx \
			2>/dev/null); \
		$(BIN)/kb --index $$index ingest -q $$docs; \
		$(BIN)/kb --index $$index eval tests/data/$$set/judged.json; \
	done

# Speed and memory at 1k to 1M passages (about 20 minutes on 2 cores; see README).
bench: setup
	$(BIN)/kb bench --sizes 1000,10000,100000,1000000

lint: setup
	$(BIN)/ruff check kb tests app.py

typecheck: setup
	$(BIN)/mypy

clean:
	rm -rf index .pytest_cache .ruff_cache screenshots
