"""Exercise 4: MaxPool2D: forward on tie-free inputs and backward's routing (overlapping windows
accumulate), against the reference on six cases."""
import pytest

from autograder.checks.authoring import finish

from .. import reference
from ..rubric import VALUE_REL_TOL, tier
from .common import TIERS

CASES = range(len(reference.POOL_CASES))


def label(k):
    shape, K, S = reference.POOL_CASES[k]
    return f"x{shape}, K={K}, stride={S}"


def reply_for(student, k, backward):
    x, K, S, dout = reference.pool_case(k)
    return student.request("MaxPool2D", "pool", key=("pool", k, backward), x=x, kernel_size=K, stride=S,
                           dout=dout if backward else None)


def failed(check, reply, what, k):
    if not check.failed(reply, what):
        return False
    message = (reply.error or {}).get("message", "")
    if reference.POOL_CASES[k][2] is None and "NoneType" in message:
        check.hint("pool-stride-default")
    return True


def shape_hints(check, k, out):
    shape, K, S = reference.POOL_CASES[k]
    for hint_id, shapes in reference.pool_shape_mistakes(shape, K, S).items():
        if tuple(out.shape) in shapes:
            check.hint(hint_id)


@pytest.mark.rubric("MaxPool2D.forward values")
def test_forward_values(student, check):
    right, worst, kept, measured = 0, 0.0, 1.0, 0
    for k in CASES:
        reply = reply_for(student, k, False)
        if failed(check, reply, "MaxPool2D.forward", k):
            continue
        kept = min(kept, check.overwrote(reply))
        out, want = reply.value["out"], reference.expected("MaxPool2D", k)[0]
        if out.shape != want.shape:
            check.say("case-shape", what="MaxPool2D.forward", case=label(k), got=out.shape, expected=want.shape)
            shape_hints(check, k, out)
            continue
        error = reference.rel_error(out, want)
        worst, measured = max(worst, error), measured + 1
        right += error <= VALUE_REL_TOL
    if measured:
        check.say("values", what="MaxPool2D.forward", right=right, total=len(CASES), error=worst, tol=VALUE_REL_TOL)
    return finish(check, kept * right / len(CASES))


@pytest.mark.rubric("MaxPool2D.backward gradient check")
def test_backward(student, check):
    errors, kept, wrong_cases = [], 1.0, []
    for k in CASES:
        x, K, S, dout = reference.pool_case(k)
        reply = reply_for(student, k, True)
        if failed(check, reply, "MaxPool2D.backward", k):
            forward = reply_for(student, k, False)
            if forward.ok and forward.value["out"].shape != dout.shape:
                shape_hints(check, k, forward.value["out"])
            return finish(check, 0)
        kept = min(kept, check.overwrote(reply))
        if check.numerical(reply, "MaxPool2D.backward", "dx", "x"):
            return finish(check, 0)
        dx, want = reply.value["dx"], reference.expected("MaxPool2D", k)[1]
        if dx.shape != want.shape:
            check.say("case-shape", what="MaxPool2D.backward", case=label(k), got=dx.shape, expected=want.shape)
            return finish(check, 0)
        errors.append(reference.grad_error(dx, want))
        if errors[-1] > VALUE_REL_TOL:
            wrong_cases.append(k)
            for hint_id, wrong in reference.pool_backward_mistakes(x, K, S, dout).items():
                if reference.same(dx, wrong):
                    check.hint(hint_id)
            out = reply.value["out"]
            if out.shape != dout.shape:
                shape_hints(check, k, out)
    if wrong_cases and not check.tags:
        overlapping = [k for k in CASES if (reference.POOL_CASES[k][2] or reference.POOL_CASES[k][1])
                       < reference.POOL_CASES[k][1]]
        if set(wrong_cases) <= set(overlapping):
            check.hint("pool-dx-overwritten")
    share = tier(max(errors))
    check.say("gradient", what="MaxPool2D.backward", error=max(errors), share=share, tiers=TIERS)
    return finish(check, kept * share)
