"""Sample submissions built from an assignment's real release notebook, for demos, benchmarks and tests.

``filled(assignment, sources)`` is the release notebook with its exercise cells (nbgrader solution
cells, by ``grade_id``) replaced by ``sources``; ``solved_cells(assignment)`` are those cells as the
source notebook solves them. An assignment's package builds its variants (the reference, typical
mistakes) on these in its own ``sample.py``, so samples can never drift from what students receive.
"""
import copy
import re
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


def variant_notebook(assignment, variant, mistakes, *, syntax_error_in):
    """The release notebook as a student with ``variant`` would submit it: "release" (untouched),
    "reference" (the solved exercise cells), "syntax-error" (the reference with the colon of the first
    ``def forward(self, x):`` of cell ``syntax_error_in`` dropped), or a key of ``mistakes``:
    ``(grade_id, old, new)`` or ``(grade_id, ((old, new), ...))``, text replacements made in turn in the
    reference cell ``grade_id``, each of which must find its text."""
    if variant == "release":
        return release_notebook(assignment)
    cells = solved_cells(assignment)
    if variant == "syntax-error":
        cells[syntax_error_in] = re.sub(r"def forward\(self, x\):", "def forward(self, x)", cells[syntax_error_in],
                                        count=1)
    elif variant != "reference":
        grade_id, *edits = mistakes[variant]
        for old, new in ([tuple(edits)] if len(edits) == 2 else edits[0]):
            if old not in cells[grade_id]:
                raise ValueError(f"sample variant {variant}: {old!r} is not in the reference {grade_id} cell")
            cells[grade_id] = cells[grade_id].replace(old, new)
    return filled(assignment, cells)


def write_notebook(nb, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    return path
