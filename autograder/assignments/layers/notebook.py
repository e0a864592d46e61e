"""What 02's notebook states and its grader also uses, written once.

``python -m solutions.build`` writes each of ``CONSTANTS`` into the source notebook's one top-level
line ``NAME = value`` (``tests/test_assignment_02.py`` checks the release and the text around them):
the self-check's thresholds and training run are the grader's, and the notebook's figures and the
feedback figure colour the classes alike.
"""
from . import rubric

# One colour per spiral class (matplotlib's tab10 blue, orange, green): a class's points, its legend
# entry and its decision region (the same colour, drawn at REGION_ALPHA over white) in the notebook
# and in the feedback figure.
CLASS_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c")
REGION_ALPHA = 0.3

_, _HIDDEN, _LEARNING_RATE, _EPOCHS, _BATCH_SIZE, _ = rubric.TRAIN_RUNS["accuracy"]

CONSTANTS = {
    "VALUE_TOL": rubric.VALUE_REL_TOL,
    "SPIRAL_MIN_ACCURACY": rubric.SPIRAL_MIN_ACCURACY,
    "SPIRAL_HIDDEN": _HIDDEN,
    "SPIRAL_LEARNING_RATE": _LEARNING_RATE,
    "SPIRAL_EPOCHS": _EPOCHS,
    "SPIRAL_BATCH_SIZE": _BATCH_SIZE,
    "CLASS_PALETTE": CLASS_PALETTE,
    "REGION_ALPHA": REGION_ALPHA,
}
