# Two commands on a fresh machine: `make demo` and `make test` (both set up .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# nbgrader runs `alembic` by bare name: the venv's bin must be on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export MPLBACKEND := Agg

# Every assignment `make release` generates (source/<id>/ → assignments/<id>/).
ASSIGNMENTS := 01_backprop_basics 02_layers

.PHONY: setup demo test release solutions check-release bench clean

setup: $(VENV)/.installed

# `autograder` and `solutions` must import from anywhere (nbgrader's kernel runs in the assignment
# folder): a .pth file in the venv names this checkout; nothing is built or packaged.
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -c 'import site, sys; open(site.getsitepackages()[0] + "/backprop_kit.pth", "w").write(sys.argv[1] + "\n")' $(CURDIR)
	touch $@

# Reference module and solved notebook, derived from the source notebook.
solutions: setup
	$(BIN)/python -m solutions.build

# The student releases, produced by real nbgrader into assignments/ (committed).
release: setup solutions
	mkdir -p .nbgrader
	for assignment in $(ASSIGNMENTS); do \
		$(BIN)/nbgrader generate_assignment $$assignment --force --log-level=WARN || exit 1; \
	done

demo: release
	$(BIN)/python -m autograder demo

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .nbgrader release demo-output bench/output
