"""Exercise 2: SoftmaxCrossEntropy: the mean loss, its stability at ±1000, and dscores."""
import numpy as np
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import UNSTABLE_FORWARD_SHARE, VALUE_REL_TOL, tier
from .common import TIERS

NORMAL = range(len(reference.SOFTMAX_SHAPES))
EXTREME = len(reference.SOFTMAX_SHAPES)
ALL = range(EXTREME + 1)


def reply_for(student, k, backward):
    scores, labels, dout = reference.softmax_case(k)
    return student.request("SoftmaxCrossEntropy", "softmax", key=("softmax", k, backward), scores=scores,
                           labels=labels.astype(np.float64), dout=dout if backward else None)


def loss_hints(check, k, loss):
    scores, labels, _ = reference.softmax_case(k)
    for hint_id, wrong in reference.softmax_loss_mistakes(scores, labels).items():
        if reference.same(loss, wrong):
            check.hint(hint_id)


@pytest.mark.rubric("SoftmaxCrossEntropy.forward values")
def test_forward_values(student, check):
    right, worst, kept = 0, 0.0, 1.0
    for k in NORMAL:
        reply = reply_for(student, k, False)
        if check.failed(reply, "SoftmaxCrossEntropy.forward"):
            return finish(check, right / len(NORMAL))
        kept = min(kept, check.overwrote(reply))
        loss, want = reply.value["loss"], reference.expected("SoftmaxCrossEntropy", k)[0]
        if loss.shape not in ((), (1,)):
            check.wrong_shape("SoftmaxCrossEntropy.forward", got=loss.shape, expected="()")
            loss_hints(check, k, loss)
            continue
        error = reference.rel_error(loss.reshape(()), want)
        worst = max(worst, error)
        right += error <= VALUE_REL_TOL
        if error > VALUE_REL_TOL:
            loss_hints(check, k, loss.reshape(()))
    check.say("values", what="SoftmaxCrossEntropy.forward", right=right, total=len(NORMAL), error=worst,
              tol=VALUE_REL_TOL)
    return finish(check, kept * right / len(NORMAL))


@pytest.mark.rubric("SoftmaxCrossEntropy.forward extreme scores")
def test_forward_extreme(student, check):
    reply = reply_for(student, EXTREME, False)
    if check.failed(reply, "SoftmaxCrossEntropy.forward"):
        return finish(check, 0)
    kept = check.overwrote(reply)
    loss, want = reply.value["loss"], reference.expected("SoftmaxCrossEntropy", EXTREME)[0]
    overflow = [w for w in reply.warnings if "overflow" in w.lower() or "invalid value" in w.lower()
                or "divide by zero" in w.lower()]
    if loss.shape not in ((), (1,)) or reference.rel_error(loss.reshape(()), want) > VALUE_REL_TOL:
        check.say("extreme-wrong", got=loss.tolist(), expected=want)
        if loss.shape in ((), (1,)):
            loss_hints(check, EXTREME, loss.reshape(()))
        if overflow and not check.tags:
            check.hint("softmax-no-max-shift")
        return finish(check, 0)
    if overflow:
        check.say("extreme-warned", warnings="; ".join(overflow), share=UNSTABLE_FORWARD_SHARE)
        check.hint("softmax-no-max-shift")
        return finish(check, kept * UNSTABLE_FORWARD_SHARE)
    check.say("extreme-ok")
    return finish(check, kept)


@pytest.mark.rubric("SoftmaxCrossEntropy.backward gradient check")
def test_backward(student, check):
    worst, kept = 0.0, 1.0
    for k in ALL:
        scores, labels, dout = reference.softmax_case(k)
        reply = reply_for(student, k, True)
        if check.failed(reply, "SoftmaxCrossEntropy.backward"):
            message = (reply.error or {}).get("message", "")
            if "TypeError" in message and "argument" in message:
                check.hint("ce-backward-no-dout")
            return finish(check, 0)
        kept = min(kept, check.overwrote(reply))
        if check.numerical(reply, "SoftmaxCrossEntropy.backward", "dscores", "scores"):
            return finish(check, 0)
        got, want = reply.value["dscores"], reference.expected("SoftmaxCrossEntropy", k)[1]
        if got.shape != want.shape:
            check.wrong_shape("SoftmaxCrossEntropy.backward", got=got.shape, expected=want.shape)
            return finish(check, 0)
        error = reference.grad_error(got, want)
        worst = max(worst, error)
        if error > VALUE_REL_TOL:
            for hint_id, wrong in reference.softmax_grad_mistakes(scores, labels, dout).items():
                if reference.same(got, wrong):
                    check.hint(hint_id)
            if k == EXTREME and not np.all(np.isfinite(got)):
                check.hint("softmax-no-max-shift")
    share = tier(worst)
    check.say("gradient", what="SoftmaxCrossEntropy.backward", error=worst, share=share, tiers=TIERS)
    return finish(check, kept * share)
