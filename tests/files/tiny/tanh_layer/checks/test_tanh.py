"""00's one part: Tanh.forward values and Tanh.backward's gradient."""
import numpy as np
import pytest

from autograder.checks.authoring import finish, rel_error

from .. import reference


@pytest.mark.rubric("Tanh.forward values")
def test_forward_values(student, check):
    right, worst, kept = 0, 0.0, 1.0
    for k in range(2):
        x, _ = reference.case(k)
        reply = student.request("Tanh", "tanh_forward", x=x)
        if check.failed(reply, "Tanh.forward"):
            return finish(check, right / 2)
        kept = min(kept, check.overwrote(reply))
        out = reply.value["out"]
        if out.shape != x.shape:
            check.wrong_shape("Tanh.forward", got=out.shape, expected=x.shape)   # the test's kind: "shape"
            continue
        worst = max(worst, rel_error(out, reference.forward(x)))
        right += reference.matches(out, reference.forward(x))
    check.say("values", what="Tanh.forward", right=right, total=2, error=worst)
    return finish(check, kept * right / 2)


@pytest.mark.rubric("Tanh.backward gradient check")
def test_backward(student, check):
    worst, kept = 0.0, 1.0
    for k in range(2):
        x, dout = reference.case(k)
        reply = student.request("Tanh", "tanh_backward", x=x, dout=dout)
        if check.failed(reply, "Tanh.backward"):
            return finish(check, 0)
        kept = min(kept, check.overwrote(reply))
        if check.numerical(reply, "Tanh.backward", "dx", "x"):
            return finish(check, 0)
        dx = reply.value["dx"]
        if dx.shape != x.shape:
            check.wrong_shape("Tanh.backward", got=dx.shape, expected=x.shape)
            return finish(check, 0)
        worst = max(worst, rel_error(dx, reference.backward(x, dout)))
        if reference.matches(dx, 1 - np.tanh(x) ** 2):
            check.hint("tanh-ignores-dout")
    check.say("gradient", error=worst)
    return finish(check, kept * (worst <= reference.VALUE_REL_TOL))
