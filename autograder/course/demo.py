"""`make demo`: for each assignment, run the solved notebook headless, then grade its sample class.

The sample class (the assignment package's ``sample.DEMO_CLASS``: the reference, typical mistakes,
an untouched release, a syntax error) is built from the committed release notebook in nbgrader's
``submitted/<student>/<assignment>/`` layout, and graded exactly as ``python -m autograder grade``.
"""
import shutil
from collections.abc import Iterable
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder import grading
from autograder.assignment import Assignment


def run_solved_notebook(assignment: Assignment, excerpt: str) -> str:
    """Execute the solved notebook top to bottom; return what it printed from ``excerpt`` on."""
    solved = assignment.solved
    if solved is None:
        raise ValueError(f"{assignment.id}: no solved notebook to run (Assignment.solved is None)")
    nb = nbformat.read(solved, as_version=4)
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(Path(solved).parent)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                      if o.output_type == "stream")
    return printed[printed.index(excerpt):].strip() if excerpt and excerpt in printed else printed[-500:]


def build_class(assignment: Assignment, folder: Path) -> None:
    """The assignment's sample class in ``folder`` (nbgrader's submitted/ layout)."""
    sample = assignment.required_module("sample")
    if folder.exists():
        shutil.rmtree(folder)
    for student, variant in sample.DEMO_CLASS.items():
        sample.write_notebook(sample.filled_notebook(variant), folder / student / assignment.id / assignment.notebook)


def main(chosen: Iterable[Assignment], *, out: Path = Path("demo-output")) -> None:
    """For each assignment: run its solved notebook, then grade its sample class into ``out``."""
    for assignment in chosen:
        where = Path(out) / assignment.id
        sample = assignment.module("sample")
        print(f"== {assignment.id}: 1. solved notebook, executed headless (nbclient) ==")
        print(run_solved_notebook(assignment, getattr(sample, "DEMO_EXCERPT", "")))
        print()
        submitted = where / "class" / "submitted"
        build_class(assignment, submitted)
        print(f"== {assignment.id}: 2. grading the sample class in {submitted} ==")
        grading.grade(paths=[submitted], assignment=assignment.id, json_path=where / "grades.json",
                      csv_path=where / "grades.csv", feedback_dir=where / "feedback",
                      results_dir=where / "grades.results", force=True)
        print(f"\nwrote {where / 'grades.json'}, {where / 'grades.csv'} and {where / 'feedback'}/\n")
