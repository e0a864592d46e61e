"""01's sample submissions, built from the real release notebook: the demo class, the benchmark, tests.

``filled_notebook(variant)`` is the release notebook with its three exercise cells filled in the way
a student with that ``variant`` would: the reference solution, or the reference with one typical
mistake (a text substitution in one cell); "release" is the untouched release, "syntax-error" the
reference with a syntax error in the Sigmoid cell. Built from the committed release and the source
notebook (``autograder.course.sample``), so the samples can never drift from what students receive.
"""
from autograder.course import sample
from autograder.course.sample import write_notebook  # noqa: F401 -- the tests' and the bench's helper

from . import ASSIGNMENT

# The sample class of `make demo` (student: variant), and what the solved notebook's run prints last.
DEMO_CLASS = {
    "alice": "reference",
    "bob": "sigmoid-ignores-dout",
    "carol": "train-loss-after-update",
    "dave": "release",
    "erin": "net-params-copies",
    "frank": "syntax-error",
}
DEMO_EXCERPT = "最終預測"

# variant: (grade_id, text in the reference cell, replacement) -- one typical mistake each.
MISTAKES = {
    "sigmoid-ignores-dout": ("Sigmoid", "dx = dout * sigmoid_out * (1 - sigmoid_out)", "dx = sigmoid_out * (1 - sigmoid_out)"),
    "sigmoid-unstable": ("Sigmoid", "z = np.exp(-np.abs(x))\n        out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))",
                         "out = 1 / (1 + np.exp(-x))"),
    "net-backward-skips-sigmoid": ("TwoLayerNet", "dh1 = self.sigmoid.backward(dh2)", "dh1 = dh2"),
    "net-params-copies": ("TwoLayerNet", "(self.fc1.W, self.fc1.dW)", "(self.fc1.W.copy(), self.fc1.dW)"),
    # Record the loss only after the update: the two lines move below the update loop.
    "train-loss-after-update": ("train_xor", (
        ("        loss = np.mean((Y - y) ** 2)\n        losses.append(loss)\n", ""),
        ("            param -= learning_rate * grad\n",
         "            param -= learning_rate * grad\n\n        losses.append(np.mean((net.forward(X) - y) ** 2))\n"))),
    "train-rebinds-param": ("train_xor", "param -= learning_rate * grad", "param = param - learning_rate * grad"),
}


def filled_notebook(variant="reference"):
    """The release notebook as a student with ``variant`` would submit it ("release": untouched)."""
    return sample.variant_notebook(ASSIGNMENT, variant, MISTAKES, syntax_error_in="Sigmoid")
