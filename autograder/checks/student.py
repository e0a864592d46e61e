"""``Student``: one submission's code behind its sandboxed process, as a check asks it for values."""
from typing import Any

from autograder import sandbox
from autograder.assignment import Assignment
from autograder.checks import where
from autograder.find.discover import Submission
from autograder.find.load import Program
from autograder.results import SubmissionResult
from autograder.sandbox.child import Reply, StudentProcess


class Student:
    """One submission's code, reached through its child process.

    A part is graded with each of the setups the assignment gives it in turn (the reference's pieces
    swapped in, then the student's own): ``setup`` is the reference pieces the current attempt
    injects, and replies are cached per setup."""

    def __init__(self, submission: Submission, program: Program, limits: sandbox.Limits,
                 kind: sandbox.Isolation, assignment: Assignment, record: SubmissionResult | None = None):
        self.submission, self.program, self.record, self.assignment = submission, program, record, assignment
        self.process = StudentProcess(program.chunks, operations=assignment.operations_source,
                                      schema=assignment.reply_schema, limits=limits, kind=kind,
                                      entry_points=assignment.entry_points, unused_imports=program.unused_imports)
        self.cache: dict[tuple[object, tuple[str, ...]], Reply] = {}
        self.revealed: set[str] = set()      # reference pieces this sandbox has been sent
        # reference pieces of the attempt being graded (None: the part's first setup)
        self.setup: tuple[str, ...] | None = None
        # part -> the setup its last graded test kept (the feedback plot shows that run)
        self.chosen: dict[str, tuple[str, ...]] = {}
        self.cited_cells = False   # some feedback named a notebook cell: explain the numbering once

    def setups(self, part: str) -> list[tuple[str, ...]]:
        """The setups worth trying for ``part``, in order: those whose other pieces the student defines."""
        self.process.ensure_loaded()
        defined = set(self.process.defined)
        needs, setups = self.assignment.needs[part], self.assignment.setups[part]
        viable = [setup for setup in setups if all(name in setup or name in defined for name in needs)]
        return viable or list(setups[:1])

    def cached(self, key: object, part: str) -> Reply | None:
        """The reply cached under ``key`` for the setup ``part`` kept, or None."""
        setup = self.chosen.get(part, self.assignment.setups[part][0])
        return self.cache.get((key, tuple(setup)))

    def request(self, part: str, op: str, *, key: object = None, **args: Any) -> Reply:
        """Ask the part's process to run ``op``; replies with a ``key`` are computed once per setup."""
        setup = tuple(self.setup if self.setup is not None else self.assignment.setups[part][0])
        if key is not None and (key, setup) in self.cache:
            return self.cache[key, setup]
        if part in self.revealed:
            # Out of order (an instructor's -p randomly, -k): this sandbox has seen the reference of
            # the part now asked for. Grade it in a fresh one: new zygote, new /tmp.
            self.process.close()
            self.revealed.clear()
        self.revealed.update(setup)
        reply = self.process.request(part, op, reference=self.assignment.reference_source(*setup) if setup else "",
                                     inject=setup, needs=self.assignment.needs[part], **args)
        if key is not None:
            self.cache[key, setup] = reply
        return reply

    def part_full(self, part: str) -> bool:
        """Did ``part`` (graded earlier) get all its points?"""
        if self.record is None:
            return True
        tests = [t for t in self.record.tests if t.part == part]
        return bool(tests) and all(t.score >= t.max_score for t in tests)

    def where(self, text: str, lang: str) -> str:
        """``text`` ('cell 12, line 31, in forward') as the student finds it (``where.where``)."""
        said, cited = where.where(text, self.program, lang)
        self.cited_cells |= cited
        return said

    def close(self) -> None:
        self.process.close()
