# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint validate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/pl-diag db upgrade
	$(BIN)/pl-diag sample --if-empty
	$(BIN)/streamlit run dashboard/app.py

test: $(STAMP)
	$(BIN)/ruff check pl_core dashboard tests benchmarks sample_data
	$(BIN)/lint-imports
	$(BIN)/python tests/browser_setup.py
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pl_core dashboard tests benchmarks sample_data
	$(BIN)/lint-imports

validate: $(STAMP)
	$(BIN)/pl-diag validate

bench: $(STAMP)  # prints figures; none is a test (benchmarks/README.md)
	$(BIN)/python benchmarks/bench_scoring.py --schools 2000
	$(BIN)/python benchmarks/bench_scale.py --sizes 7,200,1000,5000 --dir .bench
	$(BIN)/python benchmarks/bench_rows.py --schools 200 --dir .bench
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_report.py

clean:
	rm -rf $(VENV) .pytest_cache
