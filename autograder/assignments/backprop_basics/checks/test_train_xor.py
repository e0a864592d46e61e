"""Exercise 3: train_xor, run from fixed initialisations on the reference TwoLayerNet (and, when that
loses points, on the student's own; see rubric.PART_SETUPS).

Points rest on what the parent recomputes: a run counts as training only when its parameters (or
its losses) are those of gradient descent on XOR -- the reference's, or a typical loop's that is
off in one known way -- so hand-set weights behind a made-up list of losses earn nothing."""
import numpy as np
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import TRAIN_RUNS as RUNS
from ..rubric import TRAJECTORY_REL_TOL

# Learning rates a loop that ignores its argument might have hard-coded.
HARD_CODED_RATES = (0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
# Steps a fixed factor off the reference's in both runs: a wrong factor in dY (Y.size = 4 is the
# missing mean, 2 the missing factor 2 or an extra /N ...), measured, not guessed from the code.
STEP_FACTORS = (4, 2, 0.5, 0.25, 8)
# Typical loops, modelled in the parent (reference.train variants). One rule says what "trained by gradient
# descent on XOR" is, for every test: the reference loop (one epoch more or less), one of these descent
# variants, or steps a fixed factor off the reference's (STEP_FACTORS). Gradient ascent ("ascend") is not
# descent: it is modelled for its hint only.
DESCENT_MODELS = ("reference", "sgd", "sgd-cycle", "no-mean")


def run(student, name):
    seed, learning_rate, epochs = RUNS[name]
    return student.request("train_xor", "train", key=("train", name), params=reference.initial_params(seed),
                           X=reference.XOR_X, y=reference.XOR_Y, learning_rate=learning_rate, epochs=epochs)


def run_name(check, name):
    seed, learning_rate, epochs = RUNS[name]
    return check.text("run-name", seed=seed, lr=learning_rate, epochs=epochs)


def loss_models(name):
    """What gradient-descent loops return as losses for run ``name``, by model (the parent's own runs)."""
    seed, learning_rate, epochs = RUNS[name]
    models = {model: reference.train(seed, learning_rate, epochs, model)[0] for model in DESCENT_MODELS}
    models["after-update"] = reference.train(seed, learning_rate, epochs + 1)[0][1:]
    for factor in STEP_FACTORS:
        models[f"step-{factor:g}"] = reference.train(seed, learning_rate * factor, epochs)[0]
    return models


def trained(value, name):
    """Were the run's parameters produced by gradient descent on XOR (the reference's loop, one epoch
    more or less, a typical descent variant or a fixed factor off its step), or do its losses follow one
    of those runs?"""
    seed, learning_rate, epochs = RUNS[name]
    runs = [reference.train(seed, learning_rate, n)[1] for n in (epochs, epochs - 1, epochs + 1)]
    runs += [reference.train(seed, learning_rate, epochs, model)[1] for model in DESCENT_MODELS[1:]]
    runs += [reference.train(seed, learning_rate * factor, epochs)[1] for factor in STEP_FACTORS]
    if any(reference.matches(value["params"], params, TRAJECTORY_REL_TOL) for params in runs):
        return True
    losses = value["losses"]
    return losses is not None and len(losses) >= 2 and any(
        real_losses(losses[:len(model)], model) for model in loss_models(name).values())


# How many of a run's losses must agree with a model's: rounding makes long runs of a diverging or
# chaotic model drift apart, and 50 steps of gradient descent are not written down by chance.
REAL_PREFIX = 50


def real_losses(losses, model):
    """Do ``losses`` follow the model run loss for loss (its first REAL_PREFIX, at least two)?"""
    n = min(len(losses), len(model), REAL_PREFIX)
    return n >= 2 and len(losses) <= len(model) and reference.matches(losses[:n], model[:n], TRAJECTORY_REL_TOL)


def same_start(losses, expected):
    """Do the first losses agree (a mistake model may diverge later, so only the start is compared)?"""
    if losses is None:
        return False
    n = min(len(losses), len(expected), 20)
    return n > 0 and reference.matches(losses[:n], expected[:n], TRAJECTORY_REL_TOL)


def trajectory_hints(check, student):
    """Name the typical mistake the runs show, from their lengths, losses and parameters."""
    replies = {name: run(student, name) for name in RUNS}
    if not all(reply.ok for reply in replies.values()):
        # Measured, not read from the exception's words: the update raised TypeError while the reference
        # layers' traced calls show no backward at all, so every grad was still None.
        for reply in replies.values():
            error = reply.error or {}
            calls = error.get("calls")
            if (not reply.ok and error.get("message", "").startswith("TypeError:") and calls
                    and not any(call.endswith(".backward") for call in calls)):
                check.hint("train-grad-none")
                break
        return
    short = replies["short"].value
    if any(reply.value["losses"] is None and not reply.value["losses_error"] for reply in replies.values()):
        check.hint("train-no-return")
    lengths = {name: (None if reply.value["losses"] is None else len(reply.value["losses"]))
               for name, reply in replies.items()}
    if lengths["main"] == 0 and lengths["short"] == 0:
        check.hint("train-returns-no-losses")
    elif lengths["main"] is not None and lengths["main"] == lengths["short"] and RUNS["main"][2] != RUNS["short"][2]:
        check.hint("train-ignores-epochs")
    elif any(n is not None and abs(n - RUNS[name][2]) == 1 for name, n in lengths.items()):
        check.hint("train-off-by-one")
    seed, learning_rate, epochs = RUNS["short"]
    losses = short["losses"]
    expected, _ = reference.train(seed, learning_rate, epochs)
    if all(np.array_equal(p, q) for p, q in zip(short["params"], reference.initial_params(seed))):
        varies = losses is not None and len(losses) > 1 and not np.allclose(losses, losses[0])
        if varies and not short["backward_ran"]:
            check.hint("train-trains-copy")
        else:
            check.hint("train-rebinds-param" if short["backward_ran"] else "train-no-backward")
        return
    if losses is not None and len(losses) > 2 and reference.matches(losses[:5], expected[1:6], TRAJECTORY_REL_TOL):
        check.hint("train-loss-after-update")
    if not same_start(losses, expected) and same_start(losses, reference.train(seed, learning_rate, epochs, "ascend")[0]):
        check.hint("train-ascends")
    for variant, hint_id in (("sgd", "train-one-sample-sgd"), ("sgd-cycle", "train-one-sample-per-epoch")):
        if reference.matches(short["params"], reference.train(seed, learning_rate, epochs, variant)[1], TRAJECTORY_REL_TOL):
            check.hint(hint_id)
    if all(reference.matches(replies[name].value["params"], expected_params(*RUNS[name]), TRAJECTORY_REL_TOL)
           for name in ("main", "short")):
        return    # trained exactly as asked: what is left is about the losses it returned
    if losses is not None and len(losses) and reference.matches(losses[0], expected[0] * reference.XOR_Y.size, TRAJECTORY_REL_TOL):
        check.hint("train-loss-summed")
    for factor in STEP_FACTORS:
        if all(reference.matches(replies[name].value["params"], reference.train(RUNS[name][0], RUNS[name][1] * factor,
                                                                             RUNS[name][2])[1], TRAJECTORY_REL_TOL)
               for name in ("main", "short")):
            check.say("step-factor", factor=factor)
            check.hint("train-no-mean" if factor == reference.XOR_Y.size else "train-step-scale")
            return
    # One fixed rate explains both runs, though they asked for different ones.
    rates = [rate for rate in HARD_CODED_RATES
             if any(RUNS[name][1] != rate for name in ("main", "short"))
             and all(same_start(replies[name].value["losses"], reference.train(RUNS[name][0], rate, 20)[0])
                     for name in ("main", "short"))]
    if rates:
        check.hint("train-ignores-lr")


def expected_params(seed, learning_rate, epochs):
    return reference.train(seed, learning_rate, epochs)[1]


@pytest.mark.rubric("train_xor loss trajectory")
def test_loss_trajectory(student, check):
    reply = run(student, "main")
    if check.failed(reply, "train_xor"):
        trajectory_hints(check, student)
        return finish(check, 0)
    kept = check.overwrote(reply)
    seed, learning_rate, epochs = RUNS["main"]
    losses, (expected, _) = reply.value["losses"], reference.train(seed, learning_rate, epochs)
    if losses is None:
        error = reply.value["losses_error"]
        check.say("losses-unreadable", error=error) if error else check.say("losses-none")
        trajectory_hints(check, student)
        return finish(check, 0)
    share = 0.0
    first_right = len(losses) > 0 and reference.matches(losses[0], expected[0], TRAJECTORY_REL_TOL)
    real = trained(reply.value, "main")
    if first_right and real:
        share += 0.3
    elif first_right:
        check.say("losses-unverified", run=run_name(check, "main"))
    elif len(losses):
        check.say("losses-first", got=losses[0], expected=expected[0])
    if len(losses) != epochs:
        check.say("losses-count", epochs=epochs, count=len(losses))
    elif first_right and real:   # the right number of real losses (a list of zeros of the right length earns nothing)
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
    return finish(check, kept * share)


@pytest.mark.rubric("train_xor final parameters")
def test_final_parameters(student, check):
    reply = run(student, "main")
    if check.failed(reply, "train_xor"):
        trajectory_hints(check, student)
        return finish(check, 0)
    kept = check.overwrote(reply)
    seed, learning_rate, epochs = RUNS["main"]
    _, expected = reference.train(seed, learning_rate, epochs)
    got = reply.value["params"]
    errors = {name: reference.rel_error(p, q) for name, p, q in zip(("W1", "b1", "W2", "b2"), got, expected)}
    worst = max(errors, key=errors.get)
    if errors[worst] <= TRAJECTORY_REL_TOL:
        check.say("params-match", error=errors[worst])
        return finish(check, kept)
    if all(np.array_equal(p, q) for p, q in zip(got, reference.initial_params(seed))):
        check.say("params-unchanged")
    else:
        check.say("params-differ", name=worst, error=errors[worst], tol=TRAJECTORY_REL_TOL)
    trajectory_hints(check, student)
    return finish(check, 0)


@pytest.mark.rubric("train_xor honours learning_rate and epochs")
def test_honours_arguments(student, check):
    main, short = run(student, "main"), run(student, "short")
    if check.failed(short, "train_xor") or check.failed(main, "train_xor"):
        trajectory_hints(check, student)
        return finish(check, 0)
    kept = min(check.overwrote(main), check.overwrote(short))
    share = 0.0
    seed, learning_rate, epochs = RUNS["short"]
    _, expected = reference.train(seed, learning_rate, epochs)
    if reference.matches(short.value["params"], expected, TRAJECTORY_REL_TOL):
        share += 0.5
        check.say("honours-training", lr=learning_rate, epochs=epochs, detail=check.text("ok"))
    else:
        check.say("honours-training", lr=learning_rate, epochs=epochs, detail=check.text("differs"))
    counts, real = {}, True
    for name, reply in (("main", main), ("short", short)):
        losses = reply.value["losses"]
        counts[name] = "None" if losses is None else len(losses)
        real &= losses is not None and len(losses) == RUNS[name][2] and any(
            real_losses(losses, model) for model in loss_models(name).values())
    detail = ", ".join(f"epochs={RUNS[n][2]} → {counts[n]}" for n in counts)
    if real:
        share += 0.5
        check.say("honours-epochs", detail=detail)
    elif all(counts[n] == RUNS[n][2] for n in counts):
        check.say("honours-epochs-unverified", detail=detail)
    else:
        check.say("honours-epochs", detail=detail)
    if share < 1:
        trajectory_hints(check, student)
    return finish(check, kept * share)


@pytest.mark.rubric("train_xor XOR accuracy")
def test_xor_accuracy(student, check):
    share, kept = 0.0, 1.0
    for name in ("main", "second"):
        reply = run(student, name)
        if check.failed(reply, "train_xor"):
            continue
        kept = min(kept, check.overwrote(reply))
        correct = reference.accuracy(reply.value["params"])
        check.say("accuracy", run=run_name(check, name), correct=correct)
        if correct == 4 and not trained(reply.value, name):
            check.say("accuracy-untrained")
            continue
        share += 0.5 * (correct == 4)
    if share < 1:
        trajectory_hints(check, student)
    return finish(check, kept * share)
