"""01's grading rules, written once: every test's points, the credit tiers and the tolerances.

The checks read them from here; the nbgrader test cells' points, the README's table
(``python -m autograder rubric --assignment 01_backprop_basics``) and the engine (through
``ASSIGNMENT`` in ``__init__.py``) are generated from or checked against them.
"""
from autograder.checks import authoring
from autograder.checks.authoring import BACKPROPAGATION_RULE, Test

PARTS = ("Sigmoid", "TwoLayerNet", "train_xor")
# Modules the notebook itself imports: a grading environment without one (Gradescope's installs only
# numpy and pytest) is no news to the student, so an unused import of them is not mentioned.
COURSE_MODULES = ("numpy", "matplotlib")

# What each part's code needs to run: the pieces it calls (FullyConnectedLayer is given code).
PART_NEEDS = {
    "Sigmoid": ("Sigmoid",),
    "TwoLayerNet": ("FullyConnectedLayer", "Sigmoid", "TwoLayerNet"),
    "train_xor": ("FullyConnectedLayer", "Sigmoid", "TwoLayerNet", "train_xor"),
}
# The setups a part is graded with, in turn, until one gives full points; each test keeps its best.
# A setup names the reference pieces swapped in; the rest of PART_NEEDS is the student's own. The
# reference first (a mistake in Sigmoid never costs TwoLayerNet a point), then the student's own
# pieces (a TwoLayerNet that relies on its own Sigmoid's attributes never loses for it). The parts
# are graded in PARTS order, so a reference piece reaches a sandbox only after its own part is graded.
PART_SETUPS = {
    "Sigmoid": ((),),
    "TwoLayerNet": (("FullyConnectedLayer", "Sigmoid"), ()),
    "train_xor": (("FullyConnectedLayer", "Sigmoid", "TwoLayerNet"), ("FullyConnectedLayer", "Sigmoid"), ()),
}

# train_xor runs, name: (initialisation seed, learning_rate, epochs). The reference reaches 4/4 on
# "main" and "second"; "short" checks that other arguments are honoured.
TRAIN_RUNS = {"main": (1, 0.3, 500), "second": (3, 0.3, 200), "short": (5, 0.5, 37)}
_MAIN, _SECOND, _SHORT = TRAIN_RUNS["main"], TRAIN_RUNS["second"], TRAIN_RUNS["short"]


TESTS = (
    Test("Sigmoid.forward values", "Sigmoid", 10,
         "σ(x) against the reference on random inputs of shapes (5,), (3, 4), (2, 3, 4); share of shapes right"),
    Test("Sigmoid.forward extreme inputs", "Sigmoid", 5,
         "x = ±1000, ±50, ±3, ±0.5, 0: finite and correct (so only a sigmoid passes); an overflow warning "
         "keeps only the stable-form share"),
    Test("Sigmoid.backward gradient check", "Sigmoid", 15,
         "dx for random x and random upstream gradient dout, three shapes, against the reference and a "
         "central-difference gradient; each shape tiered by relative error, the mean of the three"),
    Test("TwoLayerNet structure", "TwoLayerNet", 5,
         "fc1 / sigmoid / fc2 of the right classes and sizes for (2, 8, 1), (3, 5, 2), (4, 3, 3); share right, "
         "a size counting only when the network also computes with the grader's parameters of those shapes "
         "(its forward, or its backward's gradients)"),
    Test("TwoLayerNet.forward values", "TwoLayerNet", 8,
         "output against the reference with the grader's parameters, three sizes; share right"),
    Test("TwoLayerNet.backward gradient check dX", "TwoLayerNet", 9,
         "dX for a random upstream gradient, three sizes; each tiered by relative error, the mean of the three"),
    Test("TwoLayerNet.backward gradient check parameters", "TwoLayerNet", 10,
         "fc1.dW, fc1.db, fc2.dW, fc2.db after backward, three sizes; each size tiered by its largest relative "
         "error, the mean of the three"),
    Test("TwoLayerNet.get_params_and_grads", "TwoLayerNet", 8,
         "the four documented (param, grad) pairs in order, the network's own arrays: an in-place update "
         "through them changes the network (with known gradients put in the layers when backward left none, "
         "so a wrong backward costs only its own tests); confirmed by what the network computes (its "
         "backward's gradients, or its forward with the updated parameters)"),
    Test("train_xor loss trajectory", "train_xor", 10,
         "one loss per epoch, losses[i] before the i-th update, equal to the reference run "
         f"(lr {_MAIN[1]:g}, {_MAIN[2]} epochs): 30% for the first loss and 20% for the count (both only when "
         "the run trained: parameters or losses of gradient descent on XOR, as in the accuracy test), 50% for the "
         "whole trajectory"),
    Test("train_xor final parameters", "train_xor", 6,
         "parameters after training equal the reference run's (updated in place, full batch)"),
    Test("train_xor honours learning_rate and epochs", "train_xor", 6,
         f"a second run with lr {_SHORT[1]:g} and {_SHORT[2]} epochs: half for its trained parameters matching "
         "the reference run's, half for both runs returning one real loss per epoch"),
    Test("train_xor XOR accuracy", "train_xor", 8,
         f"4/4 on XOR from two fixed initialisations where the reference reaches 4/4 (lr {_MAIN[1]:g}: "
         f"{_MAIN[2]} and {_SECOND[2]} epochs), each counted only when its parameters (or losses) are those of "
         "gradient descent on XOR: the reference loop, one epoch more or less, one-sample or unaveraged steps, or "
         "steps a fixed factor (0.25–8) off the reference's; gradient ascent is not"),
)

# Relative error |a - b| / (|a| + |b| + REL_ERROR_FLOOR), the notebook's own formula.
REL_ERROR_FLOOR = 1e-8
# Forward values and trajectories are compared with this relative tolerance.
VALUE_REL_TOL = 1e-7
# Loss trajectories and trained parameters: rounding differs between correct forms of the same math.
TRAJECTORY_REL_TOL = 1e-6
# Gradient checks: the share of a test's points by the largest relative error against the reference.
GRADIENT_TIERS = ((1e-7, 1.0), (1e-5, 0.7), (1e-3, 0.3))
# Central differences of the reference, reported beside the error so a student sees both.
NUMERICAL_EPS = 1e-6
# Share of "Sigmoid.forward extreme inputs" kept when the values are right but overflow warnings fired.
UNSTABLE_FORWARD_SHARE = 0.6
# Share of a test kept when the student's code overwrote an array its caller passed in (x, dout, X):
# the values may be right, but a caller (the notebook's next cell) then works on corrupted data.
OVERWRITE_SHARE = 0.5


def tier(error):
    """Share of the points a gradient with this relative error earns."""
    return authoring.tier(error, GRADIENT_TIERS)


NOTES = (f"Gradient tiers (each case's largest relative error against the reference): "
         f"{', '.join(f'≤ {t:g} → {s:.0%}' for t, s in GRADIENT_TIERS)}, else 0; a gradient test earns the mean "
         "of its cases' tiers, a case that raises or has the wrong shape earning 0. "
         f"Values match when their relative error is ≤ {VALUE_REL_TOL:g}; loss trajectories and "
         f"trained parameters when it is ≤ {TRAJECTORY_REL_TOL:g}. Relative error is "
         f"|a − b| / (|a| + |b| + {REL_ERROR_FLOOR:g}), the notebook's formula. A test whose calls "
         f"overwrite an array their caller passed in (x, dout, X) keeps {OVERWRITE_SHARE:.0%} of its points. "
         "Each part is graded with the setups in PART_SETUPS (the reference's other pieces, then the "
         f"student's own) and each test keeps the best. {BACKPROPAGATION_RULE}")
