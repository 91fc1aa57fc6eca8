# Two commands set everything up on a fresh machine:
#   make run    venv + install + index (built if missing or stale) + the interactive assistant
#   make test   venv + install (with test extras) + the whole test suite, slow tests included
# A second run reuses what the first installed (the stamp changes only when pyproject.toml does).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-fast install index bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/sharewise index

run: index
	$(BIN)/sharewise ask

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

bench: install
	$(BIN)/sharewise bench

clean:
	rm -rf $(VENV) index/*.json index/*.jsonl index/*.faiss index/*.npy .pytest_cache
