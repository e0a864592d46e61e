import os
import subprocess
import sys
from pathlib import Path

import pytest

from .slurm import slurm_cluster  # noqa: F401 -- a fixture: a private Slurm cluster for the session

ROOT = Path(__file__).resolve().parent.parent
FILES = Path(__file__).resolve().parent / "files"
VENV_BIN = Path(sys.executable).parent


ASSIGNMENT_01 = "01_backprop_basics"


def run_cli(*args, check=True, assignment=ASSIGNMENT_01, **kwargs):
    """Run `python -m autograder ...` for real, as an instructor would. ``grade`` is told the
    assignment (folders of .py files cannot tell it) unless ``assignment=None``."""
    args = list(args)
    if args and args[0] == "grade" and assignment and "--assignment" not in args:
        args += ["--assignment", assignment]
    env = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.update(kwargs.pop("env", {}))
    done = subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=kwargs.pop("cwd", ROOT),
                          capture_output=True, text=True, env=env, **kwargs)
    if check and done.returncode != 0:
        raise AssertionError(f"autograder exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="session")
def nbgrader_env():
    """Environment for nbgrader commands: the venv's bin on PATH (nbgrader runs `alembic` by name)."""
    return dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", MPLBACKEND="Agg")


@pytest.fixture(autouse=True, scope="module")
def _no_template_outlives_its_module():
    """A test that grades in this process starts the worker's template sandbox here (forkserver.py);
    it is closed after each module, so later tests that count processes see none of it, and the
    failures a module provoked on purpose (a bubblewrap that is gone) do not turn it off for the next."""
    yield
    from autograder.sandbox import forkserver
    forkserver.close()
    forkserver._failures.clear()
