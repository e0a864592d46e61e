"""Comparing arrays the way the notebooks teach it, for any assignment's checks.

Relative error is ``max |a − b| / (|a| + |b| + floor)`` (the notebooks' formula); ``numerical_gradient``
is the central difference of ``L = sum(f(x) * dout)``, the gradient check the students run.
"""
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

REL_ERROR_FLOOR = 1e-8
Tiers = tuple[tuple[float, float], ...]   # ((threshold, share), ...) by rising threshold
# A gradient is numerical, not backpropagated, when its backward evaluated code on this many copies of
# the input it is the gradient of with one or two entries nudged (differences entry by entry) ...
NUDGED_EVALUATIONS = 2
# ... or on this many copies with more entries nudged together by one step (an elementwise layer's
# differences, every entry at once: one such evaluation beside forward's gives the whole gradient).
WHOLE_NUDGED_EVALUATIONS = 1
BACKPROPAGATION_RULE = (
    "Backward points are for backpropagation: a gradient whose backward re-ran forward on copies of its input "
    f"with one or two entries nudged ({NUDGED_EVALUATIONS} or more times), or with more entries nudged together "
    f"by one step ({WHOLE_NUDGED_EVALUATIONS} or more times), is a numerical gradient and earns nothing, as does a "
    "backward during which the grader's trace function was replaced or removed.")


def rel_error(a: ArrayLike, b: ArrayLike, floor: float = REL_ERROR_FLOOR) -> float:
    """Largest relative error; inf when shapes differ, and where either side is nan."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    if a.size == 0:
        return 0.0
    with np.errstate(all="ignore"):
        error = np.abs(a - b) / (np.abs(a) + np.abs(b) + floor)
    return float(np.max(np.where(np.isnan(error), np.inf, error)))


def matches(a: ArrayLike | list | None, b: ArrayLike | list, tol: float, floor: float = REL_ERROR_FLOOR) -> bool:
    """Equal within ``tol``; ``a`` and ``b`` may be arrays or lists of arrays (parameters)."""
    if a is None:
        return False
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(matches(x, y, tol, floor) for x, y in zip(a, b))
    return rel_error(a, b, floor) <= tol


def tier(error: float, tiers: Tiers) -> float:
    """Share of the points earned by ``error`` under ``tiers``, ((threshold, share), ...) by rising
    threshold: the share of the first threshold the error is within, else 0."""
    for threshold, share in tiers:
        if error <= threshold:
            return share
    return 0.0


def tiers_text(tiers: Tiers) -> str:
    """``tiers`` as the feedback shows them: "≤1e-07→100%, ≤1e-05→70%"."""
    return ", ".join(f"≤{threshold:g}→{share:.0%}" for threshold, share in tiers)


def numerical_gradient(f: Callable[[np.ndarray], np.ndarray], x: ArrayLike, dout: ArrayLike, eps: float = 1e-6,
                       indices: list[tuple] | None = None) -> np.ndarray:
    """Central differences of L = sum(f(x) * dout) with respect to x (x is not modified); only at
    ``indices`` (a list of index tuples) when given, the rest left 0: a sparse check."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in (np.ndindex(x.shape) if indices is None else indices):
        old = x[i]
        x[i] = old + eps
        plus = np.sum(f(x) * dout)
        x[i] = old - eps
        minus = np.sum(f(x) * dout)
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad
