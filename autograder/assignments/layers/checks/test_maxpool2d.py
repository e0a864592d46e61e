"""Exercise 4: MaxPool2D: forward on tie-free inputs and backward's routing (overlapping windows
accumulate), against the reference on six cases."""
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import VALUE_REL_TOL
from .common import Gradient, dtype_of, evidence

CASES = range(len(reference.POOL_CASES))
DEFAULT_STRIDE = [k for k in CASES if reference.POOL_CASES[k][2] is None]


def label(k):
    shape, K, S = reference.POOL_CASES[k]
    return f"x{shape}, K={K}, stride={S}"


def reply_for(student, k, backward):
    x, K, S, dout = reference.pool_case(k)
    return student.request("MaxPool2D", "pool", key=("pool", k, backward), x=x, kernel_size=K, stride=S,
                           dout=dout if backward else None)


def shape_hints(models, k, out):
    shape, K, S = reference.POOL_CASES[k]
    models.shape(out.shape, reference.expected("MaxPool2D", k)[0].shape, reference.pool_shape_mistakes(shape, K, S))


def default_stride_hint(student, models):
    """Measured, not read from an exception's words: forward raised in every case with the default stride
    (stride=None) and in none with an explicit stride."""
    raised = {k for k in CASES if not reply_for(student, k, False).ok}
    if raised and raised == set(DEFAULT_STRIDE):
        models.give("pool-stride-default")


@pytest.mark.rubric("MaxPool2D.forward values")
def test_forward_values(student, check):
    right, worst, kept, measured = 0, 0.0, 1.0, 0
    models = evidence(check, "MaxPool2D.forward")
    for k in CASES:
        reply = reply_for(student, k, False)
        if check.failed(reply, "MaxPool2D.forward"):
            continue
        kept = min(kept, check.overwrote(reply))
        out, want = reply.value["out"], reference.expected("MaxPool2D", k)[0]
        if out.shape != want.shape:
            check.say("case-shape", what="MaxPool2D.forward", case=label(k), got=out.shape, expected=want.shape)
            shape_hints(models, k, out)
            continue
        error = reference.rel_error(out, want)
        worst, measured = max(worst, error), measured + 1
        right += error <= VALUE_REL_TOL
        if error > VALUE_REL_TOL:
            models.case(out, want, {}, case=label(k), dtype=dtype_of(reply.value, "out"))
    default_stride_hint(student, models)
    models.done()
    if measured:
        check.say("values", what="MaxPool2D.forward", right=right, total=len(CASES), error=worst, tol=VALUE_REL_TOL)
    return finish(check, kept * right / len(CASES))


@pytest.mark.rubric("MaxPool2D.backward gradient check")
def test_backward(student, check):
    credit, kept = Gradient(CASES), 1.0
    models = evidence(check, "MaxPool2D.backward")
    for k in CASES:
        x, K, S, dout = reference.pool_case(k)
        reply = reply_for(student, k, True)
        if check.failed(reply, "MaxPool2D.backward"):
            forward = reply_for(student, k, False)
            if forward.ok and forward.value["out"].shape != dout.shape:
                shape_hints(models, k, forward.value["out"])
            continue
        kept = min(kept, check.overwrote(reply))
        if check.numerical(reply, "MaxPool2D.backward", "dx", "x"):
            return finish(check, 0)
        dx, want = reply.value["dx"], reference.expected("MaxPool2D", k)[1]
        if dx.shape != want.shape:
            check.say("case-shape", what="MaxPool2D.backward", case=label(k), got=dx.shape, expected=want.shape)
            continue
        error = reference.grad_error(dx, want)
        credit.measured(error)
        if error > VALUE_REL_TOL:
            models.case(dx, want, reference.pool_backward_mistakes(x, K, S, dout), case=label(k),
                        dtype=dtype_of(reply.value, "dx"))
            out = reply.value["out"]
            if out.shape != dout.shape:
                shape_hints(models, k, out)
    default_stride_hint(student, models)
    models.done()
    credit.say(check, "MaxPool2D.backward")
    return finish(check, kept * credit.share)
