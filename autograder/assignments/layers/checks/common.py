"""Helpers shared by 02's checks."""
from autograder.checks.authoring import Models, dtype_of, tiers_text

from .. import reference
from ..rubric import GRADIENT_TIERS, VALUE_REL_TOL, tier

TIERS = tiers_text(GRADIENT_TIERS)

__all__ = ["TIERS", "Gradient", "Models", "dtype_of", "evidence", "shape_of"]


def shape_of(value):
    return tuple(value.shape) if value is not None else None


def evidence(check, what):
    """The mistake-model evidence of one test (``autograder.checks.models``), with 02's notion of equal."""
    return Models(check, what, same=reference.same, tol=VALUE_REL_TOL)


class Gradient:
    """A gradient test's credit: each case earns its tier by its own relative error, and the test earns the
    mean over all its cases (a case that raised or returned the wrong shape earns 0), so a mistake that
    shows in some cases costs those cases only."""

    def __init__(self, cases):
        self.total, self.errors, self.shares = len(cases), [], []

    def measured(self, error):
        self.errors.append(error)
        self.shares.append(tier(error))

    @property
    def share(self):
        return sum(self.shares) / self.total if self.total else 0.0

    def say(self, check, what):
        if self.errors:
            check.say("gradient", what=what, error=max(self.errors), share=self.share, tiers=TIERS,
                      right=sum(s >= 1 for s in self.shares), measured=len(self.errors), total=self.total)
