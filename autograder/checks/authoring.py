"""What an assignment package imports from the engine, in one place (docs/AUTHORING.md).

``__init__.py`` builds its ``Assignment`` from its rubric; ``rubric.py`` lists each ``Test`` and
scores gradients with ``tier``; ``reference.py`` and the checks compare with ``rel_error`` /
``matches`` (and ``numerical_gradient``); a check ends with ``finish(check, share)``, records why it
lost points on its ``Check`` (``check.failed``, ``check.wrong_shape``, ``check.fault(Kind...)``).
Hints from models of typical mistakes go through ``Models`` (evidence only where a model differs from
the right answer). ``checks/conftest.py`` registers the plugin instead of importing from here. The child-side
``operations.py`` imports from ``autograder.sandbox.inside.api``, the engine's one surface in the sandbox.
"""
from autograder.assignment import Assignment, Test
from autograder.checks.check import Check, Incomplete, finish
from autograder.checks.models import Models, dtype_of, explains, shape_explains
from autograder.checks.numerics import (BACKPROPAGATION_RULE, REL_ERROR_FLOOR, matches, numerical_gradient, rel_error,
                                        tier, tiers_text)
from autograder.checks.student import Student
from autograder.results.kinds import Kind

__all__ = ["BACKPROPAGATION_RULE", "REL_ERROR_FLOOR", "Assignment", "Check", "Incomplete", "Kind", "Models", "Student",
           "Test", "dtype_of", "explains", "finish", "matches", "numerical_gradient", "rel_error", "shape_explains",
           "tier", "tiers_text"]
