"""Hints from models of typical mistakes, given only on evidence.

A model of a mistake (what a typical wrong forward or backward returns on a test input) is evidence
about the student's code only on the inputs where it **differs** from the right answer: where the
model and the reference coincide (a sum and a mean when N = 1, an "assigned instead of added" dx
where no windows overlap, an output-size formula that happens to give the right size), returning
that value says nothing about the mistake. ``Models`` applies that rule for every check of every
assignment: a hint is given when, on some case, the returned values are the model's, the model is
not the reference's, and the values are closer to the model than to the reference -- unless another
wrong case contradicts it (there the model differs from the right answer and the values are neither).
When no hint is left, the test says what was observed (which array, how many entries differ and the
first of them, its dtype when that is not float64) and gives no hint.

    evidence = Models(check, "Conv2D.forward", same=reference.same)
    for k in cases:
        ...
        if error > tol:
            evidence.case(got, want, reference.conv_forward_mistakes(...), case=label(k), dtype=dtype)
    evidence.done()     # gives the hints, or says what was observed
"""
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from autograder.checks.numerics import matches

Same = Callable[[Any, Any], bool]
# One model, or several (the forms one mistake takes), by hint id; None: no model on this input.
ModelSet = Mapping[str, Any]


def _candidates(model: Any) -> list:
    return [m for m in (model if isinstance(model, list) else [model]) if m is not None]


def _distance(a: Any, b: Any) -> float:
    """Largest relative error, where equal entries (the same inf, nan beside nan) count as 0."""
    try:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return float("inf")
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    with np.errstate(all="ignore"):
        equal = (a == b) | (np.isnan(a) & np.isnan(b))
        error = np.where(equal, 0.0, np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8))
    return float(np.max(np.where(np.isnan(error), np.inf, error)))


def verdict(got: Any, want: Any, model: Any, same: Same) -> str:
    """What a wrong ``got`` says of ``model`` (one model or a list of its forms) on this input: "explains"
    (``got`` is the value of a form that differs from the right answer ``want``, and is nearer it than
    the right answer), "coincides" (every form equals the right answer here: no evidence either way) or
    "contradicts"."""
    differing = [c for c in _candidates(model) if not same(c, want)]
    if not differing:
        return "coincides"
    if any(same(got, c) and _distance(got, c) < _distance(got, want) for c in differing):
        return "explains"
    return "contradicts"


def explains(got: Any, want: Any, model: Any, same: Same) -> bool:
    """Is ``got`` evidence of ``model`` on this input (see ``verdict``)?"""
    return verdict(got, want, model, same) == "explains"


def shape_explains(got: tuple, want: tuple, shapes: Iterable[tuple]) -> bool:
    """Is the shape ``got`` one a mistake gives, on an input where that mistake's shape is not ``want``?"""
    return tuple(got) != tuple(want) and any(tuple(s) == tuple(got) for s in shapes if tuple(s) != tuple(want))


def dtype_of(reply_value: Mapping, name: str) -> str:
    """The dtype the student's code returned for ``name``, as reported by the child ('' when unknown).
    Operations report it as ``"dtypes": ["out:float32", ...]`` (arrays reach the grader as float64)."""
    for entry in reply_value.get("dtypes") or []:
        key, _, dtype = entry.partition(":")
        if key == name:
            return dtype
    return ""


class Models:
    """The evidence one test gathers, over its cases, for the hints of its mistake models.

    A hint is given (by ``done``) when its model explained some wrong case and no other wrong case
    contradicts it: on an input where the model differs from the right answer, the returned values
    (or shape) were wrong and not the model's either. Cases where the code is right say nothing against
    a mistake that shows only in some code paths."""

    def __init__(self, check, what: str, same: Same | None = None, tol: float = 1e-7):
        self.check, self.what = check, what
        self.same: Same = same or (lambda a, b: matches(a, b, tol))
        self.tol = tol
        self.hints: list[str] = []           # given
        self.support: list[str] = []         # explained some case
        self.against: set[str] = set()       # contradicted by some wrong case
        self.observations: list[dict] = []
        self.dtypes: list[str] = []

    def _weigh(self, verdicts: dict) -> list[str]:
        found = [hint_id for hint_id, verdict in verdicts.items() if verdict == "explains"]
        for hint_id, verdict in verdicts.items():
            if verdict == "explains" and hint_id not in self.support:
                self.support.append(hint_id)
            elif verdict == "contradicts":
                self.against.add(hint_id)
        return found

    def case(self, got: Any, want: Any, models: ModelSet, case: str = "", dtype: str = "") -> list[str]:
        """A case whose values ``got`` are wrong (``want`` is right): weigh every model on it, and remember
        what was observed when none explains it. Returns the hints whose models explain this case."""
        if dtype and dtype != "float64" and dtype not in self.dtypes:
            self.dtypes.append(dtype)
        found = self._weigh({hint_id: verdict(got, want, model, self.same) for hint_id, model in models.items()})
        self.observe(got, want, case, dtype)   # said by done() if no hint is given in the end
        return found

    def shape(self, got: tuple, want: tuple, models: Mapping[str, Iterable[tuple]]) -> list[str]:
        """A case whose returned shape ``got`` is wrong: weigh the mistakes that give other shapes here."""
        verdicts = {}
        for hint_id, shapes in models.items():
            shapes = [tuple(s) for s in shapes if tuple(s) != tuple(want)]
            verdicts[hint_id] = ("explains" if tuple(got) in shapes else "contradicts") if shapes else "coincides"
        return self._weigh(verdicts)

    def give(self, hint_id: str) -> None:
        """A hint whose evidence the check measured itself (not a model of values)."""
        if hint_id not in self.hints:
            self.hints.append(hint_id)
        self.check.hint(hint_id)

    def observe(self, got: Any, want: Any, case: str = "", dtype: str = "") -> None:
        """Remember what a wrong case showed: how many entries differ, the first of them."""
        try:
            a, b = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
        except (TypeError, ValueError):
            return
        if a.shape != b.shape:
            return
        with np.errstate(all="ignore"):
            error = np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8)
        wrong = ~(error <= self.tol)
        if not np.any(wrong):
            return
        first = np.unravel_index(int(np.argmax(wrong)), a.shape) if a.ndim else ()
        self.observations.append({
            "case": case, "count": int(np.count_nonzero(wrong)), "size": int(a.size),
            "index": "[" + ", ".join(str(int(i)) for i in first) + "]" if a.ndim else "",
            "got": float(a[first]) if a.ndim else float(a), "expected": float(b[first]) if a.ndim else float(b)})

    def done(self) -> None:
        """After the cases: the hints whose models explained a wrong case and no wrong case contradicted,
        the dtype when it is not float64, and when no hint is given, what the first wrong case showed."""
        for hint_id in self.support:
            if hint_id not in self.against:
                self.give(hint_id)
        if self.dtypes:
            self.check.say("observed-dtype", what=self.what, dtype=", ".join(self.dtypes))
        if self.hints or not self.observations:
            return
        seen = self.observations[0]
        where = f" ({seen['case']})" if seen["case"] else ""
        if seen["index"]:
            self.check.say("observed", what=self.what, case=where, count=seen["count"], size=seen["size"],
                           index=seen["index"], got=_number(seen["got"]), expected=_number(seen["expected"]))
        else:
            self.check.say("observed-scalar", what=self.what, case=where, got=_number(seen["got"]),
                           expected=_number(seen["expected"]))


def _number(value: float) -> str:
    """Enough digits to show how two nearby numbers differ."""
    return f"{value:.10g}"
