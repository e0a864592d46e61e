"""01's child-side operations: what the sandboxed child does with the student's code for each request.

Executed in the child from this source (the child imports nothing of the grader's), before the
student's code; imported by the grader for REPLY_SCHEMA, the form each reply must have. Every array
the grader passes in is a copy; ``overwrote`` in a reply names the ones the student's code changed in
place ("Sigmoid.backward:dout"), which a caller would see as corrupted data; ``probe`` (after a
backward) how often the backward ran code on nudged copies of the inputs whose gradients are graded
(``numerical_probe``). ``ns`` is the student's namespace (the reference pieces of the part's
setup swapped in), ``ref`` the reference's.
"""
import itertools

import numpy as np

from autograder.sandbox.inside.api import (Failure, StudentError, as_array, attribute, call, calls_of,
                                           numerical_probe, overwritten, probe_schema, remember, safe_message,
                                           type_name)

# Every array the grader passes in is a copy; ``overwrote`` in a reply names the ones the student's
# code changed in place ("Sigmoid.backward:dout"), which a caller would see as corrupted data.
def op_sigmoid_forward(ns, ref, x):
    layer = call("Sigmoid()", ns["Sigmoid"])
    passed = {"x": x.copy()}
    out = as_array("Sigmoid.forward", call("Sigmoid.forward", layer.forward, passed["x"]))
    return {"out": out, "overwrote": [f"Sigmoid.forward:{n}" for n in overwritten({"x": x}, passed)]}


def op_sigmoid_backward(ns, ref, x, dout):
    layer = call("Sigmoid()", ns["Sigmoid"])
    passed = {"x": x.copy(), "dout": dout.copy()}
    out = as_array("Sigmoid.forward", call("Sigmoid.forward", layer.forward, passed["x"]))
    changed = [f"Sigmoid.forward:{n}" for n in overwritten({"x": x}, passed)]
    with numerical_probe({"x": x}) as probe:
        dx = call("Sigmoid.backward", layer.backward, passed["dout"])
    dx = as_array("Sigmoid.backward", dx)
    changed += [f"Sigmoid.backward:{n}" for n in overwritten({"x": x, "dout": dout}, passed)
                if f"Sigmoid.forward:{n}" not in changed]
    return {"out": out, "dx": dx, "overwrote": changed, "probe": probe.report()}


# The layers, by attribute: they also name the calls traced into the reference pieces (fc2.backward).
TRACED_ATTRIBUTES = LAYER_ATTRIBUTES = ("fc1", "sigmoid", "fc2")
PARAM_NAMES = ("fc1.W", "fc1.b", "fc2.W", "fc2.b")
GRAD_NAMES = ("fc1.dW", "fc1.db", "fc2.dW", "fc2.db")


def build_net(ns, dims):
    return remember(call("TwoLayerNet(...)", ns["TwoLayerNet"], *[int(d) for d in dims]))


def set_params(net, params):
    """Write the parent's parameters into the network's own arrays (shapes must already agree)."""
    for name, value in zip(PARAM_NAMES, params):
        try:
            target = attribute(net, name)
        except BaseException:  # noqa: B902 -- AttributeError, or a property that raises
            raise StudentError(Failure.STRUCTURE, f"the network has no {name}",
                               detail={"key": "no-attribute", "name": name}) from None
        if not isinstance(target, np.ndarray) or target.shape != value.shape:
            shape = list(target.shape) if isinstance(target, np.ndarray) else None
            raise StudentError(Failure.STRUCTURE, f"{name} has shape {shape or type_name(target)}, expected {list(value.shape)}",
                               detail={"key": "param-shape", "name": name, "got": shape, "type": type_name(target),
                                       "expected": list(value.shape)})
        target[...] = value


def op_net_structure(ns, ref, dims):
    net = build_net(ns, dims)
    report = {}
    for name in LAYER_ATTRIBUTES:
        layer = getattr(net, name, None)
        expected = ns["Sigmoid"] if name == "sigmoid" else ns["FullyConnectedLayer"]
        report[name] = "ok" if isinstance(layer, expected) else ("missing" if layer is None else type_name(layer))
    shapes = {}
    for name in PARAM_NAMES:
        try:
            value = attribute(net, name)
            shapes[name] = list(value.shape) if isinstance(value, np.ndarray) else None
        except BaseException:  # noqa: B902
            shapes[name] = None
    return {"layers": report, "shapes": shapes}


def _grads_of(net):
    grads = []
    for name in GRAD_NAMES:
        try:
            grads.append(as_array(name, attribute(net, name), allow_none=True))
        except BaseException:  # noqa: B902 -- missing attribute, or not numbers
            grads.append(None)
    return grads


def op_net_forward(ns, ref, dims, params, X):
    net = build_net(ns, dims)
    set_params(net, params)
    passed = {"X": X.copy()}
    out = as_array("TwoLayerNet.forward", call("TwoLayerNet.forward", net.forward, passed["X"]))
    return {"out": out, "overwrote": [f"TwoLayerNet.forward:{n}" for n in overwritten({"X": X}, passed)],
            "calls": calls_of(net, TRACED_ATTRIBUTES)}


def op_net_forward_backward(ns, ref, dims, params, X, dout):
    net = build_net(ns, dims)
    set_params(net, params)
    passed = {"X": X.copy(), "dout": dout.copy()}
    out = as_array("TwoLayerNet.forward", call("TwoLayerNet.forward", net.forward, passed["X"]))
    changed = [f"TwoLayerNet.forward:{n}" for n in overwritten({"X": X}, passed)]
    with numerical_probe({"X": X, **dict(zip(PARAM_NAMES, params))}) as probe:
        dX = call("TwoLayerNet.backward", net.backward, passed["dout"])
    dX = as_array("TwoLayerNet.backward", dX, allow_none=True)
    changed += [f"TwoLayerNet.backward:{n}" for n in overwritten({"X": X, "dout": dout}, passed)
                if f"TwoLayerNet.forward:{n}" not in changed]
    return {"out": out, "dX": dX, "grads": _grads_of(net), "overwrote": changed,
            "calls": calls_of(net, TRACED_ATTRIBUTES), "probe": probe.report()}


def set_grads(net, grads):
    """Give every layer known gradients, into the arrays backward left where it left usable ones (so a
    list the student kept still holds them), else as fresh attributes."""
    for name, value in zip(GRAD_NAMES, grads):
        layer_name, _, attr = name.partition(".")
        layer = getattr(net, layer_name, None)
        current = getattr(layer, attr, None)
        if (isinstance(current, np.ndarray) and current.shape == value.shape and current.dtype == np.float64
                and current.flags.writeable):
            current[...] = value
        else:
            try:
                setattr(layer, attr, value.copy())
            except BaseException:  # noqa: B902 -- no such layer, or one that refuses attributes
                raise StudentError(Failure.STRUCTURE, f"the network has no {layer_name}",
                                   detail={"key": "no-attribute", "name": layer_name}) from None


def op_net_params_and_grads(ns, ref, dims, params, grads, X, dout, X2, step):
    """get_params_and_grads as training uses it: forward and backward run, then an update through the
    returned pairs, then a forward on new inputs. The gradients are the student's own when backward
    left all four with the right shapes, else the known ``grads`` (so a broken backward costs its own
    tests); the reply says which, and the parent checks the update against computed arrays."""
    net = build_net(ns, dims)
    set_params(net, params)
    own = None
    try:
        call("TwoLayerNet.forward", lambda: net.forward(X.copy()))
        call("TwoLayerNet.backward", lambda: net.backward(dout.copy()))
        own = _grads_of(net)
    except StudentError:
        pass
    if own is None or any(g is None or g.shape != k.shape for g, k in zip(own, grads)):
        set_grads(net, grads)
        own = None
    before = {id(attribute(net, name)): name for name in PARAM_NAMES + GRAD_NAMES}
    pairs = call("TwoLayerNet.get_params_and_grads", net.get_params_and_grads)
    try:
        pairs = [tuple(pair) for pair in itertools.islice(iter(pairs), 100)]
    except BaseException:  # noqa: B902
        raise StudentError(Failure.NOT_ARRAY, "get_params_and_grads must return a list of (param, grad) pairs",
                           detail={"key": "not-pairs", "what": "TwoLayerNet.get_params_and_grads"}) from None

    def identify(array):
        if id(array) in before:
            return before[id(array)]
        if not isinstance(array, np.ndarray):
            return type_name(array)
        for name in PARAM_NAMES + GRAD_NAMES:   # a view is as good as the array: updates reach the net
            mine = attribute(net, name)
            if isinstance(mine, np.ndarray) and array.shape == mine.shape and np.shares_memory(array, mine):
                return "view:" + name
        return "copy"

    identities = [[identify(p) for p in pair[:2]] for pair in pairs]
    # Update through the returned arrays, as training does, then read the network back.
    for pair in pairs:
        if len(pair) == 2 and isinstance(pair[0], np.ndarray) and isinstance(pair[1], np.ndarray):
            try:
                pair[0][...] -= step * pair[1]
            except (ValueError, TypeError):
                pass
    after = [as_array(name, attribute(net, name)) for name in PARAM_NAMES]
    try:
        out2 = as_array("TwoLayerNet.forward", call("TwoLayerNet.forward", lambda: net.forward(X2.copy())))
    except StudentError:
        out2 = None
    return {"identities": identities, "after": after, "out2": out2, "grads": own if own is not None else [None] * 4}


def op_train(ns, ref, params, X, y, learning_rate, epochs):
    """train_xor on a network of the part's TwoLayerNet (the reference's, or the student's own)."""
    net = build_net(ns, (2, params[0].shape[1], 1))
    set_params(net, params)
    passed = {"X": X.copy(), "y": y.copy()}
    losses = call("train_xor", ns["train_xor"], net, passed["X"], passed["y"], float(learning_rate), int(epochs))
    losses_error = None
    if losses is not None:
        try:
            losses = np.array([float(loss) for loss in itertools.islice(iter(losses), max(10 * int(epochs), 20_000))],
                              dtype=np.float64)
        except BaseException as exc:  # noqa: B902 -- the network it trained is graded all the same
            losses, losses_error = None, safe_message(exc)
    # The reference layers set dW only in backward: None afterwards means backward never ran.
    backward_ran = all(getattr(getattr(net, layer, None), "dW", None) is not None for layer in ("fc1", "fc2"))
    after = []
    for name, given in zip(PARAM_NAMES, params):
        try:
            value = as_array(name, attribute(net, name))
        except BaseException:  # noqa: B902
            raise StudentError(Failure.STRUCTURE, f"after train_xor the network has no {name}",
                               detail={"key": "no-attribute", "name": name}) from None
        if value.shape != given.shape:
            raise StudentError(Failure.STRUCTURE, f"train_xor changed the shape of {name}",
                               detail={"key": "changed-shape", "name": name, "got": list(value.shape),
                                       "expected": list(given.shape)})
        after.append(value)
    return {"losses": losses, "losses_error": losses_error, "params": after, "backward_ran": backward_ran,
            "overwrote": [f"train_xor:{n}" for n in overwritten({"X": X, "y": y}, passed)]}


OPERATIONS = {
    "sigmoid_forward": op_sigmoid_forward,
    "sigmoid_backward": op_sigmoid_backward,
    "net_structure": op_net_structure,
    "net_forward": op_net_forward,
    "net_forward_backward": op_net_forward_backward,
    "net_params_and_grads": op_net_params_and_grads,
    "train": op_train,
}

# ---------------------------------------------------------------- what a reply may look like
# The parent checks every reply against these (``autograder.sandbox.schema.conforms``) before a check
# reads it: the child runs student code, so a reply may be forged, and a malformed one must fail that
# request, never the grader. "array": a float64 ndarray; "vector": a 1-D one; "?" after a schema or a
# key: may be None / absent.
_PAIRS = ("array",) * 4
_OVERWROTE = ["str"]
REPLY_SCHEMA = {
    "sigmoid_forward": {"out": "array", "overwrote": _OVERWROTE},
    "sigmoid_backward": {"out": "array", "dx": "array", "overwrote": _OVERWROTE, "probe": probe_schema("x")},
    "net_structure": {"layers": {name: str for name in LAYER_ATTRIBUTES},
                      "shapes": {name: "shape?" for name in PARAM_NAMES}},
    "net_forward": {"out": "array", "overwrote": _OVERWROTE, "calls": ["str"]},
    "net_forward_backward": {"out": "array", "dX": "array?", "grads": ("array?",) * 4, "overwrote": _OVERWROTE,
                             "calls": ["str"], "probe": probe_schema("X", *PARAM_NAMES)},
    "net_params_and_grads": {"identities": [["str"]], "after": _PAIRS, "out2": "array?", "grads": ("array?",) * 4},
    "train": {"losses": "vector?", "losses_error": "str?", "params": _PAIRS, "backward_ran": bool,
              "overwrote": _OVERWROTE},
}
