# Two commands set everything up on a fresh machine:
#   make run    venv + install + index (built if missing or stale) + the chat at http://127.0.0.1:7860
#   make test   venv + install (with test extras) + Debian's Chromium for the browser test + the whole suite
# A second run reuses what the first installed (the stamp changes only when pyproject.toml does).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run ask test test-fast lint install index bench eval stress browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements-pinned.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-pinned.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/sharewise index

run: index
	$(BIN)/sharewise serve

ask: index
	$(BIN)/sharewise ask

# The browser test drives Debian's Chromium (Playwright's own browser download does not work offline).
browser:
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium for the browser test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null || \
	  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }

# ruff (line length 120) on the repository and mypy on assistant/; `make test` runs it after the suite.
lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install browser
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory lint

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

bench: install
	$(BIN)/sharewise bench

# Load (40 simultaneous users), a burst past the queue, and a 10-minute soak: not part of CI.
stress: index
	$(BIN)/python scripts/stress.py

# The full evaluation: the project's question set, the worked scenarios, all configurations side by side.
eval: index
	$(BIN)/sharewise eval evals/questions.jsonl --scenarios evals/scenarios.yaml --compare --out evals/reports/latest

clean:
	rm -rf $(VENV) index/*.json index/*.jsonl index/*.faiss index/*.npy .pytest_cache
