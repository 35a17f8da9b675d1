# alliance-kit. `make demo` runs the sample engagement; `make test` runs every test.
# Both create .venv when it is absent and install the kit with everything it needs.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KIT    := $(VENV)/bin/alliancekit
STAMP  := $(VENV)/.alliancekit-installed
SAMPLE := data_samples/northwind/engagement.yml

.PHONY: install demo test bench sample nbval-refresh clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(KIT) run $(SAMPLE)
	@echo "Open outputs/northwind-2026/<phase>/report.html or report.pdf"

test: $(STAMP)
	$(PY) -m pytest tests notebooks --nbval-lax --current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

bench: $(STAMP)
	$(PY) benchmarks/run.py

# Regenerate the committed sample engagement (tests check it equals the generator's output).
sample: $(STAMP)
	$(KIT) sample data_samples/northwind

# Re-record the key figures nbval checks, after an intended change (notebooks stay otherwise clean).
nbval-refresh: $(STAMP)
	$(PY) tests/refresh_nbval_outputs.py

clean:
	rm -rf outputs/*/ .pytest_cache
