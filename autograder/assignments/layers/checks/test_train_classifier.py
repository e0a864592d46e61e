"""Exercise 5: train_classifier, graded with the reference MLPClassifier (and its pieces) swapped in,
then with the student's own (rubric.PART_SETUPS); each test keeps the better."""
import math

import numpy as np
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import PARAMS_NORM_TOL, SPIRAL_MIN_ACCURACY, TRAIN_RUNS

COMPARED = ("main", "second")


def run(student, name):
    params, X, y, lr, epochs, batch_size, seed = reference.run_args(name)
    return student.request("train_classifier", "train", key=("train", name), params=params, X=X,
                           y=y.astype(np.float64), learning_rate=lr, epochs=epochs, batch_size=batch_size, seed=seed)


def run_name(check, name):
    _, _, lr, epochs, batch_size, seed = TRAIN_RUNS[name]
    return check.text("run", lr=lr, epochs=epochs, batch_size=batch_size, seed=seed)


def trajectory_hints(check, name, value):
    """Name the typical mistake whose run gives these losses (or these parameters), or the one measured
    while the loop ran: rows reaching net.loss with labels that are not theirs."""
    if pairs_hint(check, value):
        return
    for variant in reference.TRAIN_MISTAKES:
        losses, params = reference.train_expected(name, variant)
        if reference.losses_match(value["losses"], losses) or (
                value["losses"] is None and reference.params_match(value["params"], params)):
            check.hint(reference.VARIANT_HINT.get(variant, variant))
            return


def pairs_hint(check, value):
    """Rows that reached net.loss with a label other than their own (measured in the child)."""
    batches, rows, mislabelled, _, _ = value.get("watched") or (0, 0, 0, 0, 0)
    if mislabelled:
        check.say("pairs-misaligned", count=mislabelled, rows=rows, batches=batches)
        check.hint("train-shuffle-misaligned")
    return bool(mislabelled)


def watched_descent(value):
    """Did every parameter change the child saw between net.backward and the next net.loss (or the end)
    have the form params −= c·grads, c > 0, on spiral rows that kept their labels?"""
    _, rows, mislabelled, steps, other = value.get("watched") or (0, 0, 0, 0, 0)
    return steps > 0 and other == 0 and rows > 0 and mislabelled == 0


def batches(name):
    _, _, _, epochs, batch_size, _ = TRAIN_RUNS[name]
    X, _ = reference.spiral()
    return math.ceil(X.shape[0] / batch_size), epochs


@pytest.mark.rubric("train_classifier loss trajectory")
def test_trajectory(student, check):
    share, kept = 0.0, 1.0
    for name in COMPARED:
        reply = run(student, name)
        if check.failed(reply, "train_classifier"):
            continue
        kept = min(kept, check.overwrote(reply))
        losses, want = reply.value["losses"], reference.train_expected(name)[0]
        per_epoch, epochs = batches(name)
        if losses is None:
            check.say("losses-none", error=reply.value["losses_error"] or "None")
        elif len(losses) != len(want):
            check.say("losses-count", run=run_name(check, name), count=len(losses), expected=len(want),
                      batches=per_epoch)
        elif reference.losses_match(losses, want):
            check.say("losses-match", run=run_name(check, name), count=len(want))
            share += 0.5
            continue
        else:
            errors = np.abs(losses - want) / (np.abs(losses) + np.abs(want) + 1e-8)
            index = int(np.argmax(errors > 1e-6))
            check.say("losses-differ", run=run_name(check, name), index=index + 1, got=losses[index], expected=want[index])
        trajectory_hints(check, name, reply.value)
    return finish(check, kept * share)


@pytest.mark.rubric("train_classifier final parameters")
def test_parameters(student, check):
    share, kept = 0.0, 1.0
    for name in COMPARED:
        reply = run(student, name)
        if check.failed(reply, "train_classifier"):
            continue
        kept = min(kept, check.overwrote(reply))
        want = reference.train_expected(name)[1]
        error = reference.params_error(reply.value["params"], want)
        if error <= PARAMS_NORM_TOL:
            check.say("params-match", run=run_name(check, name))
            share += 0.5
        else:
            check.say("params-differ", run=run_name(check, name), error=error, tol=PARAMS_NORM_TOL)
            trajectory_hints(check, name, reply.value)
    return finish(check, kept * share)


@pytest.mark.rubric("train_classifier spiral accuracy")
def test_accuracy(student, check):
    reply = run(student, "accuracy")
    if check.failed(reply, "train_classifier"):
        return finish(check, 0)
    kept = check.overwrote(reply)
    params, losses = reply.value["params"], reply.value["losses"]
    initial = reference.run_args("accuracy")[0]
    changed = reference.params_error(params, initial) > 1e-3
    real = losses is not None and len(losses) > 0 and bool(np.all(np.isfinite(losses)))
    accuracy = reference.accuracy(params)
    check.say("accuracy", accuracy=accuracy, threshold=SPIRAL_MIN_ACCURACY)
    if not (changed and real):
        check.say("accuracy-untrained")
        return finish(check, 0)
    if accuracy < SPIRAL_MIN_ACCURACY:
        pairs_hint(check, reply.value)
        return finish(check, 0)
    # Accuracy is paid for training: a run whose parameters (or losses) are those of mini-batch SGD
    # on the spiral from the given start, or whose every update the child watched was a gradient-descent
    # step after net.backward on spiral rows with their own labels; not weights found elsewhere.
    if not (reference.trained_by_sgd("accuracy", params, losses) or watched_descent(reply.value)):
        check.say("accuracy-not-sgd")
        pairs_hint(check, reply.value)
        return finish(check, 0)
    return finish(check, kept)
