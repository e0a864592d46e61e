"""The child side of grading: runs one student's code and answers the parent's requests.

This file is executed as a script inside the sandbox (``python -I -S runner.py SITE_PACKAGES``); it
imports nothing of the autograder, holds no expected value and computes no score. The parent sends
requests over fd 3 and reads replies on fd 4 (length-prefixed JSON, arrays as base64 float64), so
whatever the student's code prints, patches or forges here can only change the arrays it returns.

Process layout: this process (the "zygote") executes the submission's definitions once, then forks
one process per graded part. Reference code for a part (e.g. the reference ``Sigmoid`` while
``TwoLayerNet`` is graded) is sent to that part's process only, so no process that runs the student's
``Sigmoid`` ever holds the reference ``Sigmoid``.

With ``--serve`` the same file is a worker's template (``serve``, see forkserver.py): it imports
numpy once, and each submission's zygote is a fork of it that isolates itself (``isolate``) before
it reads the submission's code, instead of a fresh interpreter in a fresh sandbox.
"""
import abc
import ast
import base64
import functools
import gc
import itertools
import json
import os
import signal
import struct
import sys
import threading
import traceback
import types
import warnings

if __name__ == "__main__":   # started with -S: the venv's site-packages comes as the first argument
    sys.path.append(sys.argv[1])
import numpy as np  # noqa: E402
import numpy.random  # noqa: E402,F401 -- numpy 2 imports it lazily: once here, not once per part's process

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


# ---------------------------------------------------------------- helpers for an assignment's operations
# An assignment's operations.py (sent with the first request, executed here before the student's
# code) answers its requests with these: ``from autograder.sandbox.runner import call, as_array, ...``
# works in both places, here because this module stands in for ``autograder.sandbox.runner``.
def attribute(obj, dotted):
    for name in dotted.split("."):
        obj = getattr(obj, name)
    return obj


SUBJECT = []   # the object the current request built (its attributes name the traced calls of an error)


def remember(subject):
    """Name the calls traced during this request by ``subject``'s attributes (see ``calls_of``)."""
    SUBJECT[:] = [subject]
    return subject


def load_operations(source):
    """The assignment's operations module, executed from its source (this process imports nothing of
    the grader's): its OPERATIONS answer requests, its TRACED_ATTRIBUTES name traced calls."""
    package = sys.modules.setdefault("autograder", types.ModuleType("autograder"))
    sandbox = sys.modules.setdefault("autograder.sandbox", types.ModuleType("autograder.sandbox"))
    package.sandbox, sandbox.runner = sandbox, sys.modules[__name__]
    sys.modules["autograder.sandbox.runner"] = sys.modules[__name__]
    module = types.ModuleType("assignment_operations")
    exec(compile(source, "operations.py", "exec"), module.__dict__)
    return module


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


def calls_of(subject, attributes):
    """The calls traced in this request as 'fc2.backward', ..., naming each reference piece by the
    attribute of ``subject`` that holds it ('?' for one it does not hold)."""
    names = {}
    for name in attributes:
        piece = getattr(subject, name, None)
        if piece is not None:
            names.setdefault(id(piece), name)
    return [f"{names.get(ident, '?')}.{method}" for ident, method in TRACE[:100]]


# ---------------------------------------------------------------- numerical gradients
# A gradient computed by re-running forward on nudged copies of its input (numerical differentiation)
# shows in a way backpropagation never does: during backward, code that is not numpy's, the standard
# library's or the grader's is called with an array equal to that input but for a small nudge.
NUDGE_MAX = 1e-2        # a nudge moves an entry by at most this times (|entry| + 1) ...
NUDGE_MIN = 1e-12       # ... and by more than this times it (less is rounding: an entry nudged and put back)
NUDGED_ENTRIES = 2      # a per-entry nudge moves at most this many entries
NUDGE_UNIFORM = 1e-2    # a nudge of more entries moves each by one step (or one share of it), to this precision
SCAN_DEPTH = 2          # objects looked into for arrays: a net holding layers holding W
SCAN_ITEMS = 64         # arguments, attributes or items looked at per object
MAX_NUDGES = 100_000    # distinct nudged copies remembered per input
_NOT_SCANNED = (type(None), bool, int, float, complex, str, bytes, type, types.ModuleType, types.BuiltinFunctionType)
_PLAIN_METACLASSES = (type, abc.ABCMeta)   # comparing their classes runs no code of the submission
# code object -> whether it is numpy's, the standard library's or the grader's (the reference pieces a
# part is given are looked at: a submission's differences may run through their forward)
_LIBRARY_CODE = {}
_PROBES = []            # the probes whose backward is running (their tracer installed)
# Bound before any student code runs: a submission that rebinds numpy's names does not change the probe.
_ndarray, _absolute, _errstate = np.ndarray, np.absolute, np.errstate


# This file's name in its code objects: its path, or 'runner.py' where its source came in the command
# line (limits only: the child may not be able to read the kit).
_RUNNER_FILE = globals().get("__file__", "runner.py")


def _library_code(code):
    known = _LIBRARY_CODE.get(code)
    if known is None:
        name = code.co_filename
        known = _LIBRARY_CODE[code] = (name in ("operations.py", _RUNNER_FILE)
                                       or name.startswith("<frozen ") or name.startswith(_library_folders()))
    return known


@functools.lru_cache(maxsize=None)
def _library_folders():
    return tuple(os.path.dirname(module.__file__) + os.sep for module in (np, os))


def _audit(event, args):
    """Audit hook (for good: hooks cannot be removed): student code setting a trace function while a
    backward is probed, even one it puts back, leaves that backward unverified."""
    if event == "sys.settrace" and _PROBES:
        if sys._getframe(1).f_code is threading.Thread._bootstrap_inner.__code__:
            return   # a thread the backward started, taking up the probe's tracer (threading.settrace)
        for probe in _PROBES:
            probe.traced = False


class numerical_probe:
    """``with numerical_probe({"x": x, "W": W}) as probe: layer.backward(dout)``: how often the backward
    evaluated code of the submission (or the reference) on a nudged copy of each original.

    While the block runs, a trace function looks at every call of code that is not numpy's, the
    standard library's or the grader's: at its arguments (and free variables), and one or two levels
    into the objects among them (a layer's W, a net's fc1.W). An array the size of an original that
    equals it but for a small nudge of one or two entries (``entry``: numerical differentiation entry by
    entry), or of more entries by one common step (``whole``: an elementwise layer's differences in one
    evaluation), counts once per distinct nudged copy. ``traced`` is False when the submission replaced
    or removed the trace function meanwhile. The probe never raises into the caller, and costs a
    dictionary look-up per call of numpy's Python code."""

    def __init__(self, originals):
        self.entry = {name: set() for name in originals}
        self.whole = {name: set() for name in originals}
        self.traced = True
        self.events = self.looked = 0     # calls traced, and calls whose arguments were looked at
        self._by_size = {}
        for name, value in originals.items():
            flat = np.array(value, dtype=np.float64).reshape(-1)
            scale = np.abs(flat) + 1.0
            self._by_size.setdefault(flat.size, []).append((name, flat, NUDGE_MIN * scale, NUDGE_MAX * scale))
        self._tracer = self._trace        # one bound method, for sys.gettrace() to be compared with
        self._previous = self._previous_threads = None

    def __enter__(self):
        try:
            _install_audit()
            self._previous, self._previous_threads = sys.gettrace(), threading.gettrace()
            sys.settrace(self._tracer)
            threading.settrace(self._tracer)   # threads the backward starts
            _PROBES.append(self)               # from here on, setting a trace function is the submission's
        except Exception:  # noqa: BLE001 -- e.g. an audit hook of the submission's refusing settrace
            self.traced = False
        return self

    def __exit__(self, *exc):
        try:
            if sys.gettrace() is not self._tracer:
                self.traced = False
        finally:
            if self in _PROBES:
                _PROBES.remove(self)
            try:
                sys.settrace(self._previous)
                threading.settrace(self._previous_threads)
            except Exception:  # noqa: BLE001
                pass
        return False

    def report(self):
        """The counts, as a reply holds them (``probe_schema``)."""
        return {"entry": {name: len(seen) for name, seen in self.entry.items()},
                "whole": {name: len(seen) for name, seen in self.whole.items()}, "traced": self.traced}

    def _trace(self, frame, event, arg):
        self.events += 1
        if not _library_code(frame.f_code):
            self.looked += 1
            try:
                with _errstate(all="ignore"):   # no warning of ours among the request's
                    self._look(frame.f_locals)
            except BaseException:  # noqa: B902 -- whatever an argument does, the traced call goes on
                pass
        return None   # no line events

    def _look(self, namespace):
        pending = [(value, 0) for value in itertools.islice(namespace.values(), SCAN_ITEMS)]
        seen = set()
        while pending:
            value, depth = pending.pop()
            kind = type(value)
            if type(kind) not in _PLAIN_METACLASSES or kind in _NOT_SCANNED or id(value) in seen:
                continue
            seen.add(id(value))
            if issubclass(kind, _ndarray):
                array = value if kind is _ndarray else _ndarray.view(value, _ndarray)
                if array.size in self._by_size and array.dtype.kind == "f":
                    self._compare(array)
                continue
            if depth >= SCAN_DEPTH:
                continue
            if kind is tuple or kind is list:
                items = itertools.islice(value, SCAN_ITEMS)
            elif kind is dict:
                items = itertools.islice(value.values(), SCAN_ITEMS)
            else:
                attributes = _instance_dict(value)
                if attributes is None:
                    continue
                items = itertools.islice(attributes.values(), SCAN_ITEMS)
            pending.extend((item, depth + 1) for item in items)

    def _compare(self, array):
        flat = array.reshape(-1)
        for name, original, floor, ceiling in self._by_size[flat.size]:
            step = _absolute(flat - original)
            moved = (~(step <= floor)).nonzero()[0]      # nan moved too
            if not moved.size or not (step[moved] <= ceiling[moved]).all():
                continue
            if moved.size <= NUDGED_ENTRIES:
                nudges, key = self.entry[name], (moved.tobytes(), flat[moved].tobytes())
            elif _uniform(step[moved]) or _uniform(step[moved] / _absolute(original[moved])):
                nudges, key = self.whole[name], hash(flat.tobytes())
            else:
                continue
            if len(nudges) < MAX_NUDGES:
                nudges.add(key)


_CLASS_DICT = type.__dict__["__dict__"]    # a class's own namespace and bases, whatever its metaclass says
_CLASS_MRO = type.__dict__["__mro__"]
_DICT_SLOTS = {}                            # class -> the descriptor of its instances' __dict__, or None


def _instance_dict(value):
    """``value.__dict__`` read without running any code of the submission (no property, no
    __getattribute__): None when the class does not keep attributes in a plain instance dict."""
    kind = type(value)
    if kind not in _DICT_SLOTS:
        slot = None
        for klass in _CLASS_MRO.__get__(kind):
            namespace = _CLASS_DICT.__get__(klass)
            if "__dict__" in namespace:
                slot = namespace["__dict__"]
                break
        _DICT_SLOTS[kind] = slot if type(slot) is types.GetSetDescriptorType else None
    slot = _DICT_SLOTS[kind]
    if slot is None:
        return None
    attributes = slot.__get__(value, kind)
    return attributes if type(attributes) is dict else None


def _uniform(steps):
    return bool(steps.max() <= steps.min() * (1 + NUDGE_UNIFORM))


_AUDITED = []


def _install_audit():
    if not _AUDITED:
        sys.addaudithook(_audit)
        _AUDITED.append(True)


def probe_schema(*names):
    """The form of ``numerical_probe.report()`` for originals ``names``, for a REPLY_SCHEMA."""
    counts = {name: "int" for name in names}
    return {"entry": counts, "whole": dict(counts), "traced": bool}


def serve_part(requests, replies, namespace, operations, reference_source, inject):
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
        SUBJECT.clear()
        np.random.seed(0)  # the same submission always sees the same global RNG state
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            np.seterr(all="warn")
            try:
                if missing:
                    raise StudentError("missing", ", ".join(missing), detail={"key": "missing", "name": ", ".join(missing)})
                try:
                    reply = {"ok": operations.OPERATIONS[request["op"]](namespace, ref, **request["args"])}
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
                if SUBJECT and TRACE:
                    reply["error"]["calls"] = calls_of(SUBJECT[0], getattr(operations, "TRACED_ATTRIBUTES", ()))
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
    operations = load_operations(request["operations"])
    problems = load(namespace, request["chunks"])
    write_message(replies, {"problems": problems,
                            "defined": sorted(k for k in request.get("entry_points", []) if k in namespace),
                            "missing_imports": missing_imports(request.get("unused_imports", []))})
    gc.freeze()   # what exists now is shared with every part's fork: no collection copies its pages
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
                serve_part(requests, replies, namespace, operations, request.get("reference", ""),
                           request.get("inject", []))
            except BaseException:  # noqa: B902 -- EOF from the parent, or the student broke the pipe
                status = 1
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        write_message(replies, {"part_ended": code})


# ---------------------------------------------------------------- the template (fork server)
# One per worker, in its own bubblewrap sandbox: numpy is imported once here, and each submission is
# a fork of this process that puts itself in new namespaces before any student code runs (see
# autograder/forkserver.py for the parent's side and for what keeps submissions apart).
CONTROL_FD = 5
# A procfs with nothing bound over it, which the template's sandbox has here and which only a fork
# setting itself up sees: the kernel lets a process mount a fresh /proc (one that shows its own PID
# namespace) only where such a procfs is in sight. Each fork covers it once its own /proc is there.
TEMPLATE_PROC = "/grader/proc"
# Files of /proc that count what the whole machine did (processes forked, load, memory, interrupts,
# idle time): one submission could move them for the next to read. Both kinds of sandbox cover them
# with /dev/null, unreadable there (nodev), so a read fails the same way wherever a submission runs.
MASKED_PROC = ("stat", "loadavg", "uptime", "vmstat", "meminfo", "zoneinfo", "buddyinfo", "pagetypeinfo",
               "interrupts", "softirqs", "schedstat", "diskstats", "keys", "key-users", "timer_list",
               "sched_debug", "latency_stats", "kallsyms", "locks", "cgroups", "sys/fs/dentry-state",
               "sys/fs/inode-nr", "sys/fs/inode-state", "sys/fs/file-nr")
MASKED_PROC_FOLDERS = ("pressure",)     # the same, for folders: an empty read-only tmpfs over them
CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
SETUP_FAILED = 70       # exit status of a fork that could not isolate itself (before any student code)


def _libc():
    import ctypes
    return ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        import ctypes
        raise OSError(ctypes.get_errno(), f"{what}: {os.strerror(ctypes.get_errno())}")


def _drop_capabilities(libc):
    """No capabilities left in the submission's own user namespace (it had all of them there)."""
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]
    _check(libc.capset(ctypes.byref(Header(0x20080522, 0)), (Data * 2)()), "capset")


def isolate(tmpfs_bytes):
    """Called in a fresh fork of the template, already in the submission's cgroups: new user, mount,
    PID, network, IPC, UTS and cgroup namespaces; a fresh ``/tmp`` and ``/dev/shm`` of ``tmpfs_bytes``
    each; a ``/proc`` of its own PID namespace with ``/proc/sys`` read-only; no user namespace of its
    own to make; no capabilities. Nothing an earlier fork did can be read here: not its files, its
    sockets, its processes, nor how many PIDs it used. Returns in the process that runs the
    submission (PID 2 of its namespace, under a reaper at PID 1, as bubblewrap lays it out); the
    processes above it exit with its status and never return."""
    libc = _libc()
    uid, gid = os.getuid(), os.getgid()
    _check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
                        | CLONE_NEWCGROUP), "unshare")
    # Forks of the template are not dumpable, and /proc/self of a process that is not is not its own
    # to write. In its own namespaces now, nothing of the template can reach it any more.
    libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)
    for role in ("init", "runner"):
        pid = os.fork()
        if pid:
            _wait_and_exit(pid, reap_all=role == "runner")
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if role == "init":
            _check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
            options = f"size={int(tmpfs_bytes)},mode=0755".encode()
            for target in (b"/tmp", b"/dev/shm"):
                _check(libc.mount(b"tmpfs", target, b"tmpfs", MS_NOSUID | MS_NODEV, options), "mount tmpfs")
            _own_proc(libc)
            _loopback_up()
            # PID 1 of a PID namespace gets from inside only the signals it handles: none, then
            # (Python's own SIGINT handler would let the submission end it as a "failed setup").
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            for cap in range(64):       # the bounding set too, as bubblewrap leaves a fresh sandbox
                libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
            _drop_capabilities(libc)
            os.chdir("/tmp")


def _own_proc(libc):
    """PID 1 of the fork's namespaces: mount its /proc, forbid new user namespaces below this one,
    make /proc/sys read-only, mask MASKED_PROC as bubblewrap does, and cover the template's procfs."""
    _check(libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")
    with open("/proc/sys/user/max_user_namespaces", "w") as f:
        f.write("0")
    _check(libc.mount(b"/proc/sys", b"/proc/sys", None, MS_BIND | MS_REC, None), "bind /proc/sys")
    _check(libc.mount(None, b"/proc/sys", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                      None), "remount /proc/sys read-only")
    for name in MASKED_PROC:
        target = f"/proc/{name}".encode()
        if os.path.exists(target):
            _check(libc.mount(b"/dev/null", target, None, MS_BIND, None), f"mask /proc/{name}")
            _check(libc.mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                              None), f"mask /proc/{name} read-only")
    for name in MASKED_PROC_FOLDERS:
        target = f"/proc/{name}".encode()
        if os.path.isdir(target):
            _check(libc.mount(b"tmpfs", target, b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                              b"size=4096,mode=0555"), f"mask /proc/{name}")
    _check(libc.mount(b"tmpfs", TEMPLATE_PROC.encode(), b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                      b"size=4096,mode=0"), "cover " + TEMPLATE_PROC)


def _loopback_up():
    """Bring up the new network namespace's loopback, as bubblewrap does in a fresh sandbox."""
    import fcntl
    import socket
    IFF_UP, IFF_LOOPBACK, IFF_RUNNING, SIOCSIFFLAGS = 0x1, 0x8, 0x40, 0x8914
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", IFF_UP | IFF_LOOPBACK | IFF_RUNNING))


def _wait_and_exit(pid, reap_all):
    """Wait for ``pid`` (reaping every orphan meanwhile when this is the namespace's PID 1), then
    exit with its status. PID 1 exiting ends every process left in the namespace, as bubblewrap's
    does: a daemon the submission left cannot keep its pipes open once its runner is gone."""
    status = 1
    while True:
        try:
            done, raw = os.waitpid(-1 if reap_all else pid, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if done == pid:
            status = os.waitstatus_to_exitcode(raw)
            break
    os._exit(status if status >= 0 else 128 - status)


def _reap(*_):
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _probe_isolation(tmpfs_bytes):
    """Whether a fork can isolate itself here (nested user namespaces may be disabled)."""
    pid = os.fork()
    if pid == 0:
        try:
            isolate(tmpfs_bytes)
            os._exit(0)
        except BaseException:  # noqa: B902
            os._exit(SETUP_FAILED)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def serve():
    """The template: announce itself, then fork one process per order received on CONTROL_FD. An
    order is ``{"tmpfs_bytes", "rlimits": [[resource, value], ...]}`` with three file descriptors:
    output, requests, replies. The fork runs ``main`` isolated; the template replies its PID."""
    import fcntl
    import resource
    import select
    import socket
    libc = _libc()
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)   # no process of a submission may read or trace it
    gc.freeze()   # numpy and the runner, shared with every fork: no collection there copies their pages
    control = socket.socket(fileno=CONTROL_FD)
    first = json.loads(control.recv(4096) or b"{}")
    control.send(json.dumps({"ready": _probe_isolation(first.get("tmpfs_bytes", 1 << 20))}).encode())
    # Only now: a handler that reaps any child would race the probe's own waitpid (and, inherited,
    # the waits inside isolate()); forks set it back to the default first thing.
    signal.signal(signal.SIGCHLD, _reap)
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 16, 3)
        except OSError:
            return
        if not data:
            return
        order = json.loads(data)
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            control.send(b'{"pid": 0}')
            continue
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                control.close()
                libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
                os.setsid()
                # Above every target first: a received descriptor may itself be 3 or 4.
                output, request_fd, reply_fd = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds)
                for source, target in ((output, 1), (output, 2), (request_fd, REQUEST_FD), (reply_fd, REPLY_FD)):
                    os.dup2(source, target)
                os.closerange(CONTROL_FD, os.sysconf("SC_OPEN_MAX"))
                for name, value in order["rlimits"]:
                    resource.setrlimit(getattr(resource, name), (value, value))
                signal.signal(signal.SIGPIPE, signal.SIG_DFL)
                # The parent moves this process into the submission's cgroups, then sends the first
                # request: nothing is started, and no student code runs, before that.
                select.select([REQUEST_FD], [], [])
                isolate(order["tmpfs_bytes"])
            except BaseException as exc:  # noqa: B902 -- never run a submission half isolated
                try:   # the parent then grades it in a sandbox of its own
                    data = json.dumps({"setup_failed": f"{type(exc).__name__}: {exc}"[:200]}).encode()
                    os.write(REPLY_FD, struct.pack(">I", len(data)) + data)
                finally:
                    os._exit(SETUP_FAILED)
            status = 0
            try:
                main()
            except SystemExit as exc:
                status = exc.code if type(exc.code) is int else 1
            except BaseException:  # noqa: B902 -- as an interpreter would: say why, exit 1
                traceback.print_exc()
                status = 1
            finally:
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except Exception:  # noqa: BLE001
                        pass
                os._exit(status)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":
    if sys.argv[2:3] == ["--serve"]:
        serve()
    else:
        main()
