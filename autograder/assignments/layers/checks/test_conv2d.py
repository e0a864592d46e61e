"""Exercise 3: Conv2D: He initialisation, forward (cross-correlation, zero padding, stride) and
backward's dx, dW and db, each against the reference's analytic gradients on six small cases."""
import numpy as np
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import HE_STD_TOLERANCE, VALUE_REL_TOL
from .common import Gradient, dtype_of, evidence

CASES = range(len(reference.CONV_CASES))
INIT = (8, 16, 3)   # C, F, K: 1152 weights, so the sample std is within a few percent of the scale
INDEX = {"out": 0, "dx": 1, "dW": 2, "db": 3}


def label(k):
    shape, F, K, S, P = reference.CONV_CASES[k]
    return f"x{shape}, F={F}, K={K}, S={S}, P={P}"


def reply_for(student, k, backward):
    x, W, b, S, P, dout = reference.conv_case(k)
    return student.request("Conv2D", "conv", key=("conv", k, backward), x=x, W=W, b=b, stride=S, padding=P,
                           dout=dout if backward else None)


def shape_hints(models, k, out):
    """A forward output of the wrong shape: the output-size mistakes that give that shape on this case."""
    shape, F, K, S, P = reference.CONV_CASES[k]
    models.shape(out.shape, reference.conv_shape(shape, F, K, S, P), reference.conv_shape_mistakes(shape, F, K, S, P))


@pytest.mark.rubric("Conv2D initialisation")
def test_initialisation(student, check):
    C, F, K = INIT
    reply = student.request("Conv2D", "conv_init", C=C, F=F, K=K)
    if check.failed(reply, "Conv2D(...)"):
        return finish(check, 0)
    W, b = reply.value["W"], reply.value["b"]
    if W.shape != (F, C, K, K) or b.shape != (F,):
        for name, got, want in (("W", W.shape, (F, C, K, K)), ("b", b.shape, (F,))):
            if got != want:
                check.say("init-shape", C=C, F=F, K=K, name=name, got=got, expected=want)
        return finish(check, 0)
    he, std = np.sqrt(2.0 / (C * K * K)), float(np.std(W))
    share = 1.0
    if abs(std - he) > HE_STD_TOLERANCE * he:
        check.say("init-scale", std=std, he=he)
        check.hint("conv-init-scale")
        share -= 2 / 3
    if np.any(b != 0):
        check.say("init-bias")
        share -= 1 / 3
    if share >= 1:
        check.say("init-ok", shape=W.shape, std=std, he=he)
    # __init__ is given code in the release: its points need evidence that the student completed this
    # Conv2D (a forward that returns an output of the right shape for some case), not a right forward.
    if share > 0 and not any(forward_ran(student, k) for k in CASES):
        check.say("init-unverified")
        return finish(check, 0)
    return finish(check, max(share, 0.0))


def forward_ran(student, k):
    reply = reply_for(student, k, False)
    return reply.ok and reply.value["out"].shape == reference.expected("Conv2D", k)[0].shape


@pytest.mark.rubric("Conv2D.forward values")
def test_forward_values(student, check):
    right, worst, kept, measured = 0, 0.0, 1.0, 0
    models = evidence(check, "Conv2D.forward")
    for k in CASES:
        reply = reply_for(student, k, False)
        if check.failed(reply, "Conv2D.forward"):
            continue
        kept = min(kept, check.overwrote(reply))
        out, want = reply.value["out"], reference.expected("Conv2D", k)[0]
        if out.shape != want.shape:
            check.say("case-shape", what="Conv2D.forward", case=label(k), got=out.shape, expected=want.shape)
            shape_hints(models, k, out)
            continue
        error = reference.rel_error(out, want)
        worst, measured = max(worst, error), measured + 1
        right += error <= VALUE_REL_TOL
        if error > VALUE_REL_TOL:
            x, W, b, S, P, _ = reference.conv_case(k)
            models.case(out, want, reference.conv_forward_mistakes(x, W, b, S, P), case=label(k),
                        dtype=dtype_of(reply.value, "out"))
    models.done()
    if measured:
        check.say("values", what="Conv2D.forward", right=right, total=len(CASES), error=worst, tol=VALUE_REL_TOL)
    return finish(check, kept * right / len(CASES))


def gradient_test(student, check, name):
    """One of dx, dW, db over the six cases: each case earns its tier, the test the mean over the cases."""
    credit, kept = Gradient(CASES), 1.0
    models = evidence(check, f"Conv2D.backward {name}")
    for k in CASES:
        x, W, b, S, P, dout = reference.conv_case(k)
        reply = reply_for(student, k, True)
        if check.failed(reply, "Conv2D.backward"):
            forward = reply_for(student, k, False)
            if forward.ok and forward.value["out"].shape != dout.shape:
                shape_hints(models, k, forward.value["out"])
            continue
        kept = min(kept, check.overwrote(reply))
        if check.numerical(reply, "Conv2D.backward", name, name[1:]):
            return finish(check, 0)
        got, want = reply.value[name], reference.expected("Conv2D", k)[INDEX[name]]
        if got is None:
            check.say("gradient-none", what=f"Conv2D.{name}")
            return finish(check, 0)
        if got.shape != want.shape:
            check.say("case-shape", what=f"Conv2D.backward {name}", case=label(k), got=got.shape, expected=want.shape)
            shape = reference.CONV_CASES[k][0]
            if name == "db" and got.shape == (shape[0], W.shape[0]):
                models.give("conv-db-not-summed")
            if name == "dx" and got.shape == x.shape[:2] + (x.shape[2] + 2 * P, x.shape[3] + 2 * P) and P:
                models.give("conv-dx-not-cropped")
            if name == "dx" and 0 in got.shape:
                models.give("conv-dx-crop")
            if reply.value["out"].shape != dout.shape:
                shape_hints(models, k, reply.value["out"])
            continue
        error = reference.grad_error(got, want)
        credit.measured(error)
        if error > VALUE_REL_TOL:
            models.case(got, want, reference.conv_backward_mistakes(x, W, b, S, P, dout)[name], case=label(k),
                        dtype=dtype_of(reply.value, name))
    models.done()
    credit.say(check, f"Conv2D.backward {name}")
    return finish(check, kept * credit.share)


@pytest.mark.rubric("Conv2D.backward gradient check dx")
def test_backward_dx(student, check):
    return gradient_test(student, check, "dx")


@pytest.mark.rubric("Conv2D.backward gradient check dW")
def test_backward_dW(student, check):
    return gradient_test(student, check, "dW")


@pytest.mark.rubric("Conv2D.backward gradient check db")
def test_backward_db(student, check):
    return gradient_test(student, check, "db")
