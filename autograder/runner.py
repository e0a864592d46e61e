"""The child side of grading: runs one student's code and answers the parent's requests.

This file is executed as a script inside the sandbox (``python -I -S runner.py SITE_PACKAGES``); it
imports nothing of the autograder, holds no expected value and computes no score. The parent sends
requests over fd 3 and reads replies on fd 4 (length-prefixed JSON, arrays as base64 float64), so
whatever the student's code prints, patches or forges here can only change the arrays it returns.

Process layout: this process (the "zygote") executes the submission's definitions once, then forks
one process per graded part. Reference code for a part (e.g. the reference ``Sigmoid`` while
``TwoLayerNet`` is graded) is sent to that part's process only, so no process that runs the student's
``Sigmoid`` ever holds the reference ``Sigmoid``.
"""
import ast
import base64
import itertools
import json
import os
import signal
import struct
import sys
import traceback
import types
import warnings

if __name__ == "__main__":   # started with -S: the venv's site-packages comes as the first argument
    sys.path.append(sys.argv[1])
import numpy as np  # noqa: E402

REQUEST_FD, REPLY_FD = 3, 4
MAX_MESSAGE = 64 * 1024 * 1024     # a request (the submission's code: the loader caps files well below)
MAX_REPLY = 4 * 1024 * 1024        # a reply: the largest honest one (a long list of losses) is ~1 MB
MAX_WARNINGS = 20


# ---------------------------------------------------------------- wire format
def encode(value):
    if isinstance(value, np.ndarray):
        return {"__ndarray__": list(value.shape),
                "data": base64.b64encode(np.ascontiguousarray(value, dtype="<f8").tobytes()).decode("ascii")}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def decode(value):
    if isinstance(value, dict):
        if "__ndarray__" in value:
            return np.frombuffer(base64.b64decode(value["data"]), dtype="<f8").reshape(value["__ndarray__"]).copy()
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _blocking(stream):
    """O_NONBLOCK belongs to the pipe's open file description, shared by the zygote and every part
    process: student code that set it (fd_drain_echo.py) would make later reads fail at random."""
    try:
        os.set_blocking(stream.fileno(), True)
    except (OSError, ValueError):
        pass


def read_message(stream):
    _blocking(stream)
    header = stream.read(4)
    if len(header) < 4:
        raise EOFError
    (size,) = struct.unpack(">I", header)
    if size > MAX_MESSAGE:
        raise ValueError("message too large")
    return decode(json.loads(stream.read(size)))


def write_message(stream, message):
    data = json.dumps(encode(message)).encode("utf-8")
    _blocking(stream)
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


# ---------------------------------------------------------------- student errors
class StudentError(Exception):
    """The student's code raised, or returned something that is not a float64 array.

    ``detail`` says what was measured in words the parent renders in the student's language:
    ``{"key": "param-shape", "name": "fc1.W", "got": [3, 8], "expected": [3, 5]}``; ``message`` is the
    same in English, for logs."""

    def __init__(self, kind, message, where="", detail=None):
        super().__init__(message)
        self.kind, self.message, self.where, self.detail = kind, message, where, detail


def student_frames(tb):
    """'cell 20, line 31, in forward' for the frames in the student's own code, innermost last."""
    frames = []
    for frame in traceback.extract_tb(tb):
        if frame.filename.startswith("<") and frame.filename != "<reference>":
            frames.append(f"{frame.filename.strip('<>')}, line {frame.lineno}, in {frame.name[:80]}")
    return frames


def call(what, function, *args):
    """Call student code; turn whatever it raises (SystemExit included) into a StudentError."""
    try:
        return function(*args)
    except BaseException as exc:  # noqa: B902 -- a student's sys.exit() must lose one test, not the process
        frames = student_frames(exc.__traceback__)
        raise StudentError("raised", safe_message(exc), frames[-1] if frames else what) from None


def type_name(value):
    try:
        return str(type(value).__name__)[:80]
    except BaseException:  # noqa: B902
        return "?"


def as_array(what, value, allow_none=False):
    if value is None and allow_none:
        return None
    if value is None:
        raise StudentError("returned-none", f"{what} returned None", detail={"key": "returned-none", "what": what})
    try:
        array = np.array(value, dtype=np.float64)  # a copy: subclasses and views lose their tricks here
    except BaseException as exc:  # noqa: B902
        raise StudentError("not-array", f"{what} returned {type_name(value)}, not numbers ({safe_message(exc)})",
                           detail={"key": "not-array", "what": what, "type": type_name(value),
                                   "error": safe_message(exc)}) from None
    return np.asarray(array, dtype=np.float64).view(np.ndarray)


def overwritten(originals, passed):
    """Names of the caller's arrays that the student's code changed in place."""
    return [name for name, original in originals.items()
            if not np.array_equal(passed[name], original, equal_nan=True)]


# ---------------------------------------------------------------- loading
def bound_names(node):
    """Module-level names a top-level statement binds (to say why a later NameError happened)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    names = []
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
            names.append(child.id)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            names += [a.asname or a.name.split(".")[0] for a in child.names if a.name != "*"]
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(child.name)
    return sorted(set(names))[:20]


def load(namespace, chunks):
    """Execute the definitions statement by statement: a failing import or a broken cell costs only
    what it defines, not the definitions after it."""
    problems = []
    for chunk in chunks:
        filename = f"<{chunk['origin']}>"
        try:
            tree = ast.parse(chunk["source"], filename)
        except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
            problems.append({"origin": chunk["origin"], "kind": "SyntaxError", "line": getattr(exc, "lineno", None),
                             "message": f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}", "binds": []})
            continue
        for node in tree.body:
            try:
                exec(compile(ast.Module(body=[node], type_ignores=[]), filename, "exec", dont_inherit=True), namespace)
            except BaseException as exc:  # noqa: B902 -- exit() or anything else at definition time
                problems.append({"origin": chunk["origin"], "kind": type_name(exc), "line": node.lineno,
                                 "message": safe_message(exc), "binds": bound_names(node)})
    return problems


def missing_imports(unused):
    """Imports the grader does not run (nothing graded reads them) whose module is not installed here:
    ``importlib.util.find_spec`` of the top-level package executes nothing of it."""
    import importlib.util
    missing = []
    for entry in unused[:50]:
        for module in entry.get("modules", [])[:10]:
            top = str(module).split(".")[0]
            try:
                found = importlib.util.find_spec(top) is not None
            except BaseException:  # noqa: B902 -- a bad name is as good as a missing module
                found = False
            if not found:
                missing.append({"origin": entry["origin"], "line": entry["line"], "module": str(module)[:100]})
    return missing


def safe_message(exc):
    """'Type: message', bounded: a student's exception may have a huge, raising or endless __str__."""
    try:
        text = str(exc.args[0]) if exc.args and isinstance(exc.args[0], str) else ""
    except BaseException:  # noqa: B902
        text = ""
    return f"{type_name(exc)}: {text[:300]}"


# ---------------------------------------------------------------- the requests a part process answers
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
    dx = as_array("Sigmoid.backward", call("Sigmoid.backward", layer.backward, passed["dout"]))
    changed += [f"Sigmoid.backward:{n}" for n in overwritten({"x": x, "dout": dout}, passed)
                if f"Sigmoid.forward:{n}" not in changed]
    return {"out": out, "dx": dx, "overwrote": changed}


LAYER_ATTRIBUTES = ("fc1", "sigmoid", "fc2")
PARAM_NAMES = ("fc1.W", "fc1.b", "fc2.W", "fc2.b")
GRAD_NAMES = ("fc1.dW", "fc1.db", "fc2.dW", "fc2.db")


def attribute(obj, dotted):
    for name in dotted.split("."):
        obj = getattr(obj, name)
    return obj


NETS = []   # the network the current request built (its layers name the traced calls of an error)


def build_net(ns, dims):
    net = call("TwoLayerNet(...)", ns["TwoLayerNet"], *[int(d) for d in dims])
    NETS[:] = [net]
    return net


def set_params(net, params):
    """Write the parent's parameters into the network's own arrays (shapes must already agree)."""
    for name, value in zip(PARAM_NAMES, params):
        try:
            target = attribute(net, name)
        except BaseException:  # noqa: B902 -- AttributeError, or a property that raises
            raise StudentError("structure", f"the network has no {name}",
                               detail={"key": "no-attribute", "name": name}) from None
        if not isinstance(target, np.ndarray) or target.shape != value.shape:
            shape = list(target.shape) if isinstance(target, np.ndarray) else None
            raise StudentError("structure", f"{name} has shape {shape or type_name(target)}, expected {list(value.shape)}",
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
            "calls": layer_calls(net)}


def op_net_forward_backward(ns, ref, dims, params, X, dout):
    net = build_net(ns, dims)
    set_params(net, params)
    passed = {"X": X.copy(), "dout": dout.copy()}
    out = as_array("TwoLayerNet.forward", call("TwoLayerNet.forward", net.forward, passed["X"]))
    changed = [f"TwoLayerNet.forward:{n}" for n in overwritten({"X": X}, passed)]
    dX = as_array("TwoLayerNet.backward", call("TwoLayerNet.backward", net.backward, passed["dout"]), allow_none=True)
    changed += [f"TwoLayerNet.backward:{n}" for n in overwritten({"X": X, "dout": dout}, passed)
                if f"TwoLayerNet.forward:{n}" not in changed]
    return {"out": out, "dX": dX, "grads": _grads_of(net), "overwrote": changed, "calls": layer_calls(net)}


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
                raise StudentError("structure", f"the network has no {layer_name}",
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
        raise StudentError("not-array", "get_params_and_grads must return a list of (param, grad) pairs",
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
            raise StudentError("structure", f"after train_xor the network has no {name}",
                               detail={"key": "no-attribute", "name": name}) from None
        if value.shape != given.shape:
            raise StudentError("structure", f"train_xor changed the shape of {name}",
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
# The parent checks every reply against these before a check reads it: the child runs student code,
# so a reply may be forged, and a malformed one must fail that request, never the grader.
# "array": a float64 ndarray; "vector": a 1-D one; "?" after a schema or a key: may be None / absent.
_PAIRS = ("array",) * 4
_OVERWROTE = ["str"]
REPLY_SCHEMA = {
    "sigmoid_forward": {"out": "array", "overwrote": _OVERWROTE},
    "sigmoid_backward": {"out": "array", "dx": "array", "overwrote": _OVERWROTE},
    "net_structure": {"layers": {name: str for name in LAYER_ATTRIBUTES},
                      "shapes": {name: "shape?" for name in PARAM_NAMES}},
    "net_forward": {"out": "array", "overwrote": _OVERWROTE, "calls": ["str"]},
    "net_forward_backward": {"out": "array", "dX": "array?", "grads": ("array?",) * 4, "overwrote": _OVERWROTE,
                             "calls": ["str"]},
    "net_params_and_grads": {"identities": [["str"]], "after": _PAIRS, "out2": "array?", "grads": ("array?",) * 4},
    "train": {"losses": "vector?", "losses_error": "str?", "params": _PAIRS, "backward_ran": bool,
              "overwrote": _OVERWROTE},
}
DETAIL_SCHEMA = {"key": "str", "what?": "str?", "name?": "str?", "type?": "str?", "error?": "str?",
                 "got?": "shape?", "expected?": "shape?"}
ERROR_SCHEMA = {"kind": "str", "message": "str", "where?": "str?", "detail?": DETAIL_SCHEMA, "calls?": ["str"]}
LOADED_SCHEMA = {"problems": [{"origin": "str", "kind": "str", "line": "int?", "message": "str", "binds": ["str"]}],
                 "defined": ["str"],
                 "missing_imports": [{"origin": "str", "line": "int", "module": "str"}]}


def conforms(value, schema, depth=0):
    """Does ``value`` (a decoded reply) have the form ``schema`` describes?"""
    if depth > 8:
        return False
    if isinstance(schema, str) and schema.endswith("?"):
        return value is None or conforms(value, schema[:-1], depth)
    if schema in ("array", "vector"):
        return (type(value) is np.ndarray and value.dtype == np.float64
                and (value.ndim == 1 if schema == "vector" else True))
    if schema == "shape":
        return type(value) is list and len(value) <= 64 and all(type(n) is int and 0 <= n < 10**9 for n in value)
    if schema in ("str", "int"):
        return type(value) is {"str": str, "int": int}[schema]
    if isinstance(schema, type):
        return type(value) is schema
    if isinstance(schema, dict):
        if type(value) is not dict:
            return False
        keys = {key.rstrip("?"): key.endswith("?") for key in schema}
        if set(value) - set(keys) or any(not optional and key not in value for key, optional in keys.items()):
            return False
        return all(conforms(value[key.rstrip("?")], sub, depth + 1) for key, sub in schema.items()
                   if key.rstrip("?") in value)
    if isinstance(schema, tuple):
        return (type(value) is list and len(value) == len(schema)
                and all(conforms(v, s, depth + 1) for v, s in zip(value, schema)))
    if isinstance(schema, list):
        return type(value) is list and len(value) <= 10_000 and all(conforms(v, schema[0], depth + 1) for v in value)
    return False


# Calls the student's code made into the reference pieces during one request, as (id(layer), method):
# which layer's backward ran first is measured, not guessed from an error message.
TRACE = []


def _traced(cls, method):
    original = getattr(cls, method)

    def wrapper(self, *args, **kwargs):
        if len(TRACE) < 1000:
            TRACE.append((id(self), method))
        return original(self, *args, **kwargs)
    setattr(cls, method, wrapper)


def layer_calls(net):
    """The traced calls of one request as 'fc2.backward', ..., naming the layers by the net's attributes."""
    names = {}
    for name in LAYER_ATTRIBUTES:
        layer = getattr(net, name, None)
        if layer is not None:
            names.setdefault(id(layer), name)
    return [f"{names.get(ident, '?')}.{method}" for ident, method in TRACE[:100]]


def serve_part(requests, replies, namespace, reference_source, inject):
    """Body of a part process: add the reference pieces this part needs, then answer requests."""
    ref = {"__name__": "reference", "np": np}
    if reference_source:
        exec(compile(reference_source, "<reference>", "exec"), ref)
    for name in inject:
        namespace[name] = ref[name]
        if isinstance(ref[name], type):
            for method in ("forward", "backward"):
                if hasattr(ref[name], method):
                    _traced(ref[name], method)
    write_message(replies, {"ready": True})
    while True:
        request = read_message(requests)
        if request.get("op") == "end":
            return
        missing = [name for name in request.get("needs", []) if name not in namespace]
        TRACE.clear()
        NETS.clear()
        np.random.seed(0)  # the same submission always sees the same global RNG state
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            np.seterr(all="warn")
            try:
                if missing:
                    raise StudentError("missing", ", ".join(missing), detail={"key": "missing", "name": ", ".join(missing)})
                try:
                    reply = {"ok": OPERATIONS[request["op"]](namespace, ref, **request["args"])}
                except (StudentError, KeyboardInterrupt, SystemExit):
                    raise
                except Exception as exc:  # noqa: BLE001 -- e.g. a method the student's class lacks
                    # Raised outside call(): looking up layer.forward on a class that misspelt it, or
                    # numpy refusing what the student's code returned. The student's doing, said as such.
                    frames = student_frames(exc.__traceback__)
                    raise StudentError("raised", safe_message(exc), frames[-1] if frames else "") from None
            except StudentError as exc:
                reply = {"error": {"kind": exc.kind, "message": exc.message, "where": exc.where}}
                if exc.detail is not None:
                    reply["error"]["detail"] = exc.detail
                if NETS and TRACE:
                    reply["error"]["calls"] = layer_calls(NETS[0])
        reply["warnings"] = sorted({f"{w.category.__name__}: {w.message}"[:200] for w in caught[:1000]})[:MAX_WARNINGS]
        for stream in (sys.stdout, sys.stderr):   # what the student printed belongs to this request
            try:
                stream.flush()
            except BaseException:  # noqa: B902
                pass
        write_message(replies, reply)


def main():
    # Keep the protocol fds away from anything the student might close or write to by number.
    requests = os.fdopen(os.dup2(REQUEST_FD, 63), "rb")
    replies = os.fdopen(os.dup2(REPLY_FD, 62), "wb")
    os.close(REQUEST_FD)
    os.close(REPLY_FD)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the output cap, writes fail instead of killing us
    namespace = {"__name__": "submission", "__builtins__": __builtins__}
    sys.modules["submission"] = types.ModuleType("submission")
    sys.modules["submission"].__dict__.update(namespace)
    namespace = sys.modules["submission"].__dict__

    request = read_message(requests)
    problems = load(namespace, request["chunks"])
    write_message(replies, {"problems": problems,
                            "defined": sorted(k for k in request.get("entry_points", []) if k in namespace),
                            "missing_imports": missing_imports(request.get("unused_imports", []))})
    while True:
        try:
            request = read_message(requests)
        except EOFError:
            return
        if request.get("op") != "part":
            return
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as exc:   # the submission's own processes took the sandbox's process limit
            write_message(replies, {"part_failed": f"fork: {exc.strerror or exc}"[:200]})
            continue
        if pid == 0:
            status = 0
            try:
                serve_part(requests, replies, namespace, request.get("reference", ""), request.get("inject", []))
            except BaseException:  # noqa: B902 -- EOF from the parent, or the student broke the pipe
                status = 1
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        write_message(replies, {"part_ended": code})


if __name__ == "__main__":
    main()
