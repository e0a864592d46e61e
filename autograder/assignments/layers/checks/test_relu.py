"""Exercise 1: ReLU.forward values and ReLU.backward's gradient (0 at exactly 0)."""
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import VALUE_REL_TOL
from .common import Gradient, dtype_of, evidence

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
    right, worst, kept, measured = 0, 0.0, 1.0, 0
    models = evidence(check, "ReLU.forward")
    for k in CASES:
        reply = reply_for(student, k, False)
        if check.failed(reply, "ReLU.forward"):
            continue
        kept = min(kept, overwrote(check, reply))
        out, want = reply.value["out"], reference.expected("ReLU", k)[0]
        if out.shape != want.shape:
            check.wrong_shape("ReLU.forward", got=out.shape, expected=want.shape)
            continue
        error = reference.rel_error(out, want)
        worst, measured = max(worst, error), measured + 1
        right += error <= VALUE_REL_TOL
        if error > VALUE_REL_TOL:
            models.case(out, want, reference.relu_forward_mistakes(reference.relu_case(k)[0]),
                        case=f"x{reference.RELU_SHAPES[k]}", dtype=dtype_of(reply.value, "out"))
    models.done()
    if measured:
        check.say("values", what="ReLU.forward", right=right, total=len(CASES), error=worst, tol=VALUE_REL_TOL)
    return finish(check, kept * right / len(CASES))


@pytest.mark.rubric("ReLU.backward gradient check")
def test_backward(student, check):
    credit, kept = Gradient(CASES), 1.0
    models = evidence(check, "ReLU.backward")
    for k in CASES:
        x, dout = reference.relu_case(k)
        reply = reply_for(student, k, True)
        if check.failed(reply, "ReLU.backward"):
            continue
        kept = min(kept, overwrote(check, reply))
        if check.numerical(reply, "ReLU.backward", "dx", "x"):
            return finish(check, 0)
        dx, want = reply.value["dx"], reference.expected("ReLU", k)[1]
        if dx.shape != want.shape:
            check.wrong_shape("ReLU.backward", got=dx.shape, expected=want.shape)
            continue
        error = reference.grad_error(dx, want)
        credit.measured(error)
        if error > VALUE_REL_TOL:
            dtype = dtype_of(reply.value, "dx")
            if dtype == "bool":
                # 0/1 only: dx was created with the mask's dtype, whatever it multiplied dout with
                models.give("relu-dx-bool-dtype")
                models.observe(dx, want, case=f"x{reference.RELU_SHAPES[k]}")
            else:
                models.case(dx, want, reference.relu_mistakes(x, dout), case=f"x{reference.RELU_SHAPES[k]}",
                            dtype=dtype)
    models.done()
    credit.say(check, "ReLU.backward")
    return finish(check, kept * credit.share)
