# alliance-kit. `make demo` runs the sample engagement of last year, then this year's compared with it; `make test` runs every test (what CI runs),
# `make test-fast` the unit tests only (no notebooks, kernels, CLI runs or PDFs: under a minute).
# All create .venv when it is absent and install the kit with everything it needs.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KIT    := $(VENV)/bin/alliancekit
STAMP  := $(VENV)/.alliancekit-installed
SAMPLE := data_samples/northwind/engagement.yml
LAST_YEAR := data_samples/northwind-2025/engagement.yml
# Tests on every core (pytest-xdist), one file per worker at a time: a module's shared fixtures run
# once and a notebook's cells run in order in one kernel; the sample engagement's run, read by
# several files, is made once per test run (tests/conftest.py, sample_delivery).
PYTEST := $(PY) -m pytest -p no:cacheprovider -n auto --dist loadfile

.PHONY: install demo test test-fast bench sample nbval-refresh clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(KIT) run $(LAST_YEAR)
	$(KIT) run $(SAMPLE) --since outputs/northwind-2025
	@echo "Open outputs/northwind-2026/<phase>/report.html or report.pdf (working files: outputs/northwind-2026/working/<phase>/);"
	@echo "what changed since last year's review: outputs/northwind-2026/changes/report.html or report.pdf"

test: $(STAMP)
	$(PYTEST) tests notebooks --nbval-lax --current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

test-fast: $(STAMP)
	$(PYTEST) tests -m "not slow"

bench: $(STAMP)
	$(PY) benchmarks/run.py

# Regenerate the committed sample engagements, clean and as the client exports it, and last year's
# engagement of the same client (changes planted to compare; tests check all equal the generator's output).
sample: $(STAMP)
	$(KIT) sample data_samples/northwind
	$(KIT) sample data_samples/northwind-exports --exports
	$(KIT) sample data_samples/northwind-2025 --previous-year

# Re-record the key figures nbval checks, after an intended change (notebooks stay otherwise clean).
nbval-refresh: $(STAMP)
	$(PY) tests/refresh_nbval_outputs.py

clean:
	rm -rf outputs/*/ .pytest_cache
