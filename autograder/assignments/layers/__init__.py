"""Assignment 02, 「02 常用的層 Layers」: ReLU, SoftmaxCrossEntropy, Conv2D, MaxPool2D, train_classifier.

Built like 01's package (see docs/AUTHORING.md): ``rubric`` (points, tiers, tolerances, training
runs), ``operations`` (what the sandboxed child does with the student's code), ``checks/`` (the
pytest tests), ``reference`` (expected values and the typical mistakes' models), ``messages``
(per-test sentences and hints, zh-TW and English) and ``sample`` (the demo class).
"""
from autograder.checks.authoring import Assignment

from . import rubric

ASSIGNMENT = Assignment.from_rubric(rubric, id="02_layers",
                                    title="02 常用的層 Layers：ReLU、Softmax + Cross-Entropy、Conv2D、MaxPool",
                                    notebook="layers.ipynb")
