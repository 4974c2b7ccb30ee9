# Two entry points on a fresh machine (only Python 3.11 and pip needed):
#   make demo   run the main job: a policy comparison on the shipped apparel scenario
#   make test   lint and run the test suite
# Each creates its own virtual environment in .venv on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sim validate scenarios/*.toml
	$(BIN)/sim run scenarios/taobao_apparel.toml --policy seven_day_return --seed 1 --out reports/demo

test: $(STAMP)
	$(BIN)/ruff check sim tests
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/sim bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache
