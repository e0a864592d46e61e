"""The release's self-checks agree with the hidden grader (run on notebooks built from the release)."""
import json

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.assignments.backprop_basics import ASSIGNMENT, rubric, sample

from .conftest import run_cli

VARIANTS = ["reference", "release", *sample.MISTAKES]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("selfcheck")
    for variant in VARIANTS:
        sample.write_notebook(sample.filled_notebook(variant), folder / f"{variant}.ipynb")
    run_cli("grade", folder, "--json", folder / "g.json", "--quiet")
    return folder, {r["id"]: r for r in json.loads((folder / "g.json").read_text())}


def self_checks(path, tmp_path):
    """part -> did the notebook's visible self-check cell pass?"""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
    passed = {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("test_"):
            passed[grade_id[5:]] = not any(o.output_type == "error" for o in cell.outputs)
    return passed


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS)
def test_visible_checks_agree_with_the_grader(graded, variant, tmp_path):
    folder, results = graded
    visible = self_checks(folder / f"{variant}.ipynb", tmp_path)
    scores = {part: 0.0 for part in rubric.PARTS}
    for test in results[variant]["tests"]:
        scores[ASSIGNMENT.by_name[test["name"]].part] += test["score"]
    for part in rubric.PARTS:
        # (The reverse need not hold: a self-check uses the student's own earlier classes, while the
        # grader swaps in the reference, so a Sigmoid mistake can fail exercise 2's self-check.)
        if visible[part]:
            assert scores[part] > 0, f"{part}: the self-check passes but the grader gives 0"
        if scores[part] == 0:
            assert not visible[part]
    if variant == "sigmoid-ignores-dout":
        assert not visible["Sigmoid"], "a random upstream gradient in the self-check catches it"
