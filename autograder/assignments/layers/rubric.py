"""02's grading rules, written once: every test's points, the credit tiers and the tolerances.

The checks read them from here; the nbgrader test cells' points (test_<part> = the part's total), the
README's table (``python -m autograder rubric --assignment 02_layers``) and the engine (through
``ASSIGNMENT`` in ``__init__.py``) are generated from or checked against them.
"""
from autograder.checks import authoring
from autograder.checks.authoring import BACKPROPAGATION_RULE, Test

PARTS = ("ReLU", "SoftmaxCrossEntropy", "Conv2D", "MaxPool2D", "train_classifier")
COURSE_MODULES = ("numpy", "matplotlib")

# What each part's code needs to run (FullyConnectedLayer and MLPClassifier are given code).
TRAIN_PIECES = ("FullyConnectedLayer", "ReLU", "SoftmaxCrossEntropy", "MLPClassifier")
PART_NEEDS = {
    "ReLU": ("ReLU",),
    "SoftmaxCrossEntropy": ("SoftmaxCrossEntropy",),
    "Conv2D": ("Conv2D",),
    "MaxPool2D": ("MaxPool2D",),
    "train_classifier": TRAIN_PIECES + ("train_classifier",),
}
# train_classifier is graded with the reference network (so a mistake in ReLU or the softmax never
# costs it a point), then with the student's own pieces; each test keeps the better.
PART_SETUPS = {
    "ReLU": ((),),
    "SoftmaxCrossEntropy": ((),),
    "Conv2D": ((),),
    "MaxPool2D": ((),),
    "train_classifier": (TRAIN_PIECES, ()),
}

# train_classifier runs on the 3-class spiral (make_spiral(100, 3, seed=0), 300 points), name:
# (initialisation seed, hidden, learning_rate, epochs, batch_size, shuffle seed).
# "main": last batch of 6; "second": last batch of 44; "accuracy": the notebook's network and step, 50
# epochs instead of its 200 (a quarter of the time: the reference reaches ≥ 96% after 40 epochs from each
# of 10 initialisations, and 50 leaves the 90% threshold a wide margin).
TRAIN_RUNS = {
    "main": (2, 8, 0.3, 3, 7, 11),
    "second": (4, 10, 0.1, 4, 64, 123),
    "accuracy": (0, 64, 1.0, 50, 32, 0),
}
SPIRAL_MIN_ACCURACY = 0.9

TESTS = (
    Test("ReLU.forward values", "ReLU", 5,
         "max(0, x) against the reference for three shapes (with exact zeros); share of shapes right"),
    Test("ReLU.backward gradient check", "ReLU", 10,
         "dx for a random upstream gradient dout, three shapes, the gradient at exactly 0 being 0; each shape "
         "tiered by relative error against the reference, the mean of the three"),
    Test("SoftmaxCrossEntropy.forward values", "SoftmaxCrossEntropy", 6,
         "mean cross-entropy loss against the reference for (N, C) = (5, 3), (8, 10), (1, 4), (16, 3); share right"),
    Test("SoftmaxCrossEntropy.forward extreme scores", "SoftmaxCrossEntropy", 4,
         "scores of ±1000 and ±50: the loss finite and equal to the reference (up to 2000); an overflow warning "
         "keeps only the stable-form share"),
    Test("SoftmaxCrossEntropy.backward gradient check", "SoftmaxCrossEntropy", 10,
         "dscores = dout·(p − onehot)/N for random scalar dout, four cases, and backward() without an argument "
         "(the default dout = 1.0); each tiered by relative error against the reference, the mean of the five "
         "(stability at extreme scores is graded once, by the extreme-scores test)"),
    Test("Conv2D initialisation", "Conv2D", 3,
         "W of shape (F, C, K, K) with He scale sqrt(2 / (C·K·K)) (sample std within 20%), b zeros of shape (F,); "
         "counted only when Conv2D.forward returns an output of the right shape for at least one case (__init__ is "
         "given code)"),
    Test("Conv2D.forward values", "Conv2D", 9,
         "cross-correlation with zero padding against the reference, six cases (batch > 1, channels > 1, "
         "stride 1–3, padding 0–2, H ≠ W, sizes not divisible by the stride); share right"),
    Test("Conv2D.backward gradient check dx", "Conv2D", 8,
         "dx for a random upstream gradient, the six cases; each tiered by relative error against the reference, "
         "the mean of the six"),
    Test("Conv2D.backward gradient check dW", "Conv2D", 6, "dW, the six cases; each tiered, the mean"),
    Test("Conv2D.backward gradient check db", "Conv2D", 4, "db (summed over N, H', W'), the six cases; each tiered, "
         "the mean"),
    Test("MaxPool2D.forward values", "MaxPool2D", 6,
         "window maxima against the reference, six tie-free cases (default stride, stride 1–2, overlapping "
         "windows, sizes not divisible by the stride); share right"),
    Test("MaxPool2D.backward gradient check", "MaxPool2D", 9,
         "dx for a random upstream gradient (routed to each window's maximum, overlapping windows "
         "accumulating), the six cases; each tiered, the mean"),
    Test("train_classifier loss trajectory", "train_classifier", 8,
         "one loss per batch, recorded before the update, equal to the reference run for two runs "
         "(lr, epochs, batch_size, seed) with a smaller last batch; half each"),
    Test("train_classifier final parameters", "train_classifier", 6,
         "parameters after the same two runs equal the reference run's (updated in place); half each"),
    Test("train_classifier spiral accuracy", "train_classifier", 6,
         f"training accuracy ≥ {SPIRAL_MIN_ACCURACY:.0%} on the spiral after the notebook's network and step "
         f"(hidden {TRAIN_RUNS['accuracy'][1]}, lr {TRAIN_RUNS['accuracy'][2]:g}, batch {TRAIN_RUNS['accuracy'][4]}) "
         f"trained {TRAIN_RUNS['accuracy'][3]} epochs, counted only when the losses are real and the parameters (or "
         "all the losses) are those of mini-batch SGD on the spiral from the given start (or every update the grader "
         "watched is a step params −= c·grads, c > 0, after net.backward on spiral rows with their own labels, "
         "whatever the step size, order or number of epochs): the reference loop or a "
         "typical variant that still is one (another shuffle, order, seed or batching, one batch of all rows, steps "
         "divided by the batch size, losses recorded after the update or per epoch), not a loop that never updates "
         "or shuffles the labels apart from their points (that trains on other data), nor weights found elsewhere"),
)

REL_ERROR_FLOOR = 1e-8
# Forward values: relative error |a − b| / (|a| + |b| + 1e-8) at most this.
VALUE_REL_TOL = 1e-7
# Gradients: an absolute floor joins the relative error (|a − b| / (|a| + |b| + floor)), so entries
# that should be 0 (ReLU's negatives, pooling's non-maxima) are not judged by rounding noise.
GRADIENT_FLOOR = 1e-10
GRADIENT_TIERS = ((1e-7, 1.0), (1e-5, 0.7), (1e-3, 0.3))
# Training: losses by relative error, parameters norm-wise ||a − b|| / (||a|| + ||b||): correct forms
# of the same mathematics drift by rounding (measured: up to 1.2e-9 in losses, 7e-9 norm-wise in parameters
# over 200 epochs with the student's own pieces).
TRAJECTORY_REL_TOL = 1e-6
PARAMS_NORM_TOL = 1e-6
UNSTABLE_FORWARD_SHARE = 0.5
OVERWRITE_SHARE = 0.5
HE_STD_TOLERANCE = 0.2


def tier(error):
    """Share of the points a gradient with this relative error earns."""
    return authoring.tier(error, GRADIENT_TIERS)


NOTES = (f"Gradient tiers (each case's largest relative error against the reference's analytic gradient, floor "
         f"{GRADIENT_FLOOR:g}): {', '.join(f'≤ {t:g} → {s:.0%}' for t, s in GRADIENT_TIERS)}, else 0; a gradient "
         "test earns the mean of its cases' tiers, a case that raises or has the wrong shape earning 0. "
         f"Forward values match when their relative error is ≤ {VALUE_REL_TOL:g}; training losses when it "
         f"is ≤ {TRAJECTORY_REL_TOL:g}, trained parameters when their norm-wise error is ≤ {PARAMS_NORM_TOL:g}. "
         f"A test whose calls overwrite an array their caller passed in keeps {OVERWRITE_SHARE:.0%} of its "
         "points. train_classifier is graded with the reference FullyConnectedLayer, ReLU, SoftmaxCrossEntropy "
         "and MLPClassifier, then with the student's own, and each test keeps the better. "
         + BACKPROPAGATION_RULE)
