"""Real nbgrader on a temporary course: release, autograde, export -- with the kit's points."""
import csv
import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.assignments import backprop_basics
from autograder.assignments.backprop_basics import rubric, sample

from .conftest import ROOT, run_cli

ASSIGNMENT = "01_backprop_basics"
STUDENTS = {"alice": "reference", "bob": "release", "carol": "sigmoid-ignores-dout",
            "dave": "reference", "erin": "train-loss-after-update", "frank": "net-params-copies"}


def nbgrader(course, env, *args):
    return subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"], cwd=course, env=env,
                          capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory, nbgrader_env):
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (course / ".nbgrader").mkdir()
    nbgrader(course, nbgrader_env, "generate_assignment", ASSIGNMENT)
    for student, variant in STUDENTS.items():
        nb = sample.filled_notebook(variant)
        if student == "dave":   # deletes a test cell: nbgrader must restore it (add_missing_cells)
            nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_Sigmoid"]
        sample.write_notebook(nb, course / "submitted" / student / ASSIGNMENT / "backprop_basics.ipynb")
    nbgrader(course, nbgrader_env, "autograde", ASSIGNMENT)
    nbgrader(course, nbgrader_env, "export")
    return course


def nbgrader_part_scores(course, student):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gb:
        return {part: gb.find_grade(f"test_{part}", "backprop_basics", ASSIGNMENT, student).score
                for part in rubric.PARTS}


def cli_part_scores(course, tmp_path):
    run_cli("grade", course / "submitted", "--json", tmp_path / "g.json", "--quiet")
    scores = {}
    for result in json.loads((tmp_path / "g.json").read_text()):
        per_part = {part: 0.0 for part in rubric.PARTS}
        for test in result["tests"]:
            per_part[backprop_basics.ASSIGNMENT.by_name[test["name"]].part] += test["score"]
        scores[result["id"]] = {p: round(s, 4) for p, s in per_part.items()}
    return scores


@pytest.mark.slow
def test_autograde_gives_each_exercise_the_cli_points(course, tmp_path):
    cli = cli_part_scores(course, tmp_path)
    for student in STUDENTS:
        assert nbgrader_part_scores(course, student) == pytest.approx(cli[student]), student
    assert cli["alice"] == backprop_basics.ASSIGNMENT.part_points
    assert cli["bob"] == {part: 0.0 for part in rubric.PARTS}
    assert 0 < cli["erin"]["train_xor"] < backprop_basics.ASSIGNMENT.part_points["train_xor"], "partial credit survives nbgrader"


@pytest.mark.slow
def test_a_deleted_test_cell_is_restored(course):
    graded = nbformat.read(course / "autograded" / "dave" / ASSIGNMENT / "backprop_basics.ipynb", as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in graded.cells]
    assert "test_Sigmoid" in ids
    assert nbgrader_part_scores(course, "dave") == backprop_basics.ASSIGNMENT.part_points


@pytest.mark.slow
def test_export_gradebook_totals(course):
    rows = {r["student_id"]: r for r in csv.DictReader((course / "grades.csv").open())}
    assert float(rows["alice"]["score"]) == backprop_basics.ASSIGNMENT.total_points
    assert float(rows["bob"]["score"]) == 0.0
    assert float(rows["carol"]["score"]) == backprop_basics.ASSIGNMENT.total_points - backprop_basics.ASSIGNMENT.part_points["Sigmoid"] / 2


@pytest.mark.slow
def test_graded_cells_show_feedback_not_grader_internals(course):
    graded = nbformat.read(course / "autograded" / "carol" / ASSIGNMENT / "backprop_basics.ipynb", as_version=4)
    cell = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_Sigmoid")
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert "Sigmoid: 15 / 30" in text and "提示" in text
    assert not [o for o in cell.outputs if o.output_type == "error" or o.get("name") == "stderr"]
    for internal in ("reference.py", "checks/test_", "Traceback"):
        assert internal not in text
