"""Helpers shared by 02's checks."""
from autograder.checks.authoring import tiers_text

from ..rubric import GRADIENT_TIERS

TIERS = tiers_text(GRADIENT_TIERS)


def shape_of(value):
    return tuple(value.shape) if value is not None else None
