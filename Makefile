# Two commands on a fresh machine: `make demo` and `make test` (both set up .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader runs `alembic` by bare name: the venv's bin must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export MPLBACKEND := Agg

# Every assignment `make release` generates: one folder per source notebook (source/<id>/ →
# solutions/<id>/ and assignments/<id>/).
ASSIGNMENTS := $(notdir $(wildcard source/*))

.PHONY: setup demo test quick lint release solutions check-release bench clean

setup: $(VENV)/.installed

# `autograder` and `solutions` must import from anywhere (nbgrader runs in a course folder): a .pth
# file in the venv names this checkout, so the code is used in place (`pip install .` packages it).
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -c 'import site, sys; open(site.getsitepackages()[0] + "/backprop_kit.pth", "w").write(sys.argv[1] + "\n")' $(CURDIR)
	touch $@

# Reference modules and solved notebooks, derived from the source notebooks (whose grade cells get
# their points from the rubrics), and the README's points tables, generated from the rubrics.
solutions: setup
	$(BIN)/python -m solutions.build
	$(BIN)/python -m autograder rubric --readme docs/GRADING.md

# The student releases, produced by real nbgrader into assignments/ (committed).
release: setup solutions
	mkdir -p .nbgrader
	for assignment in $(ASSIGNMENTS); do \
		$(BIN)/nbgrader generate_assignment $$assignment --force --log-level=WARN || exit 1; \
	done

demo: release
	$(BIN)/python -m autograder demo

# Lint first (seconds), so CI (.ci/run: make test) fails fast on it. Then every test: those that may
# share the machine on every core, then those that measure it alone.
test: setup lint
	$(BIN)/python -m pytest -m "not serial" -n auto
	$(BIN)/python -m pytest -m serial

# The fast loop: every test not marked slow (nor serial), spread over the cores.
quick: setup
	$(BIN)/python -m pytest -m "not slow and not serial" -n auto

# ruff (pyflakes, pycodestyle at 120 columns) and mypy on the engine; both configured in pyproject.toml.
lint: setup
	$(BIN)/ruff check
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .nbgrader release demo-output bench/output
