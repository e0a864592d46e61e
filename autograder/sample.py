"""Sample submissions built from an assignment's real release notebook, for demos, benchmarks and tests.

``filled(assignment, sources)`` is the release notebook with its exercise cells (nbgrader solution
cells, by ``grade_id``) replaced by ``sources``; ``solved_cells(assignment)`` are those cells as the
source notebook solves them. An assignment's package builds its variants (the reference, typical
mistakes) on these in its own ``sample.py``, so samples can never drift from what students receive.
"""
import copy
from pathlib import Path

import nbformat

from solutions.build import solved_source


def source_notebook(assignment):
    return nbformat.read(Path(assignment.source) / assignment.notebook, as_version=4)


def release_notebook(assignment):
    return nbformat.read(Path(assignment.release) / assignment.notebook, as_version=4)


def solved_cells(assignment):
    """grade_id -> solved source of each exercise (solution) cell of the source notebook."""
    return {cell.metadata["nbgrader"]["grade_id"]: solved_source(cell.source)
            for cell in source_notebook(assignment).cells
            if cell.metadata.get("nbgrader", {}).get("solution") and cell.metadata["nbgrader"].get("grade_id")}


def filled(assignment, sources):
    """The release notebook with the exercise cells named in ``sources`` (grade_id -> code) filled in."""
    nb = copy.deepcopy(release_notebook(assignment))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in sources:
            cell.source = sources[grade_id]
    return nb


def write_notebook(nb, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    return path
