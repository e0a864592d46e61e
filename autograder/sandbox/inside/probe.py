"""``numerical_probe``: whether a backward computed its gradient by numerical differentiation.

A gradient computed by re-running forward on nudged copies of its input shows in a way
backpropagation never does: during backward, code that is not numpy's, the standard library's or the
grader's is called with an array equal to that input but for a small nudge.
"""
import abc
import functools
import itertools
import os
import sys
import threading
import types
from typing import Any, Literal

import numpy as np

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
_LIBRARY_CODE: dict = {}
_PROBES: list = []            # the probes whose backward is running (their tracer installed)
# Bound before any student code runs: a submission that rebinds numpy's names does not change the probe.
_ndarray, _absolute, _errstate = np.ndarray, np.absolute, np.errstate


def _library_code(code: types.CodeType) -> bool:
    known = _LIBRARY_CODE.get(code)
    if known is None:
        name = code.co_filename
        known = _LIBRARY_CODE[code] = (name == "operations.py" or name.startswith("<frozen ")
                                       or name.startswith(_library_folders()))
    return known


@functools.lru_cache(maxsize=None)
def _library_folders() -> tuple:
    """numpy's, the standard library's and the grader's child side (this folder: its files, or the
    names they are compiled under where their sources came in the command line)."""
    return tuple(os.path.dirname(path) + os.sep for path in (np.__file__, os.__file__, __file__))


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

    def __init__(self, originals: dict) -> None:
        self.entry: dict = {name: set() for name in originals}
        self.whole: dict = {name: set() for name in originals}
        self.traced = True
        self.events = self.looked = 0     # calls traced, and calls whose arguments were looked at
        self._by_size: dict = {}   # size -> [(name, original, least nudge, largest nudge)]
        for name, value in originals.items():
            flat = np.array(value, dtype=np.float64).reshape(-1)
            scale = np.abs(flat) + 1.0
            self._by_size.setdefault(flat.size, []).append((name, flat, NUDGE_MIN * scale, NUDGE_MAX * scale))
        self._tracer = self._trace        # one bound method, for sys.gettrace() to be compared with
        self._previous: Any = None
        self._previous_threads: Any = None

    def __enter__(self) -> "numerical_probe":
        try:
            _install_audit()
            self._previous, self._previous_threads = sys.gettrace(), threading.gettrace()
            sys.settrace(self._tracer)
            threading.settrace(self._tracer)   # threads the backward starts
            _PROBES.append(self)               # from here on, setting a trace function is the submission's
        except Exception:  # noqa: BLE001 -- e.g. an audit hook of the submission's refusing settrace
            self.traced = False
        return self

    def __exit__(self, *exc: Any) -> Literal[False]:
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

    def report(self) -> dict:
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


# A class's own namespace and bases, whatever its metaclass says (type's own descriptors).
_CLASS_DICT: Any = type.__dict__["__dict__"]  # type: ignore[index]
_CLASS_MRO: Any = type.__dict__["__mro__"]  # type: ignore[index]
_DICT_SLOTS: dict = {}      # class -> the descriptor of its instances' __dict__, or None


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


_AUDITED: list = []


def _install_audit():
    if not _AUDITED:
        sys.addaudithook(_audit)
        _AUDITED.append(True)


def probe_schema(*names: str) -> dict:
    """The form of ``numerical_probe.report()`` for originals ``names``, for a REPLY_SCHEMA."""
    counts = {name: "int" for name in names}
    return {"entry": counts, "whole": dict(counts), "traced": bool}

