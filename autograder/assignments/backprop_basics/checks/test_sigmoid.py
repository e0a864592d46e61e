"""Exercise 1: Sigmoid.forward values, stability at ±1000, and Sigmoid.backward's gradient check."""
import functools

import numpy as np
import pytest

from autograder.checks.authoring import Models, finish, tiers_text

from .. import reference
from ..rubric import GRADIENT_TIERS, UNSTABLE_FORWARD_SHARE, VALUE_REL_TOL, tier

SHAPES = [(5,), (3, 4), (2, 3, 4)]
# Extremes where 1 / (1 + e^-x) overflows, and ordinary values, so that only a sigmoid passes
# (a step function is right at ±1000 and ±50, not at ±3 and ±0.5).
EXTREME = np.array([-1000.0, -50.0, -3.0, -0.5, 0.0, 0.5, 3.0, 50.0, 1000.0])
TIERS = tiers_text(GRADIENT_TIERS)


def case(k):
    """Inputs for shape k: x spread over the sigmoid's interesting range, and a random upstream gradient."""
    rng = np.random.default_rng([2026, k])
    shape = SHAPES[k]
    return rng.standard_normal(shape) * 3, rng.standard_normal(shape)


@functools.lru_cache(maxsize=None)
def expected_backward(k):
    """(reference dx, central-difference dx) for case k: the same for every submission, computed once."""
    x, dout = case(k)
    return reference.sigmoid_backward(x, dout), reference.numerical_gradient(reference.sigmoid, x, dout)


def evidence(check, what):
    return Models(check, what, same=reference.matches, tol=VALUE_REL_TOL)


def forward_hints(models, x, out, case=""):
    """Name the typical wrong forward ``out`` is, by its values (where that mistake differs from σ)."""
    models.case(out, reference.sigmoid(x), reference.sigmoid_forward_mistakes(x), case=case)


@pytest.mark.rubric("Sigmoid.forward values")
def test_forward_values(student, check):
    right, worst, kept = 0, 0.0, 1.0
    models = evidence(check, "Sigmoid.forward")
    for k, shape in enumerate(SHAPES):
        x, _ = case(k)
        reply = student.request("Sigmoid", "sigmoid_forward", x=x)
        if check.failed(reply, "Sigmoid.forward"):
            continue
        kept = min(kept, check.overwrote(reply))
        out = reply.value["out"]
        if out.shape != x.shape:
            check.wrong_shape("Sigmoid.forward", got=out.shape, expected=x.shape)
            continue
        error = reference.rel_error(out, reference.sigmoid(x))
        worst = max(worst, error)
        right += error <= VALUE_REL_TOL
        if error > VALUE_REL_TOL:
            forward_hints(models, x, out, case=f"shape {shape}")
    models.done()
    check.say("values", what="Sigmoid.forward", right=right, total=len(SHAPES), error=worst, tol=VALUE_REL_TOL)
    return finish(check, kept * right / len(SHAPES))


@pytest.mark.rubric("Sigmoid.forward extreme inputs")
def test_forward_extreme_inputs(student, check):
    reply = student.request("Sigmoid", "sigmoid_forward", x=EXTREME)
    if check.failed(reply, "Sigmoid.forward"):
        return finish(check, 0)
    kept = check.overwrote(reply)
    out = reply.value["out"]
    if out.shape != EXTREME.shape:
        check.wrong_shape("Sigmoid.forward", got=out.shape, expected=EXTREME.shape)
        return finish(check, 0)
    if not np.all(np.isfinite(out)):
        check.not_finite("Sigmoid.forward(±1000)")
        check.hint("sigmoid-unstable")
        return finish(check, 0)
    expected = reference.sigmoid(EXTREME)
    for x, got, want in zip(EXTREME, out, expected):
        if not reference.matches(got, want):
            check.say("extreme-wrong", x=f"{x:g}", got=f"{got:.6g}", expected=f"{want:.6g}")
            models = evidence(check, "Sigmoid.forward")
            forward_hints(models, EXTREME, out)
            models.done()
            return finish(check, 0)
    overflow = [w for w in reply.warnings if "overflow" in w.lower() or "invalid value" in w.lower()]
    if overflow:
        check.say("extreme-warned", warnings="; ".join(overflow), share=UNSTABLE_FORWARD_SHARE)
        check.hint("sigmoid-unstable")
        return finish(check, kept * UNSTABLE_FORWARD_SHARE)
    check.say("extreme-ok")
    return finish(check, kept)


@pytest.mark.rubric("Sigmoid.backward gradient check")
def test_backward_gradient_check(student, check):
    errors, numerical_errors, shares, kept = [], [], [], 1.0
    models = evidence(check, "Sigmoid.backward")
    for k, shape in enumerate(SHAPES):
        x, dout = case(k)
        reply = student.request("Sigmoid", "sigmoid_backward", x=x, dout=dout)
        if check.failed(reply, "Sigmoid.backward"):
            continue
        kept = min(kept, check.overwrote(reply))
        if check.numerical(reply, "Sigmoid.backward", "dx", "x"):
            return finish(check, 0)
        dx = reply.value["dx"]
        if dx.shape != dout.shape:
            check.wrong_shape("Sigmoid.backward dx", got=dx.shape, expected=dout.shape)
            check.hint("sigmoid-wrong-shape")
            continue
        expected, numerical = expected_backward(k)
        error = reference.rel_error(dx, expected)
        errors.append(error)
        shares.append(tier(error))
        numerical_errors.append(reference.rel_error(dx, numerical))
        if error > VALUE_REL_TOL:
            models.case(dx, expected, reference.sigmoid_mistakes(x, dout), case=f"shape {shape}")
    models.done()
    # Each shape earns its tier; the test, their mean (a shape that raised earns 0).
    share = sum(shares) / len(SHAPES)
    if errors:
        check.say("gradient", what="Sigmoid.backward dx", error=max(errors), numerical=max(numerical_errors),
                  share=share, tiers=TIERS, right=sum(s >= 1 for s in shares), measured=len(errors),
                  total=len(SHAPES))
    return finish(check, kept * share)
