"""Exercise 1: ReLU.forward values and ReLU.backward's gradient (0 at exactly 0)."""
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import VALUE_REL_TOL, tier
from .common import TIERS

CASES = range(len(reference.RELU_SHAPES))


def reply_for(student, k, backward):
    x, dout = reference.relu_case(k)
    return student.request("ReLU", "relu", key=("relu", k, backward), x=x, dout=dout if backward else None)


def overwrote(check, reply):
    kept = check.overwrote(reply)
    if any(entry.startswith("ReLU.forward:x") for entry in reply.value["overwrote"]):
        check.hint("relu-modifies-input")
    if any(entry.startswith("ReLU.backward:dout") for entry in reply.value["overwrote"]):
        check.hint("relu-modifies-dout")
    return kept


@pytest.mark.rubric("ReLU.forward values")
def test_forward_values(student, check):
    right, worst, kept = 0, 0.0, 1.0
    for k in CASES:
        reply = reply_for(student, k, False)
        if check.failed(reply, "ReLU.forward"):
            return finish(check, right / len(CASES))
        kept = min(kept, overwrote(check, reply))
        out, want = reply.value["out"], reference.expected("ReLU", k)[0]
        error = reference.rel_error(out, want)
        if out.shape != want.shape:
            check.wrong_shape("ReLU.forward", got=out.shape, expected=want.shape)
        worst = max(worst, error)
        right += error <= VALUE_REL_TOL
    check.say("values", what="ReLU.forward", right=right, total=len(CASES), error=worst, tol=VALUE_REL_TOL)
    return finish(check, kept * right / len(CASES))


@pytest.mark.rubric("ReLU.backward gradient check")
def test_backward(student, check):
    worst, kept = 0.0, 1.0
    for k in CASES:
        x, dout = reference.relu_case(k)
        reply = reply_for(student, k, True)
        if check.failed(reply, "ReLU.backward"):
            return finish(check, 0)
        kept = min(kept, overwrote(check, reply))
        if check.numerical(reply, "ReLU.backward", "dx", "x"):
            return finish(check, 0)
        dx, want = reply.value["dx"], reference.expected("ReLU", k)[1]
        if dx.shape != want.shape:
            check.wrong_shape("ReLU.backward", got=dx.shape, expected=want.shape)
            return finish(check, 0)
        error = reference.grad_error(dx, want)
        worst = max(worst, error)
        if error > VALUE_REL_TOL:
            for hint_id, wrong in reference.relu_mistakes(x, dout).items():
                if reference.same(dx, wrong):
                    check.hint(hint_id)
    share = tier(worst)
    check.say("gradient", what="ReLU.backward", error=worst, share=share, tiers=TIERS)
    return finish(check, kept * share)
