"""Assignment 01, 「01 反向傳播基礎 Backpropagation Basics」: Sigmoid, TwoLayerNet, train_xor.

Everything the engine needs to grade it is here: ``rubric`` (points, tiers, tolerances, training
runs), ``operations`` (what the sandboxed child does with the student's code), ``checks/`` (the
pytest tests), ``reference`` (expected values and the typical mistakes' models), ``messages``
(per-test sentences and hints, zh-TW and English), ``plots`` (the feedback figure) and ``sample``
(sample submissions built from the release). See docs/AUTHORING.md.
"""
from autograder.checks.authoring import Assignment

from . import rubric

ASSIGNMENT = Assignment.from_rubric(rubric, id="01_backprop_basics", title="01 反向傳播基礎 Backpropagation Basics",
                                    notebook="backprop_basics.ipynb")
