"""The assignments the engine knows: every package in this folder, and in the folders listed in the
environment variable ``AUTOGRADER_ASSIGNMENTS`` (``os.pathsep``-separated; each folder holds
assignment packages), each declaring ``ASSIGNMENT`` in its ``__init__.py``.

``known()`` maps assignment ids to ``Assignment`` objects; ``get(id)`` is one of them, or an
``UnknownAssignment`` whose message lists the others.
"""
import functools
import importlib
import os
import pkgutil
import sys
from collections.abc import Iterator

from autograder.assignment import Assignment

ENVIRONMENT = "AUTOGRADER_ASSIGNMENTS"


class UnknownAssignment(LookupError):
    """No assignment by that name (the message lists the ones there are)."""


def _packages() -> Iterator[str]:
    for module in pkgutil.iter_modules(__path__):
        if module.ispkg:
            yield f"{__name__}.{module.name}"
    for folder in filter(None, os.environ.get(ENVIRONMENT, "").split(os.pathsep)):
        folder = os.path.abspath(folder)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        for module in pkgutil.iter_modules([folder]):
            if module.ispkg:
                yield module.name


@functools.lru_cache(maxsize=None)
def _known(extra: str) -> dict[str, Assignment]:
    found = {}
    for name in _packages():
        assignment = getattr(importlib.import_module(name), "ASSIGNMENT", None)
        if assignment is None:
            continue
        if assignment.id in found:
            raise UnknownAssignment(f"two packages declare assignment {assignment.id!r}: "
                                    f"{found[assignment.id].package} and {assignment.package}")
        found[assignment.id] = assignment
    return dict(sorted(found.items()))


def known() -> dict[str, Assignment]:
    """{id: Assignment}, sorted by id."""
    return _known(os.environ.get(ENVIRONMENT, ""))


def get(assignment_id: str) -> Assignment:
    assignments = known()
    if assignment_id not in assignments:
        raise UnknownAssignment(f"unknown assignment {assignment_id!r}; known: {', '.join(assignments) or 'none'}")
    return assignments[assignment_id]
