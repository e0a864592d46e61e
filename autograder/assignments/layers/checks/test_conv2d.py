"""Exercise 3: Conv2D: He initialisation, forward (cross-correlation, zero padding, stride) and
backward's dx, dW and db, each against the reference's analytic gradients on six small cases."""
import numpy as np
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import HE_STD_TOLERANCE, VALUE_REL_TOL, tier
from .common import TIERS

CASES = range(len(reference.CONV_CASES))
INIT = (8, 16, 3)   # C, F, K: 1152 weights, so the sample std is within a few percent of the scale


def label(k):
    shape, F, K, S, P = reference.CONV_CASES[k]
    return f"x{shape}, F={F}, K={K}, S={S}, P={P}"


def reply_for(student, k, backward):
    x, W, b, S, P, dout = reference.conv_case(k)
    return student.request("Conv2D", "conv", key=("conv", k, backward), x=x, W=W, b=b, stride=S, padding=P,
                           dout=dout if backward else None)


def forward_hints(check, k, out):
    shape, F, K, S, P = reference.CONV_CASES[k]
    x, W, b, S, P, _ = reference.conv_case(k)
    for hint_id, shapes in reference.conv_shape_mistakes(shape, F, K, S, P).items():
        if tuple(out.shape) in shapes:
            check.hint(hint_id)
    for hint_id, wrong in reference.conv_forward_mistakes(x, W, b, S, P).items():
        if reference.same(out, wrong):
            check.hint(hint_id)


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
    # __init__ is given code in the release: its points need evidence of the student's own Conv2D,
    # a forward that computes the right values for at least one case.
    if share > 0 and not any(forward_right(student, k) for k in CASES):
        check.say("init-unverified")
        return finish(check, 0)
    return finish(check, max(share, 0.0))


def forward_right(student, k):
    reply = reply_for(student, k, False)
    return reply.ok and reference.matches(reply.value["out"], reference.expected("Conv2D", k)[0])


@pytest.mark.rubric("Conv2D.forward values")
def test_forward_values(student, check):
    right, worst, kept, measured = 0, 0.0, 1.0, 0
    for k in CASES:
        reply = reply_for(student, k, False)
        if check.failed(reply, "Conv2D.forward"):
            continue
        kept = min(kept, check.overwrote(reply))
        out, want = reply.value["out"], reference.expected("Conv2D", k)[0]
        if out.shape != want.shape:
            check.say("case-shape", what="Conv2D.forward", case=label(k), got=out.shape, expected=want.shape)
            forward_hints(check, k, out)
            continue
        error = reference.rel_error(out, want)
        worst, measured = max(worst, error), measured + 1
        right += error <= VALUE_REL_TOL
        if error > VALUE_REL_TOL:
            forward_hints(check, k, out)
    if measured:
        check.say("values", what="Conv2D.forward", right=right, total=len(CASES), error=worst, tol=VALUE_REL_TOL)
    return finish(check, kept * right / len(CASES))


def gradient_test(student, check, name):
    """One of dx, dW, db over the six cases, tiered by the largest error; hints by signature."""
    errors, kept, wrong_cases = [], 1.0, []
    for k in CASES:
        x, W, b, S, P, dout = reference.conv_case(k)
        reply = reply_for(student, k, True)
        if check.failed(reply, "Conv2D.backward"):
            forward = reply_for(student, k, False)
            if forward.ok and forward.value["out"].shape != dout.shape:
                forward_hints(check, k, forward.value["out"])
            return finish(check, 0)
        kept = min(kept, check.overwrote(reply))
        if check.numerical(reply, "Conv2D.backward", name, name[1:]):
            return finish(check, 0)
        index = {"dx": 1, "dW": 2, "db": 3}[name]
        got, want = reply.value[name], reference.expected("Conv2D", k)[index]
        if got is None:
            check.say("gradient-none", what=f"Conv2D.{name}")
            return finish(check, 0)
        if got.shape != want.shape:
            check.say("case-shape", what=f"Conv2D.backward {name}", case=label(k), got=got.shape, expected=want.shape)
            shape = reference.CONV_CASES[k][0]
            if name == "db" and got.shape == (shape[0], W.shape[0]):
                check.hint("conv-db-not-summed")
            if name == "dx" and got.shape == x.shape[:2] + (x.shape[2] + 2 * P, x.shape[3] + 2 * P) and P:
                check.hint("conv-dx-not-cropped")
            if name == "dx" and 0 in got.shape:
                check.hint("conv-dx-crop")
            forward = reply.value["out"]
            if forward.shape != dout.shape:
                forward_hints(check, k, forward)
            return finish(check, 0)
        errors.append(reference.grad_error(got, want))
        if errors[-1] > VALUE_REL_TOL:
            wrong_cases.append(k)
            models = reference.conv_backward_mistakes(x, W, b, S, P, dout)[name]
            for hint_id, wrong in models.items():
                for model in (wrong if isinstance(wrong, list) else [wrong]):
                    if reference.same(got, model):
                        check.hint(hint_id)
    if wrong_cases and name == "dx" and not check.tags:
        overlapping = [k for k in CASES if reference.CONV_CASES[k][2] > reference.CONV_CASES[k][3]]
        strided = [k for k in CASES if reference.CONV_CASES[k][3] > 1]
        if set(wrong_cases) <= set(strided) and any(k not in overlapping for k in wrong_cases):
            check.hint("conv-backward-stride-ignored")
        elif set(wrong_cases) <= set(overlapping):
            check.hint("conv-dx-overwritten")
    share = tier(max(errors))
    check.say("gradient", what=f"Conv2D.backward {name}", error=max(errors), share=share, tiers=TIERS)
    return finish(check, kept * share)


@pytest.mark.rubric("Conv2D.backward gradient check dx")
def test_backward_dx(student, check):
    return gradient_test(student, check, "dx")


@pytest.mark.rubric("Conv2D.backward gradient check dW")
def test_backward_dW(student, check):
    return gradient_test(student, check, "dW")


@pytest.mark.rubric("Conv2D.backward gradient check db")
def test_backward_db(student, check):
    return gradient_test(student, check, "db")
