"""Assignment 02 graded three ways -- the CLI, real nbgrader autograde and the Gradescope bundle --
gives the same points per student, on notebooks built from the real release (sample.py)."""
import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from autograder.assignments.layers import ASSIGNMENT, sample

from .conftest import ROOT, VENV_BIN

STUDENTS = {"alice": "reference", "bob": "relu-ignores-dout", "grace": "train-no-shuffle", "dave": "release"}


def env():
    return dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", MPLBACKEND="Agg")


def run(*args, cwd=ROOT, extra=None):
    done = subprocess.run([*map(str, args)], cwd=cwd, env={**env(), **(extra or {})}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.slow
def test_cli_nbgrader_and_gradescope_give_the_same_points(tmp_path):
    course = tmp_path / "course"
    run(sys.executable, "-m", "autograder", "course", course, "--assignment", ASSIGNMENT.id)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    run(*nbgrader, "generate_assignment", ASSIGNMENT.id, "--log-level=WARN", cwd=course)
    for student, variant in STUDENTS.items():
        sample.write_notebook(sample.filled_notebook(variant),
                              course / "submitted" / student / ASSIGNMENT.id / ASSIGNMENT.notebook)
    run(*nbgrader, "autograde", ASSIGNMENT.id, "--log-level=WARN", cwd=course)
    run(*nbgrader, "export", "--log-level=WARN", cwd=course)
    exported = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader((course / "grades.csv").open())}

    run(sys.executable, "-m", "autograder", "grade", course / "submitted", "--json", tmp_path / "cli.json", "--quiet")
    cli = {r["id"]: r["score"] for r in json.loads((tmp_path / "cli.json").read_text())}
    assert cli == exported
    assert cli["alice"] == 100 and cli["dave"] == 0 and 0 < cli["bob"] < 100 and 0 < cli["grace"] < 100

    run(sys.executable, "-m", "autograder", "gradescope", "--assignment", ASSIGNMENT.id, "--out", tmp_path / "gs.zip")
    root = tmp_path / "gs" / "autograder"
    for name in ("source", "submission", "results"):
        (root / name).mkdir(parents=True)
    with zipfile.ZipFile(tmp_path / "gs.zip") as archive:
        assert not [n for n in archive.namelist() if "backprop_basics" in n], "only this assignment is in its bundle"
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    for student in ("alice", "bob"):
        for old in (root / "submission").iterdir():
            old.unlink()
        shutil.copy(course / "submitted" / student / ASSIGNMENT.id / ASSIGNMENT.notebook, root / "submission")
        run(root / "run_autograder", cwd=root, extra={"AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable})
        data = json.loads((root / "results" / "results.json").read_text())
        assert data["score"] == cli[student]
