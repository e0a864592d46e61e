"""What an assignment's operations.py imports: ``from autograder.sandbox.inside.api import call, ...``.

The operations run in the child, where these helpers call the student's code and turn whatever it
does into a float64 array or a ``StudentError``; the grader imports the same module for the reply
forms (``probe_schema``).
"""
import traceback
from typing import Any, Callable, Iterable, Optional

import numpy as np

from .kinds import Failure
from .probe import numerical_probe, probe_schema

__all__ = ["Failure", "StudentError", "as_array", "attribute", "call", "calls_of", "dtype_name",
           "numerical_probe", "overwritten", "probe_schema", "remember", "safe_message", "type_name"]


class StudentError(Exception):
    """The student's code raised, or returned something that is not a float64 array.

    ``detail`` says what was measured in words the parent renders in the student's language:
    ``{"key": "param-shape", "name": "fc1.W", "got": [3, 8], "expected": [3, 5]}``; ``message`` is the
    same in English, for logs."""

    def __init__(self, kind: Failure, message: str, where: str = "", detail: Optional[dict] = None,
                 call: str = "") -> None:
        super().__init__(message)
        self.kind, self.message, self.where, self.detail = kind, message, where, detail
        self.call = call   # the call into student code that failed ('Conv2D.forward'), when one did


def type_name(value: Any) -> str:
    """The name of ``value``'s type, bounded; '?' when even that raises."""
    try:
        return str(type(value).__name__)[:80]
    except BaseException:  # noqa: B902
        return "?"


def safe_message(exc: BaseException) -> str:
    """'Type: message', bounded: a student's exception may have a huge, raising or endless __str__."""
    try:
        text = str(exc.args[0]) if exc.args and isinstance(exc.args[0], str) else ""
    except BaseException:  # noqa: B902
        text = ""
    return f"{type_name(exc)}: {text[:300]}"


def student_frames(tb: Any) -> list:
    """'cell 20, line 31, in forward' for the frames in the student's own code, innermost last."""
    frames = []
    for frame in traceback.extract_tb(tb):
        if frame.filename.startswith("<") and frame.filename != "<reference>":
            frames.append(f"{frame.filename.strip('<>')}, line {frame.lineno}, in {frame.name[:80]}")
    return frames


def call(what: str, function: Callable, *args: Any) -> Any:
    """Call student code; turn whatever it raises (SystemExit included) into a StudentError."""
    try:
        return function(*args)
    except BaseException as exc:  # noqa: B902 -- a student's sys.exit() must lose one test, not the process
        frames = student_frames(exc.__traceback__)
        raise StudentError(Failure.RAISED, safe_message(exc), frames[-1] if frames else what, call=what) from None


def as_array(what: str, value: Any, allow_none: bool = False) -> Optional[np.ndarray]:
    """``value`` copied into a plain float64 ndarray (None only where ``allow_none``)."""
    if value is None and allow_none:
        return None
    if value is None:
        raise StudentError(Failure.RETURNED_NONE, f"{what} returned None",
                           detail={"key": "returned-none", "what": what})
    try:
        array = np.array(value, dtype=np.float64)  # a copy: subclasses and views lose their tricks here
    except BaseException as exc:  # noqa: B902
        raise StudentError(Failure.NOT_ARRAY, f"{what} returned {type_name(value)}, not numbers ({safe_message(exc)})",
                           detail={"key": "not-array", "what": what, "type": type_name(value),
                                   "error": safe_message(exc)}) from None
    return np.asarray(array, dtype=np.float64).view(np.ndarray)


def dtype_name(value: Any) -> str:
    """The dtype of the array the student's code returned ('' for anything else): arrays reach the
    grader as float64, so a check that wants to name float32 arithmetic asks for this."""
    try:
        return str(value.dtype.name)[:40] if isinstance(value, np.ndarray) else ""
    except BaseException:  # noqa: B902
        return ""


def overwritten(originals: dict, passed: dict) -> list:
    """Names of the caller's arrays that the student's code changed in place."""
    return [name for name, original in originals.items()
            if not np.array_equal(passed[name], original, equal_nan=True)]


def attribute(obj: Any, dotted: str) -> Any:
    """``obj.a.b`` for ``dotted`` 'a.b'."""
    for name in dotted.split("."):
        obj = getattr(obj, name)
    return obj


# ---------------------------------------------------------------- calls into the reference pieces
# Calls the student's code made into the reference pieces during one request, as (id(layer), method):
# which layer's backward ran first is measured, not guessed from an error message.
TRACE: list = []
SUBJECT: list = []   # the object the current request built (its attributes name the traced calls)
MAX_TRACED = 1000


def remember(subject: Any) -> Any:
    """Name the calls traced during this request by ``subject``'s attributes (see ``calls_of``)."""
    SUBJECT[:] = [subject]
    return subject


def trace_methods(cls: type, methods: tuple = ("forward", "backward")) -> None:
    """Record each call of ``cls``'s ``methods`` (a reference piece's) in TRACE."""
    for method in methods:
        if hasattr(cls, method):
            _traced(cls, method)


def _traced(cls: type, method: str) -> None:
    original = getattr(cls, method)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if len(TRACE) < MAX_TRACED:
            TRACE.append((id(self), method))
        return original(self, *args, **kwargs)
    setattr(cls, method, wrapper)


def calls_of(subject: Any, attributes: Iterable[str]) -> list:
    """The calls traced in this request as 'fc2.backward', ..., naming each reference piece by the
    attribute of ``subject`` that holds it ('?' for one it does not hold)."""
    names: dict = {}
    for name in attributes:
        piece = getattr(subject, name, None)
        if piece is not None:
            names.setdefault(id(piece), name)
    return [f"{names.get(ident, '?')}.{method}" for ident, method in TRACE[:100]]
