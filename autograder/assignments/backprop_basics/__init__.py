"""Assignment 01, 「01 反向傳播基礎 Backpropagation Basics」: Sigmoid, TwoLayerNet, train_xor.

Everything the engine needs to grade it is here: ``rubric`` (points, tiers, tolerances, training
runs), ``operations`` (what the sandboxed child does with the student's code), ``checks/`` (the
pytest tests), ``reference`` (expected values and the typical mistakes' models), ``messages``
(per-test sentences and hints, zh-TW and English), ``plots`` (the feedback figure) and ``sample``
(sample submissions built from the release). See docs/AUTHORING.md.
"""
from pathlib import Path

from autograder.assignment import Assignment

from . import rubric

ROOT = Path(__file__).resolve().parents[3]

ASSIGNMENT = Assignment(
    id="01_backprop_basics",
    title="01 反向傳播基礎 Backpropagation Basics",
    package=__name__,
    notebook="backprop_basics.ipynb",
    tests=rubric.TESTS,
    parts=rubric.PARTS,
    needs=rubric.PART_NEEDS,
    setups=rubric.PART_SETUPS,
    entry_points=("FullyConnectedLayer", "Sigmoid", "TwoLayerNet", "train_xor"),
    reference=ROOT / "solutions" / "01_backprop_basics" / "backprop_basics.py",
    source=ROOT / "source" / "01_backprop_basics",
    release=ROOT / "assignments" / "01_backprop_basics",
    solved=ROOT / "solutions" / "01_backprop_basics" / "backprop_basics.ipynb",
    rubric_notes=rubric.NOTES,
    course_modules=rubric.COURSE_MODULES,
    overwrite_share=rubric.OVERWRITE_SHARE,
)
