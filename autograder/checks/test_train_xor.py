"""Exercise 3: train_xor, run on the reference TwoLayerNet from fixed initialisations."""
import numpy as np
import pytest

from autograder import messages, reference
from autograder.plugin import finish
from autograder.rubric import TRAIN_RUNS as RUNS
from autograder.rubric import TRAJECTORY_REL_TOL

# Learning rates a loop that ignores its argument might have hard-coded.
HARD_CODED_RATES = (0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)


def run(student, name):
    seed, learning_rate, epochs = RUNS[name]
    return student.request("train_xor", "train", key=("train", name), params=reference.initial_params(seed),
                           X=reference.XOR_X, y=reference.XOR_Y, learning_rate=learning_rate, epochs=epochs)


def same_start(losses, expected):
    """Do the first losses agree (a mistake model may diverge later, so only the start is compared)?"""
    n = min(len(losses), len(expected), 20)
    return n > 0 and reference.matches(losses[:n], expected[:n], TRAJECTORY_REL_TOL)


def trajectory_hints(check, student):
    """Name the typical mistake a failed run shows, from the runs' lengths, losses and parameters."""
    replies = {name: run(student, name) for name in RUNS}
    if not all(reply.ok for reply in replies.values()):
        message = " ".join((r.error or {}).get("message", "") for r in replies.values() if not r.ok)
        if "NoneType" in message:
            check.hint("train-no-backward")
        return
    main, short = replies["main"].value, replies["short"].value
    lengths = {name: len(reply.value["losses"]) for name, reply in replies.items()}
    if lengths["main"] == lengths["short"] and RUNS["main"][2] != RUNS["short"][2]:
        check.hint("train-ignores-epochs")
    elif any(abs(lengths[name] - RUNS[name][2]) == 1 for name in RUNS):
        check.hint("train-off-by-one")
    seed, learning_rate, epochs = RUNS["short"]
    losses = short["losses"]
    expected, _ = reference.train(seed, learning_rate, epochs)
    if all(np.array_equal(p, q) for p, q in zip(short["params"], reference.initial_params(seed))):
        check.hint("train-rebinds-param" if short.get("backward_ran", True) else "train-no-backward")
        return
    if len(losses) > 2 and reference.matches(losses[:5], expected[1:6], TRAJECTORY_REL_TOL):
        check.hint("train-loss-after-update")
    for variant, hint_id in (("ascend", "train-ascends"), ("no-mean", "train-no-mean")):
        if not same_start(losses, expected) and same_start(losses, reference.train(seed, learning_rate, epochs, variant)[0]):
            check.hint(hint_id)
    _, sgd_params = reference.train(seed, learning_rate, epochs, "sgd")
    if reference.matches(short["params"], sgd_params, TRAJECTORY_REL_TOL):
        check.hint("train-one-sample-sgd")
    for name in ("main", "short"):
        seed, learning_rate, epochs = RUNS[name]
        got = replies[name].value["losses"]
        if same_start(got, reference.train(seed, learning_rate, min(epochs, 20))[0]):
            continue
        for rate in HARD_CODED_RATES:
            if rate != learning_rate and same_start(got, reference.train(seed, rate, 20)[0]):
                check.hint("train-ignores-lr")


def trained(run_reply, seed):
    """Do the run's losses tell the story of its parameters: starting at the initial network's loss
    and ending at the trained one's? (Hand-set XOR weights behind a made-up list of losses do not.)
    Loose on purpose: losses recorded after the update, or per-sample updates, still agree; a loop
    that returns no losses has already lost the tests about losses, and nothing here contradicts it."""
    losses, start = run_reply["losses"], reference.xor_loss(reference.initial_params(seed))
    end = reference.xor_loss(run_reply["params"])
    if len(losses) == 0:
        return True
    return (bool(np.all(np.isfinite(losses)))
            and abs(losses[0] - start) <= 0.5 * start and abs(losses[-1] - end) <= 0.5 * max(losses[-1], end) + 1e-3)


@pytest.mark.rubric("train_xor loss trajectory")
def test_loss_trajectory(student, check):
    reply = run(student, "main")
    if check.failed(reply, "train_xor"):
        trajectory_hints(check, student)
        return finish(check, 0)
    seed, learning_rate, epochs = RUNS["main"]
    losses, (expected, _) = reply.value["losses"], reference.train(seed, learning_rate, epochs)
    share = 0.0
    first_right = len(losses) > 0 and reference.matches(losses[0], expected[0], TRAJECTORY_REL_TOL)
    if first_right:
        share += 0.3
    elif len(losses):
        check.say("losses-first", got=losses[0], expected=expected[0])
    if len(losses) != epochs:
        check.say("losses-count", epochs=epochs, count=len(losses))
    elif first_right:   # the right number of real losses (a list of zeros of the right length earns nothing)
        share += 0.2
    n = min(len(losses), epochs)
    errors = np.abs(losses[:n] - expected[:n]) / (np.abs(losses[:n]) + np.abs(expected[:n]) + 1e-8)
    bad = np.flatnonzero(~(errors <= TRAJECTORY_REL_TOL))
    if len(losses) == epochs and not len(bad):
        share += 0.5
        check.say("losses-match", epochs=epochs, error=float(errors.max()))
    elif len(bad):
        i = int(bad[0])
        check.say("losses-differ", index=i, got=losses[i], expected=expected[i])
    if share < 1:
        trajectory_hints(check, student)
    return finish(check, share)


@pytest.mark.rubric("train_xor final parameters")
def test_final_parameters(student, check):
    reply = run(student, "main")
    if check.failed(reply, "train_xor"):
        trajectory_hints(check, student)
        return finish(check, 0)
    seed, learning_rate, epochs = RUNS["main"]
    _, expected = reference.train(seed, learning_rate, epochs)
    got = reply.value["params"]
    error = max(reference.rel_error(p, q) for p, q in zip(got, expected))
    if error <= TRAJECTORY_REL_TOL:
        check.say("params-match", error=error)
        return finish(check, 1.0)
    if all(np.array_equal(p, q) for p, q in zip(got, reference.initial_params(seed))):
        check.say("params-unchanged")
    else:
        check.say("params-differ", error=error, tol=TRAJECTORY_REL_TOL)
    trajectory_hints(check, student)
    return finish(check, 0)


@pytest.mark.rubric("train_xor honours learning_rate and epochs")
def test_honours_arguments(student, check):
    main, short = run(student, "main"), run(student, "short")
    if check.failed(short, "train_xor") or check.failed(main, "train_xor"):
        trajectory_hints(check, student)
        return finish(check, 0)
    share = 0.0
    counts = {name: len(r.value["losses"]) for name, r in (("main", main), ("short", short))}
    real = all(same_start(r.value["losses"], reference.train(*RUNS[name])[0][:1])
               for name, r in (("main", main), ("short", short)))
    if real and all(counts[name] == RUNS[name][2] for name in counts):
        share += 0.5
        check.say("honours-epochs", detail=messages.say("ok", check.lang))
    else:
        detail = ", ".join(f"epochs={RUNS[n][2]} → {counts[n]}" for n in counts)
        check.say("honours-epochs", detail=detail)
    seed, learning_rate, epochs = RUNS["short"]
    expected, _ = reference.train(seed, learning_rate, epochs)
    if same_start(short.value["losses"], expected) and same_start(main.value["losses"], reference.train(*RUNS["main"])[0]):
        share += 0.5
        check.say("honours-lr", lr=learning_rate, detail=messages.say("ok", check.lang))
    else:
        check.say("honours-lr", lr=learning_rate, detail=messages.say("differs", check.lang))
    if share < 1:
        trajectory_hints(check, student)
    return finish(check, share)


@pytest.mark.rubric("train_xor XOR accuracy")
def test_xor_accuracy(student, check):
    share = 0.0
    for name in ("main", "second"):
        reply = run(student, name)
        if check.failed(reply, "train_xor"):
            continue
        correct = reference.accuracy(reply.value["params"])
        check.say("accuracy", run=f"{name} (seed {RUNS[name][0]})", correct=correct)
        if correct == 4 and not trained(reply.value, RUNS[name][0]):
            check.say("accuracy-untrained")
            continue
        share += 0.5 * (correct == 4)
    if share < 1:
        trajectory_hints(check, student)
    return finish(check, share)
