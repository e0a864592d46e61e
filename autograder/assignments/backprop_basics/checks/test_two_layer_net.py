"""Exercise 2: TwoLayerNet, graded with the reference Sigmoid and FullyConnectedLayer swapped in and
with the student's own (see rubric.PART_SETUPS); every point rests on arrays the student's code computed."""
import functools

import numpy as np
import pytest

from autograder.checks.authoring import Kind, Models, explains, finish, tiers_text

from .. import reference
from ..operations import GRAD_NAMES, PARAM_NAMES
from ..rubric import GRADIENT_TIERS, VALUE_REL_TOL, tier

# Not only the notebook's 2-8-1: a net that hard-codes 8 hidden units must fail.
DIMS = [(2, 8, 1), (3, 5, 2), (4, 3, 3)]
SAMPLES = 5
TIERS = tiers_text(GRADIENT_TIERS)
UPDATE_STEP = 0.1
BACKWARD_ORDER = ["fc2.backward", "sigmoid.backward", "fc1.backward"]


def case(k):
    """Parameters, input and a random upstream gradient for size k."""
    rng = np.random.default_rng([2026, 100 + k])
    dims = DIMS[k]
    params = reference.net_params(dims, rng)
    return dims, params, rng.standard_normal((SAMPLES, dims[0])), rng.standard_normal((SAMPLES, dims[2]))


@functools.lru_cache(maxsize=None)
def expected(k):
    """Reference and central-difference gradients for case k: the same for every submission."""
    _, params, X, dout = case(k)
    dX, grads = reference.net_backward(params, X, dout)
    num_dX, num_grads = reference.net_numerical(params, X, dout)
    return dX, grads, num_dX, num_grads


def computes_forward(out, params, X):
    """Is ``out`` the forward of a 2-layer network with these parameters: the right one, or one of
    the typical wrong ones? (Evidence that the student's code computed it from the parameters.)"""
    if out is None:
        return False
    mistakes = reference.net_mistakes(params, X)["forward"]
    models = [reference.net_forward(params, X), mistakes["net-forward-skips-sigmoid"]]   # both use every layer
    return any(reference.matches(out, model) for model in models)


def failed(check, reply, what, dims):
    """check.failed, plus the hard-coded hidden size a structure error shows."""
    if not check.failed(reply, what):
        return False
    detail = (reply.error or {}).get("detail") or {}
    got = detail.get("got") or []
    if detail.get("key") == "param-shape" and dims[1] != 8 and 8 in got:
        check.hint("net-hidden-size-hardcoded")
    return True


def evidence(check, what):
    return Models(check, what, same=reference.matches, tol=VALUE_REL_TOL)


def forward_hints(check, out, params, X, models=None):
    """Name the typical wrong forward that produced ``out`` (backward's caches come from it), where that
    mistake's output differs from the right one."""
    if out is None:
        return
    want = reference.net_forward(params, X)
    if reference.matches(out, want):
        return
    own = models is None
    models = models or evidence(check, "TwoLayerNet.forward")
    models.case(out, want, reference.net_mistakes(params, X)["forward"])
    if own:
        models.done()


def mean_share(shares, total):
    """Each size earns its tier; the test, their mean (a size that raised or had the wrong shape earns 0)."""
    return sum(shares) / total


def order_hint(check, calls, raised=False):
    """Backward called the layers in a measured order: name it when two of its calls go against
    fc2 → sigmoid → fc1 (sigmoid skipped is another mistake, named by its own hint), or when a backward
    that raised had called fc1's backward, the last one, first. A backward that ran to the end without
    calling fc2's is no evidence: it may compute fc2's gradients itself, in the right order."""
    backward = [c for c in calls if c in BACKWARD_ORDER]
    positions = [BACKWARD_ORDER.index(c) for c in backward]
    wrong = any(b <= a for a, b in zip(positions, positions[1:])) or (
        raised and positions[:1] == [len(BACKWARD_ORDER) - 1])
    if wrong and "net-backward-wrong-order" not in check.tags:
        check.say("backward-order", calls=" → ".join(backward[:6]))
        check.hint("net-backward-wrong-order")


def forward_only(student, k):
    """Case k's forward reply (shared by the structure, forward and backward tests)."""
    dims, params, X, _ = case(k)
    return student.request("TwoLayerNet", "net_forward", key=("net_forward", k), dims=list(dims), params=params, X=X)


def forward_backward(student, k):
    dims, params, X, dout = case(k)
    return student.request("TwoLayerNet", "net_forward_backward", key=("net_forward_backward", k),
                           dims=list(dims), params=params, X=X, dout=dout)


def explained_forward_backward(student, check, k):
    """Case k's forward+backward reply (shared by both backward tests), or None once explained."""
    dims, params, X, _ = case(k)
    reply = forward_backward(student, k)
    if not failed(check, reply, "TwoLayerNet.backward", dims):
        return reply
    order_hint(check, (reply.error or {}).get("calls", []), raised=True)
    forward = forward_only(student, k)   # backward may fail on caches a wrong forward never filled
    if forward.ok:
        forward_hints(check, forward.value["out"], params, X)
    return None


@pytest.mark.rubric("TwoLayerNet structure")
def test_structure(student, check):
    right, hardcoded = 0, False
    for k, dims in enumerate(DIMS):
        reply = student.request("TwoLayerNet", "net_structure", dims=list(dims))
        if check.failed(reply, "TwoLayerNet(...)"):
            return finish(check, right / len(DIMS))
        n_in, hidden, n_out = dims
        problems = []
        for name, state in reply.value["layers"].items():
            if state != "ok":
                cls = "Sigmoid" if name == "sigmoid" else "FullyConnectedLayer"
                got = check.text("layer-missing") if state == "missing" else state   # a word, or a type's name
                problems.append(("layer-wrong", {"name": name, "cls": cls, "got": got}))
        wanted = {"fc1.W": [n_in, hidden], "fc1.b": [hidden], "fc2.W": [hidden, n_out], "fc2.b": [n_out]}
        for name, shape in wanted.items():
            got = reply.value["shapes"].get(name)
            if got != shape:
                problems.append(("param-shape", {"name": name, "got": got, "expected": shape}))
                hardcoded |= hidden != 8 and got is not None and 8 in got
        if problems:
            key, values = problems[0]
            check.fault(Kind.STRUCTURE)
            check.say("structure-bad", dims=dims, problem=check.text(key, **values))
            continue
        # The layers and shapes are claims; the network computing with the grader's parameters of
        # exactly those shapes is the evidence.
        _, params, X, _ = case(k)
        forward, both = forward_only(student, k), forward_backward(student, k)
        _, grads, _, _ = expected(k)
        if ((forward.ok and computes_forward(forward.value["out"], params, X))
                or (both.ok and reference.matches(both.value["grads"], grads))):
            check.say("structure-ok", dims=dims)
            right += 1
        else:
            check.say("structure-unverified", dims=dims)
    if hardcoded:
        check.hint("net-hidden-size-hardcoded")
    return finish(check, right / len(DIMS))


@pytest.mark.rubric("TwoLayerNet.forward values")
def test_forward_values(student, check):
    right, worst, kept = 0, 0.0, 1.0
    models = evidence(check, "TwoLayerNet.forward")
    for k in range(len(DIMS)):
        dims, params, X, _ = case(k)
        reply = forward_only(student, k)
        if failed(check, reply, "TwoLayerNet.forward", dims):
            continue
        kept = min(kept, check.overwrote(reply))
        out, wanted = reply.value["out"], reference.net_forward(params, X)
        if out.shape != wanted.shape:
            check.wrong_shape("TwoLayerNet.forward", got=out.shape, expected=wanted.shape)
            continue
        error = reference.rel_error(out, wanted)
        worst = max(worst, error)
        right += error <= VALUE_REL_TOL
        if error > VALUE_REL_TOL:
            forward_hints(check, out, params, X, models)
    models.done()
    check.say("values", what="TwoLayerNet.forward", right=right, total=len(DIMS), error=worst, tol=VALUE_REL_TOL)
    return finish(check, kept * right / len(DIMS))


@pytest.mark.rubric("TwoLayerNet.backward gradient check dX")
def test_backward_dX(student, check):
    errors, numerical_errors, shares, kept = [], [], [], 1.0
    models = evidence(check, "TwoLayerNet.backward dX")
    for k in range(len(DIMS)):
        dims, params, X, dout = case(k)
        reply = explained_forward_backward(student, check, k)
        if reply is None:
            continue
        kept = min(kept, check.overwrote(reply))
        if check.numerical(reply, "TwoLayerNet.backward", "dX", "X"):
            return finish(check, 0)
        dX = reply.value["dX"]
        if dX is None:
            check.say("returned-none", message="TwoLayerNet.backward")
            check.hint("net-backward-returns-none")
            return finish(check, 0)
        want, _, numerical, _ = expected(k)
        if dX.shape != want.shape:
            check.wrong_shape("TwoLayerNet.backward dX", got=dX.shape, expected=want.shape)
            order_hint(check, reply.value["calls"])
            continue
        errors.append(reference.rel_error(dX, want))
        shares.append(tier(errors[-1]))
        numerical_errors.append(reference.rel_error(dX, numerical))
        if errors[-1] > VALUE_REL_TOL:
            models.case(dX, want, reference.net_mistakes(params, X, dout)["dX"], case=f"{dims}")
            forward_hints(check, reply.value["out"], params, X)
            order_hint(check, reply.value["calls"])
    models.done()
    share = mean_share(shares, len(DIMS))
    if errors:
        check.say("gradient", what="TwoLayerNet.backward dX", error=max(errors), numerical=max(numerical_errors),
                  share=share, tiers=TIERS, right=sum(s >= 1 for s in shares), measured=len(errors), total=len(DIMS))
    return finish(check, kept * share)


@pytest.mark.rubric("TwoLayerNet.backward gradient check parameters")
def test_backward_parameters(student, check):
    errors, numerical_errors, shares, kept = [], [], [], 1.0
    for k in range(len(DIMS)):
        dims, params, X, dout = case(k)
        reply = explained_forward_backward(student, check, k)
        if reply is None:
            continue
        kept = min(kept, check.overwrote(reply))
        if any([check.numerical(reply, "TwoLayerNet.backward", name, name.replace(".d", ".")) for name in GRAD_NAMES]):
            return finish(check, 0)
        _, wanted, _, numerical = expected(k)
        case_errors, shaped = [], True
        for name, got, want, num in zip(GRAD_NAMES, reply.value["grads"], wanted, numerical):
            if got is None:
                check.say("gradient-none", what=name)
                return finish(check, 0)
            if got.shape != want.shape:
                check.wrong_shape(name, got=got.shape, expected=want.shape)
                if name.endswith(".db"):
                    check.hint("net-bias-grad-shape")
                shaped = False
                break
            case_errors.append(reference.rel_error(got, want))
            numerical_errors.append(reference.rel_error(got, num))
        if not shaped:
            continue
        errors += case_errors
        shares.append(tier(max(case_errors)))
        if max(case_errors) > VALUE_REL_TOL:
            want_dX = expected(k)[0]
            if reply.value["dX"] is not None and reply.value["dX"].shape == want_dX.shape:
                skipped = reference.net_mistakes(params, X, dout)["dX"]["net-backward-skips-sigmoid"]
                if explains(reply.value["dX"], want_dX, skipped, reference.matches):
                    check.hint("net-backward-skips-sigmoid")
            forward_hints(check, reply.value["out"], params, X)
            order_hint(check, reply.value["calls"])
    share = mean_share(shares, len(DIMS))
    if errors:
        check.say("gradient", what="fc1.dW, fc1.db, fc2.dW, fc2.db", error=max(errors),
                  numerical=max(numerical_errors), share=share, tiers=TIERS, right=sum(s >= 1 for s in shares),
                  measured=len(shares), total=len(DIMS))
    return finish(check, kept * share)


@pytest.mark.rubric("TwoLayerNet.get_params_and_grads")
def test_get_params_and_grads(student, check):
    k = 1
    dims, params, X, dout = case(k)
    _, grads, _, _ = expected(k)
    known = [np.random.default_rng([2026, 300, i]).standard_normal(g.shape) for i, g in enumerate(grads)]
    X2 = np.random.default_rng([2026, 301]).standard_normal((SAMPLES, dims[0]))
    reply = student.request("TwoLayerNet", "net_params_and_grads", dims=list(dims), params=params, grads=known,
                            X=X, dout=dout, X2=X2, step=UPDATE_STEP)
    if failed(check, reply, "TwoLayerNet.get_params_and_grads", dims):
        return finish(check, 0)
    own = reply.value["grads"]
    used = own if all(g is not None for g in own) else known
    after_expected = [p - UPDATE_STEP * g for p, g in zip(params, used)]
    # Identities and parameters read back are claims the child makes; the evidence that they describe
    # the student's network is computed: its backward found the real gradients, or its forward
    # computes with the parameters it reports after the update. Without either, nothing is paid.
    verified = ((used is own and reference.matches(own, grads))
                or computes_forward(reply.value["out2"], reply.value["after"], X2))
    if not verified:
        check.say("pairs-unverified")
        return finish(check, 0)
    identities = reply.value["identities"]
    expected_pairs = list(zip(PARAM_NAMES, GRAD_NAMES))
    returned = [tuple(name.removeprefix("view:") for name in got) for got in identities]
    if len(identities) != 4:
        check.say("pairs-count", count=len(identities))
        missing = [pair for pair in expected_pairs if pair not in returned]
        if missing and all(pair in expected_pairs for pair in returned):
            check.say("pairs-missing", names=check.text("list-separator").join(f"({p}, {g})" for p, g in missing))
            return finish(check, 0)
    right = 0
    for index, (want, got) in enumerate(zip(expected_pairs, returned)):
        if got == want:
            if reference.matches(reply.value["after"][index], after_expected[index]):
                right += 1
            else:
                check.say("pairs-not-updated", name=want[0])
            continue
        check.say("pairs-wrong", index=index + 1, got=", ".join(got), expected=", ".join(want))
        if "copy" in got:
            check.hint("net-params-copies")
        elif got in expected_pairs:
            check.hint("net-params-order")
        elif all(name in PARAM_NAMES + GRAD_NAMES for name in got):
            check.hint("net-params-mismatched")
    if right == 4 and len(identities) == 4:
        check.say("pairs-ok")
    return finish(check, right / max(4, len(identities)))
