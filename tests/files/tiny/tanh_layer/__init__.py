"""A tiny assignment, 「00 Tanh」, kept under tests/ to prove that adding an assignment needs no
engine change: docs/AUTHORING.md walks through writing it. One part, ``Tanh``."""
from pathlib import Path

from autograder.assignment import Assignment

from . import rubric

HERE = Path(__file__).resolve().parent

ASSIGNMENT = Assignment(
    id="00_tanh",
    title="00 Tanh",
    package=__name__,
    notebook="tanh.ipynb",
    tests=rubric.TESTS,
    parts=rubric.PARTS,
    needs={"Tanh": ("Tanh",)},
    setups={"Tanh": ((),)},
    entry_points=("Tanh",),
    reference=HERE.parent / "solutions" / "00_tanh" / "tanh.py",
    source=HERE.parent / "source" / "00_tanh",
    rubric_notes=rubric.NOTES,
    course_modules=("numpy",),
)
