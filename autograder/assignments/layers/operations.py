"""02's child-side operations: what the sandboxed child does with the student's code for each request.

Executed in the child from this source (the child imports nothing of the grader's), before the
student's code; imported by the grader for REPLY_SCHEMA. Every array the grader passes in is a copy;
``overwrote`` in a reply names the ones the student's code changed in place, and ``probe`` (after a
backward) how often the backward ran code on nudged copies of the inputs whose gradients are graded
(``numerical_probe``). ``ns`` is the student's namespace (the reference pieces of the part's
setup swapped in), ``ref`` the reference's.
"""
import itertools

import numpy as np

from autograder.sandbox.inside.api import (Failure, StudentError, as_array, attribute, call, dtype_name,
                                           numerical_probe, overwritten, probe_schema, remember, safe_message)


def _changed(what, originals, passed, already=()):
    return [f"{what}:{n}" for n in overwritten(originals, passed) if f"{what}:{n}" not in already
            and not any(a.endswith(":" + n) for a in already)]


# ---------------------------------------------------------------- ReLU
def op_relu(ns, ref, x, dout=None):
    layer = call("ReLU()", ns["ReLU"])
    passed = {"x": x.copy()}
    returned = call("ReLU.forward", layer.forward, passed["x"])
    out = as_array("ReLU.forward", returned)
    changed = _changed("ReLU.forward", {"x": x}, passed)
    reply = {"out": out, "dx": None, "overwrote": changed, "dtypes": [f"out:{dtype_name(returned)}"]}
    if dout is not None:
        passed["dout"] = dout.copy()
        with numerical_probe({"x": x}) as probe:
            dx = call("ReLU.backward", layer.backward, passed["dout"])
        reply.update(dx=as_array("ReLU.backward", dx), probe=probe.report())
        reply["dtypes"].append(f"dx:{dtype_name(dx)}")
        changed += _changed("ReLU.backward", {"x": x, "dout": dout}, passed, changed)
    return reply


# ---------------------------------------------------------------- SoftmaxCrossEntropy
def op_softmax(ns, ref, scores, labels, dout=None):
    layer = call("SoftmaxCrossEntropy()", ns["SoftmaxCrossEntropy"])
    labels = labels.astype(np.int64)
    passed = {"scores": scores.copy(), "labels": labels.copy()}
    loss = as_array("SoftmaxCrossEntropy.forward",
                    call("SoftmaxCrossEntropy.forward", layer.forward, passed["scores"], passed["labels"]))
    changed = _changed("SoftmaxCrossEntropy.forward", {"scores": scores, "labels": labels}, passed)
    reply = {"loss": loss, "dscores": None, "overwrote": changed}
    if dout is not None:
        with numerical_probe({"scores": scores}) as probe:
            dscores = call("SoftmaxCrossEntropy.backward", layer.backward, float(dout))
        reply.update(dscores=as_array("SoftmaxCrossEntropy.backward", dscores), probe=probe.report())
        changed += _changed("SoftmaxCrossEntropy.backward", {"scores": scores, "labels": labels}, passed, changed)
    return reply


def op_softmax_default(ns, ref, scores, labels):
    """forward, then backward() without an argument, as MLPClassifier.backward calls it."""
    layer = call("SoftmaxCrossEntropy()", ns["SoftmaxCrossEntropy"])
    labels = labels.astype(np.int64)
    passed = {"scores": scores.copy(), "labels": labels.copy()}
    loss = as_array("SoftmaxCrossEntropy.forward",
                    call("SoftmaxCrossEntropy.forward", layer.forward, passed["scores"], passed["labels"]))
    with numerical_probe({"scores": scores}) as probe:
        dscores = call("SoftmaxCrossEntropy.backward()", layer.backward)
    return {"loss": loss, "dscores": as_array("SoftmaxCrossEntropy.backward()", dscores), "probe": probe.report(),
            "overwrote": _changed("SoftmaxCrossEntropy", {"scores": scores, "labels": labels}, passed)}


# ---------------------------------------------------------------- Conv2D
def _conv(ns, C, F, K, S, P):
    return remember(call("Conv2D(...)", ns["Conv2D"], int(C), int(F), int(K), int(S), int(P)))


def op_conv_init(ns, ref, C, F, K):
    layer = _conv(ns, C, F, K, 1, 0)
    values = {}
    for name in ("W", "b"):
        try:
            values[name] = as_array(f"Conv2D.{name}", getattr(layer, name))
        except StudentError:
            raise
        except BaseException:  # noqa: B902 -- no such attribute
            raise StudentError(Failure.STRUCTURE, f"Conv2D has no {name}", detail={"key": "no-attribute", "name": name}) from None
    return values


def op_conv(ns, ref, x, W, b, stride, padding, dout=None):
    F, C, K, _ = W.shape
    layer = _conv(ns, C, F, K, stride, padding)
    try:
        layer.W, layer.b = W.copy(), b.copy()
    except BaseException:  # noqa: B902
        raise StudentError(Failure.STRUCTURE, "cannot set Conv2D.W and b", detail={"key": "no-attribute", "name": "W"}) from None
    passed = {"x": x.copy()}
    returned = call("Conv2D.forward", layer.forward, passed["x"])
    out = as_array("Conv2D.forward", returned)
    changed = _changed("Conv2D.forward", {"x": x}, passed)
    reply = {"out": out, "dx": None, "dW": None, "db": None, "overwrote": changed,
             "dtypes": [f"out:{dtype_name(returned)}"]}
    if dout is not None:
        passed["dout"] = dout.copy()
        with numerical_probe({"x": x, "W": W, "b": b}) as probe:
            dx = call("Conv2D.backward", layer.backward, passed["dout"])
        reply.update(dx=as_array("Conv2D.backward", dx), probe=probe.report())
        reply["dtypes"].append(f"dx:{dtype_name(dx)}")
        changed += _changed("Conv2D.backward", {"x": x, "dout": dout}, passed, changed)
        for name in ("dW", "db"):
            try:
                value = getattr(layer, name, None)
                reply[name] = as_array(f"Conv2D.{name}", value, allow_none=True)
                reply["dtypes"].append(f"{name}:{dtype_name(value)}")
            except StudentError:
                pass
    return reply


# ---------------------------------------------------------------- MaxPool2D
def op_pool(ns, ref, x, kernel_size, stride=None, dout=None):
    args = (int(kernel_size),) if stride is None else (int(kernel_size), int(stride))
    layer = remember(call("MaxPool2D(...)", ns["MaxPool2D"], *args))
    passed = {"x": x.copy()}
    returned = call("MaxPool2D.forward", layer.forward, passed["x"])
    out = as_array("MaxPool2D.forward", returned)
    changed = _changed("MaxPool2D.forward", {"x": x}, passed)
    reply = {"out": out, "dx": None, "overwrote": changed, "dtypes": [f"out:{dtype_name(returned)}"]}
    if dout is not None:
        passed["dout"] = dout.copy()
        with numerical_probe({"x": x}) as probe:
            dx = call("MaxPool2D.backward", layer.backward, passed["dout"])
        reply.update(dx=as_array("MaxPool2D.backward", dx), probe=probe.report())
        reply["dtypes"].append(f"dx:{dtype_name(dx)}")
        changed += _changed("MaxPool2D.backward", {"x": x, "dout": dout}, passed, changed)
    return reply


# ---------------------------------------------------------------- train_classifier
PARAM_NAMES = ("fc1.W", "fc1.b", "fc2.W", "fc2.b")


def op_train(ns, ref, params, X, y, learning_rate, epochs, batch_size, seed):
    """train_classifier on an MLPClassifier of the part's setup (the reference's, or the student's own)."""
    net = remember(call("MLPClassifier(...)", ns["MLPClassifier"], int(X.shape[1]), int(params[0].shape[1]),
                        int(params[2].shape[1])))
    for name, value in zip(PARAM_NAMES, params):
        layer, _, attr = name.partition(".")
        try:
            setattr(getattr(net, layer), attr, value.copy())
        except BaseException:  # noqa: B902
            raise StudentError(Failure.STRUCTURE, f"the network has no {layer}", detail={"key": "no-attribute", "name": layer}) from None
    y = y.astype(np.int64)
    passed = {"X": X.copy(), "y": y.copy()}
    watched, last_step = _watch(net, X, y)
    np.random.seed(0)   # the global generator's state is known (a student who shuffles with it is recognised)
    losses = call("train_classifier", ns["train_classifier"], net, passed["X"], passed["y"], float(learning_rate),
                  int(epochs), int(batch_size), int(seed))
    last_step()
    losses_error = None
    if losses is not None:
        try:
            losses = np.array([float(loss) for loss in itertools.islice(iter(losses), 100_000)], dtype=np.float64)
        except BaseException as exc:  # noqa: B902 -- the network it trained is graded all the same
            losses, losses_error = None, safe_message(exc)
    after = []
    for name, given in zip(PARAM_NAMES, params):
        try:
            value = as_array(name, attribute(net, name))
        except BaseException:  # noqa: B902
            raise StudentError(Failure.STRUCTURE, f"after train_classifier the network has no {name}",
                               detail={"key": "no-attribute", "name": name}) from None
        if value.shape != given.shape:
            raise StudentError(Failure.STRUCTURE, f"train_classifier changed the shape of {name}",
                               detail={"key": "param-shape", "name": name, "got": list(value.shape),
                                       "expected": list(given.shape)})
        after.append(value)
    return {"losses": losses, "losses_error": losses_error, "params": after, "watched": watched,
            "overwrote": [f"train_classifier:{n}" for n in overwritten({"X": X, "y": y}, passed)]}


def _params_now(net):
    """Copies of the network's four parameters and gradients (None when it lacks one)."""
    try:
        params = [np.array(attribute(net, name), dtype=np.float64) for name in PARAM_NAMES]
        grads = [attribute(net, name.replace(".", ".d")) for name in PARAM_NAMES]
        grads = [None if g is None else np.array(g, dtype=np.float64) for g in grads]
        return params, grads
    except BaseException:  # noqa: B902
        return None, None


def _is_descent(before, after, grads):
    """Is after = before − c·grads for one c > 0 (a gradient-descent step, whatever its step size)?"""
    if before is None or after is None or grads is None or any(g is None for g in grads):
        return False
    try:
        delta = np.concatenate([(a - b).ravel() for a, b in zip(after, before)])
        grad = np.concatenate([g.ravel() for g in grads])
        if delta.shape != grad.shape or not np.all(np.isfinite(delta)) or not grad @ grad > 0:
            return False
        c = -float(delta @ grad) / float(grad @ grad)
        return c > 0 and np.linalg.norm(delta + c * grad) <= 1e-6 * np.linalg.norm(delta)
    except BaseException:  # noqa: B902
        return False


def _watch(net, X, y):
    """Measure what train_classifier does through net.loss and net.backward, without changing it:
    [batches, rows seen, rows that came with a label other than their own (X shuffled apart from y,
    in any form), updates that were gradient-descent steps, other changes of the parameters]."""
    label_of = {X[i].tobytes(): int(y[i]) for i in range(X.shape[0])}
    counts = [0, 0, 0, 0, 0]
    # From the given start: a change before the first backward (parameters set elsewhere) is "other".
    state = {"before": _params_now(net)[0], "grads": None}
    try:
        loss_method, backward_method = net.loss, net.backward
    except BaseException:  # noqa: B902 -- no such methods: nothing to watch
        return counts, lambda: None

    def step_done():
        """The parameters now, against those at the last backward and the gradients it left."""
        if state["before"] is None:
            return
        after, _ = _params_now(net)
        if after is not None and any(not np.array_equal(a, b) for a, b in zip(after, state["before"])):
            counts[3 if _is_descent(state["before"], after, state["grads"]) else 4] += 1
        state["before"] = None

    def loss(X_batch, y_batch, *args, **kwargs):
        try:
            step_done()
            rows, labels = np.asarray(X_batch, dtype=np.float64), np.asarray(y_batch).reshape(-1)
            if rows.ndim == 2 and rows.shape[0] == labels.shape[0]:
                counts[0] += 1
                for row, label in zip(rows, labels):
                    own = label_of.get(row.tobytes())
                    if own is not None:
                        counts[1] += 1
                        counts[2] += int(own != label)
        except BaseException:  # noqa: B902 -- measuring never changes what the student's loop does
            pass
        return loss_method(X_batch, y_batch, *args, **kwargs)

    def backward(*args, **kwargs):
        result = backward_method(*args, **kwargs)
        try:
            state["before"], state["grads"] = _params_now(net)
        except BaseException:  # noqa: B902
            pass
        return result
    try:
        net.loss, net.backward = loss, backward
    except BaseException:  # noqa: B902
        pass
    return counts, step_done


OPERATIONS = {
    "relu": op_relu,
    "softmax": op_softmax,
    "softmax_default": op_softmax_default,
    "conv_init": op_conv_init,
    "conv": op_conv,
    "pool": op_pool,
    "train": op_train,
}

_OVERWROTE = ["str"]
_DTYPES = ["str"]   # "out:float32": the dtype of an array the student's code returned
REPLY_SCHEMA = {
    "relu": {"out": "array", "dx": "array?", "overwrote": _OVERWROTE, "probe?": probe_schema("x"), "dtypes": _DTYPES},
    "softmax": {"loss": "array", "dscores": "array?", "overwrote": _OVERWROTE, "probe?": probe_schema("scores")},
    "softmax_default": {"loss": "array", "dscores": "array", "overwrote": _OVERWROTE, "probe": probe_schema("scores")},
    "conv_init": {"W": "array", "b": "array"},
    "conv": {"out": "array", "dx": "array?", "dW": "array?", "db": "array?", "overwrote": _OVERWROTE,
             "probe?": probe_schema("x", "W", "b"), "dtypes": _DTYPES},
    "pool": {"out": "array", "dx": "array?", "overwrote": _OVERWROTE, "probe?": probe_schema("x"), "dtypes": _DTYPES},
    "train": {"losses": "vector?", "losses_error": "str?", "params": ("array",) * 4, "overwrote": _OVERWROTE,
              "watched": ("int",) * 5},
}
