"""Helpers shared by 02's checks."""
from ..rubric import GRADIENT_TIERS

TIERS = ", ".join(f"≤{t:g}→{s:.0%}" for t, s in GRADIENT_TIERS)


def shape_of(value):
    return tuple(value.shape) if value is not None else None
