"""Assignment 02, 「02 常用的層 Layers」: ReLU, SoftmaxCrossEntropy, Conv2D, MaxPool2D, train_classifier.

Built like 01's package (see docs/AUTHORING.md): ``rubric`` (points, tiers, tolerances, training
runs), ``operations`` (what the sandboxed child does with the student's code), ``checks/`` (the
pytest tests), ``reference`` (expected values and the typical mistakes' models), ``messages``
(per-test sentences and hints, zh-TW and English) and ``sample`` (the demo class).
"""
from pathlib import Path

from autograder.assignment import Assignment

from . import rubric

ROOT = Path(__file__).resolve().parents[3]

ASSIGNMENT = Assignment(
    id="02_layers",
    title="02 常用的層 Layers：ReLU、Softmax + Cross-Entropy、Conv2D、MaxPool",
    package=__name__,
    notebook="layers.ipynb",
    tests=rubric.TESTS,
    parts=rubric.PARTS,
    needs=rubric.PART_NEEDS,
    setups=rubric.PART_SETUPS,
    entry_points=("FullyConnectedLayer", "ReLU", "SoftmaxCrossEntropy", "Conv2D", "MaxPool2D", "MLPClassifier",
                  "train_classifier"),
    reference=ROOT / "solutions" / "02_layers" / "layers.py",
    source=ROOT / "source" / "02_layers",
    release=ROOT / "assignments" / "02_layers",
    solved=ROOT / "solutions" / "02_layers" / "layers.ipynb",
    rubric_notes=rubric.NOTES,
    course_modules=rubric.COURSE_MODULES,
    overwrite_share=rubric.OVERWRITE_SHARE,
)
