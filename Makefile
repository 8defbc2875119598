# wushe — the two commands a user types: `make demo` and `make test`.
# Both create .venv on first use and install what they need into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: demo test lint typecheck unit docs clean browser

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

# Headless Chromium renders the HTML reports in tests/io/test_browser.py, with a small CJK
# font so its screenshots show Chinese. Installed from Debian's packages when missing and we
# are root (CI); elsewhere install them yourself.
BROWSER_PACKAGES := chromium fonts-wqy-microhei

browser:
	@if [ "$$(id -u)" = 0 ] && { [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/wqy ]; }; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES); \
	fi
	@if [ -x /usr/bin/chromium ]; then echo "browser: /usr/bin/chromium"; \
	else echo "browser: chromium is missing (apt-get install chromium)"; fi

# WUSHE_REQUIRE_BROWSER=1 turns a missing browser into a failure instead of a skip.
unit: $(VENV)/.dev-installed browser
	WUSHE_REQUIRE_BROWSER=1 HYPOTHESIS_PROFILE=ci $(BIN)/pytest

docs: $(VENV)/.dev-installed
	$(BIN)/sphinx-build -E -n -W --keep-going -q -b html docs docs/_build/html

test: lint typecheck unit docs

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .ruff_cache
