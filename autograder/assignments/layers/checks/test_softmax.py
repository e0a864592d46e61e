"""Exercise 2: SoftmaxCrossEntropy: the mean loss, its stability at ±1000 (graded once, in the extreme-scores
test), and dscores, for an explicit dout and for backward() with the default dout = 1.0."""
import numpy as np
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import UNSTABLE_FORWARD_SHARE, VALUE_REL_TOL
from .common import Gradient, evidence

NORMAL = range(len(reference.SOFTMAX_SHAPES))
EXTREME = len(reference.SOFTMAX_SHAPES)
DEFAULT_CASE = 0          # backward() without an argument, after forward on case 0's scores
BACKWARD_CASES = list(NORMAL) + ["default"]


def reply_for(student, k, backward):
    scores, labels, dout = reference.softmax_case(k)
    return student.request("SoftmaxCrossEntropy", "softmax", key=("softmax", k, backward), scores=scores,
                           labels=labels.astype(np.float64), dout=dout if backward else None)


def default_reply(student):
    scores, labels, _ = reference.softmax_case(DEFAULT_CASE)
    return student.request("SoftmaxCrossEntropy", "softmax_default", key=("softmax_default",), scores=scores,
                           labels=labels.astype(np.float64))


def type_error_in(reply, call):
    """Did exactly this call raise a TypeError (the exception's type, not its words)?"""
    error = reply.error or {}
    return error.get("call") == call and error.get("message", "").startswith("TypeError:")


def label(k):
    return f"(N, C) = {reference.SOFTMAX_SHAPES[k]}" if k != EXTREME else "±1000"


@pytest.mark.rubric("SoftmaxCrossEntropy.forward values")
def test_forward_values(student, check):
    right, worst, kept, measured = 0, 0.0, 1.0, 0
    models = evidence(check, "SoftmaxCrossEntropy.forward")
    for k in NORMAL:
        reply = reply_for(student, k, False)
        if check.failed(reply, "SoftmaxCrossEntropy.forward"):
            continue
        kept = min(kept, check.overwrote(reply))
        loss, want = reply.value["loss"], reference.expected("SoftmaxCrossEntropy", k)[0]
        if loss.shape not in ((), (1,)):
            check.wrong_shape("SoftmaxCrossEntropy.forward", got=loss.shape, expected="()")
            continue
        error = reference.rel_error(loss.reshape(()), want)
        worst, measured = max(worst, error), measured + 1
        right += error <= VALUE_REL_TOL
        if error > VALUE_REL_TOL:
            scores, labels, _ = reference.softmax_case(k)
            models.case(loss.reshape(()), want, reference.softmax_loss_mistakes(scores, labels), case=label(k))
    models.done()
    if measured:
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
            scores, labels, _ = reference.softmax_case(EXTREME)
            models = evidence(check, "SoftmaxCrossEntropy.forward")
            models.case(loss.reshape(()), want, reference.softmax_loss_mistakes(scores, labels))
            models.done()
        return finish(check, 0)
    if overflow:
        # right values, computed through an overflow: measured, so the stable form is named
        check.say("extreme-warned", warnings="; ".join(overflow), share=UNSTABLE_FORWARD_SHARE)
        check.hint("softmax-no-max-shift")
        return finish(check, kept * UNSTABLE_FORWARD_SHARE)
    check.say("extreme-ok")
    return finish(check, kept)


@pytest.mark.rubric("SoftmaxCrossEntropy.backward gradient check")
def test_backward(student, check):
    credit, kept = Gradient(BACKWARD_CASES), 1.0
    models = evidence(check, "SoftmaxCrossEntropy.backward")
    explicit_ran, explicit_right, explicit_type_error = False, True, False
    for k in NORMAL:
        scores, labels, dout = reference.softmax_case(k)
        reply = reply_for(student, k, True)
        if check.failed(reply, "SoftmaxCrossEntropy.backward"):
            explicit_type_error |= type_error_in(reply, "SoftmaxCrossEntropy.backward")
            continue
        kept = min(kept, check.overwrote(reply))
        if check.numerical(reply, "SoftmaxCrossEntropy.backward", "dscores", "scores"):
            return finish(check, 0)
        got, want = reply.value["dscores"], reference.expected("SoftmaxCrossEntropy", k)[1]
        if got.shape != want.shape:
            check.wrong_shape("SoftmaxCrossEntropy.backward", got=got.shape, expected=want.shape)
            continue
        explicit_ran = True
        error = reference.grad_error(got, want)
        explicit_right &= error <= VALUE_REL_TOL
        credit.measured(error)
        if error > VALUE_REL_TOL:
            models.case(got, want, reference.softmax_grad_mistakes(scores, labels, dout), case=label(k))
    # backward() as MLPClassifier.backward calls it: the notebook's default dout = 1.0
    reply = default_reply(student)
    if check.failed(reply, "SoftmaxCrossEntropy.backward()"):
        if explicit_ran and type_error_in(reply, "SoftmaxCrossEntropy.backward()"):
            models.give("ce-backward-no-dout")   # measured: backward(dout) ran, backward() raised TypeError
    elif not check.numerical(reply, "SoftmaxCrossEntropy.backward()", "dscores", "scores"):
        if explicit_type_error and not explicit_ran:
            models.give("ce-backward-no-dout")   # measured: backward() ran, backward(dout) raised TypeError
        kept = min(kept, check.overwrote(reply))
        scores, labels, _ = reference.softmax_case(DEFAULT_CASE)
        got, want = reply.value["dscores"], reference.softmax(scores, labels, 1.0)[1]
        if got.shape != want.shape:
            check.wrong_shape("SoftmaxCrossEntropy.backward()", got=got.shape, expected=want.shape)
        else:
            error = reference.grad_error(got, want)
            credit.measured(error)
            if error > VALUE_REL_TOL and explicit_ran and explicit_right:
                # backward(dout) is right: what differs is the default (else the explicit cases' mistake
                # explains this case too, and it is weighed with them)
                check.say("default-dout-wrong", error=error)
                models.case(got, want, reference.default_dout_mistakes(got, want), case="backward()")
            elif error > VALUE_REL_TOL:
                models.case(got, want, reference.softmax_grad_mistakes(scores, labels, 1.0), case="backward()")
    else:
        return finish(check, 0)
    models.done()
    credit.say(check, "SoftmaxCrossEntropy.backward")
    return finish(check, kept * credit.share)
