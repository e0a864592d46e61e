"""A tiny assignment, 「00 Tanh」, kept under tests/ to prove that adding an assignment needs no
engine change: docs/AUTHORING.md walks through writing it. One part, ``Tanh``."""
from pathlib import Path

from autograder.checks.authoring import Assignment

from . import rubric

# Its notebooks live beside this package (tests/files/tiny/source, solutions), not in the kit's folders.
ASSIGNMENT = Assignment.from_rubric(rubric, id="00_tanh", title="00 Tanh", notebook="tanh.ipynb",
                                    root=Path(__file__).resolve().parents[1])
