"""Grading a class: the CLI's commands as keyword-only functions (``commands``: ``grade``, ``merge``),
which assignment a class is for (``choose``), and the batch of pytest workers that grades it
(``batch``). Errors the user can fix raise ``UsageError`` with a one-line reason.
"""
from autograder.grading.choose import choose_assignment
from autograder.grading.commands import grade, merge, report, write_views
from autograder.errors import Incomplete, UsageError

__all__ = ["Incomplete", "UsageError", "choose_assignment", "grade", "merge", "report", "write_views"]
