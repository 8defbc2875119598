# wushe — the two commands a user types: `make demo` and `make test`.
# Both create .venv on first use and install what they need into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: demo test lint typecheck unit docs clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install whenever the dependencies or the install lines change.
$(VENV)/.dev-installed: pyproject.toml Makefile | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev,plot,xlsx,ortools,dask]"
	touch $@

$(VENV)/.demo-installed: pyproject.toml Makefile | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[yaml,plot]"
	touch $@

demo: $(VENV)/.demo-installed
	$(BIN)/wushe demo

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

unit: $(VENV)/.dev-installed
	HYPOTHESIS_PROFILE=ci $(BIN)/pytest

docs: $(VENV)/.dev-installed
	$(BIN)/sphinx-build -E -n -W --keep-going -q -b html docs docs/_build/html

test: lint typecheck unit docs

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .ruff_cache
