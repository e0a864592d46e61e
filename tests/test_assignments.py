"""What every registered assignment must satisfy, checked without code of its own: adding an
assignment package (docs/AUTHORING.md) brings it under these tests automatically."""
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import assignments, messages

from .conftest import run_cli

KNOWN = assignments.known()
EACH = pytest.mark.parametrize("assignment", KNOWN.values(), ids=list(KNOWN))


def grade_cells(path):
    nb = nbformat.read(path, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"].get("points")
            for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}


@EACH
def test_grade_cells_carry_their_parts_points(assignment):
    expected = {f"test_{part}": points for part, points in assignment.part_points.items()}
    for path in (Path(assignment.source) / assignment.notebook, Path(assignment.release) / assignment.notebook):
        assert grade_cells(path) == expected, f"{path}: grade cells differ from the rubric; run `make release`"


@EACH
def test_notebooks_carry_their_assignment_id(assignment):
    # `grade` tells the assignment of a lone notebook from this metadata.
    for path in (Path(assignment.release) / assignment.notebook, Path(assignment.solved)):
        meta = nbformat.read(path, as_version=4).metadata.get("exercise_kit", {})
        assert meta.get("assignment") == assignment.id, path


@EACH
def test_every_message_and_hint_has_every_language(assignment):
    catalogs = [messages.catalog(lang, assignment) for lang in messages.LANGUAGES]
    for words in catalogs:
        assert set(words.messages) == set(catalogs[0].messages) and set(words.hints) == set(catalogs[0].hints)
        for key, text in [*words.messages.items(), *words.hints.items()]:
            assert text.strip(), (words.lang, key)
    zh = messages.catalog("zh", assignment)
    for key, text in [*zh.messages.items(), *zh.hints.items()]:
        assert not any(c in text for c in "标数据这设"), f"{key}: simplified characters in the zh-TW text"


@EACH
def test_reference_defines_every_part_and_what_it_needs(assignment):
    reference = assignment.reference_module()
    for part in assignment.parts:
        for name in assignment.needs[part]:
            assert hasattr(reference, name), f"{assignment.id}: the reference has no {name} (needed by {part})"


@pytest.mark.slow
@EACH
def test_solved_notebook_gets_full_marks_and_the_release_nothing(assignment, tmp_path):
    """Through the real CLI, the assignment told by the notebooks' own metadata (no --assignment)."""
    klass = tmp_path / "class"
    klass.mkdir()
    shutil.copy(assignment.solved, klass / "solved.ipynb")
    shutil.copy(Path(assignment.release) / assignment.notebook, klass / "release.ipynb")
    run_cli("grade", klass, "--json", tmp_path / "g.json", "--quiet", assignment=None)
    results = {r["id"]: r for r in json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))}
    assert {r["assignment"] for r in results.values()} == {assignment.id}
    solved, release = results["solved"], results["release"]
    assert solved["status"] == release["status"] == "graded"
    assert solved["score"] == solved["max_score"] == assignment.total_points, [
        (t["name"], t["score"], t["output"][:300]) for t in solved["tests"] if t["score"] < t["max_score"]]
    assert release["score"] == 0
