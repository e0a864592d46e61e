"""02's sample submissions, built from the real release notebook: the demo class, the benchmark, tests.

``filled_notebook(variant)`` is the release notebook with its five exercise cells filled in the way
a student with that ``variant`` would: the reference solution, or the reference with one typical
mistake (a text substitution in one cell); "release" is the untouched release, "syntax-error" the
reference with a syntax error in the ReLU cell.
"""
from autograder.course import sample
from autograder.course.sample import write_notebook  # noqa: F401 -- the tests' and the bench's helper

from . import ASSIGNMENT

DEMO_CLASS = {
    "alice": "reference",
    "bob": "relu-ignores-dout",
    "carol": "softmax-no-max-shift",
    "dave": "release",
    "erin": "conv-db-not-summed",
    "frank": "pool-dx-overwritten",
    "grace": "train-no-shuffle",
    "heidi": "syntax-error",
}
DEMO_EXCERPT = "訓練正確率"

# variant: (grade_id, text in the reference cell, replacement) -- one typical mistake each.
MISTAKES = {
    "relu-ignores-dout": ("ReLU", "dx = np.where(positive, dout, 0.0)", "dx = np.where(positive, 1.0, 0.0)"),
    "softmax-no-max-shift": ("SoftmaxCrossEntropy", "shifted = scores - np.max(scores, axis=1, keepdims=True)",
                             "shifted = scores"),
    "conv-db-not-summed": ("Conv2D", "self.db = np.sum(dout, axis=(0, 2, 3))", "self.db = np.sum(dout, axis=(2, 3))"),
    "pool-dx-overwritten": ("MaxPool2D", "dx[n, c, i * S + p, j * S + q] += dout[:, :, i, j]",
                            "dx[n, c, i * S + p, j * S + q] = dout[:, :, i, j]"),
    "train-no-shuffle": ("train_classifier", "order = rng.permutation(N)", "order = np.arange(N)"),
}


def filled_notebook(variant="reference"):
    """The release notebook as a student with ``variant`` would submit it ("release": untouched)."""
    return sample.variant_notebook(ASSIGNMENT, variant, MISTAKES, syntax_error_in="ReLU")
