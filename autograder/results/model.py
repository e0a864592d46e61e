"""Results as small dataclasses: test → submission, as data in Gradescope's results.json shape.

A ``SubmissionResult`` carries the rubric it was graded against (the ``Assignment``, handed in by
whoever makes or reads the result): its parts and points are the rubric's, never looked up here.
Student-controlled text (outputs, reasons, tags) is cleaned and bounded when a result is turned
into data (``to_gradescope``).
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from autograder.results import kinds
from autograder.text import clean_text

if TYPE_CHECKING:   # for the type only: the results never look an assignment up
    from autograder.assignment import Assignment

# How much student-controlled text one result keeps (characters); the cut is marked.
TEST_OUTPUT_CHARS = 20_000
OUTPUT_CHARS = 20_000
REASON_CHARS = 300
MAX_TAGS, TAG_CHARS = 30, 80

# Status of a submission: graded (its tests ran; the score is the score), or why it has no score.
GRADED = "graded"
LOAD_ERROR = "load-error"        # the file could not be read as a submission (reason says why)
DUPLICATE = "duplicate"          # two files claim the same student id: neither is graded
GRADER_ERROR = "grader-error"    # the grader failed on it: regrade, and report it


def display(points: float) -> str:
    """Points as people read them: rounded once, to 2 decimals, from the exact sum (64.33, 100)."""
    return f"{round(points + 0.0, 2):g}"


NO_SCORE = "—"    # a submission without a score, where people read it (a CSV leaves the cell blank)


def score_text(status: str, points: float, none: str = NO_SCORE) -> str:
    """Points as ``display`` shows them when ``status`` is graded; ``none`` otherwise -- never a 0."""
    return display(points) if status == GRADED else none


@dataclasses.dataclass
class TestResult:
    """One rubric test's points for one submission, and what the student reads about it."""

    name: str
    score: float
    max_score: float
    output: str = ""
    tags: list[str] = dataclasses.field(default_factory=list)
    part: str = ""        # the part of the assignment it grades (its name begins with it)
    kind: str = ""        # why it lost points, a ``kinds.Kind`` value; "" with full points
    exception: str = ""   # the exception's type name when kind is "raised"

    @property
    def status(self) -> str:
        return "passed" if self.score >= self.max_score else "failed"

    def to_gradescope(self) -> dict:
        tags = [clean_text(t, TAG_CHARS, one_line=True) for t in list(self.tags)[:MAX_TAGS]]
        return {"name": self.name, "part": self.part, "score": self.score, "max_score": self.max_score,
                "status": self.status, "output": clean_text(self.output, TEST_OUTPUT_CHARS), "tags": tags,
                "kind": self.kind, "exception": clean_text(self.exception, TAG_CHARS, one_line=True)}


@dataclasses.dataclass
class SubmissionResult:
    """One submission's result: its status, its tests' points, and where they came from."""

    submission: str                  # the path as given, or the student id for an nbgrader layout
    id: str
    status: str
    assignment: str = ""             # the assignment's id: its rubric says what the tests are
    reason: str = ""
    tests: list[TestResult] = dataclasses.field(default_factory=list)
    output: str = ""
    execution_time: float = 0.0
    isolation: str = ""
    fingerprint: str = ""            # of the submission's bytes and the grader: reuse only when equal
    submitted_at: str = ""           # nbgrader's timestamp.txt, as written there ("" when there is none)
    graded_at: str = ""              # when the grader wrote this result (UTC, ISO 8601): merge keeps the newer
    # the Assignment whose id is ``assignment``: parts and points (never stored, never compared)
    rubric: Assignment | None = dataclasses.field(default=None, repr=False, compare=False)

    def checked_rubric(self) -> Assignment:
        """``rubric``; ValueError when the result was made without it."""
        if self.rubric is None:
            raise ValueError(f"the result of {self.id!r} was made without its rubric (give rubric=the Assignment)")
        return self.rubric

    @property
    def score(self) -> float:
        """The exact sum of the tests' points; views round it once, for display (``display``)."""
        return sum(t.score for t in self.tests)

    def part_scores(self) -> dict[str, float]:
        return {part: sum(t.score for t in self.tests if t.part == part) for part in self.checked_rubric().parts}

    def to_gradescope(self) -> dict:
        """The result as data: ids exact (see ``discover``), student text cleaned and bounded."""
        return {"submission": self.submission, "id": self.id, "assignment": self.assignment, "status": self.status,
                "reason": clean_text(self.reason, REASON_CHARS, one_line=True),
                "score": self.score, "max_score": self.checked_rubric().total_points,
                "execution_time": round(self.execution_time, 3), "output": clean_text(self.output, OUTPUT_CHARS),
                "isolation": self.isolation, "submitted_at": clean_text(self.submitted_at, 100, one_line=True),
                "graded_at": self.graded_at,
                "tests": [t.to_gradescope() for t in self.tests]}

    @classmethod
    def from_dict(cls, data: dict, rubric: Assignment) -> SubmissionResult:
        """A result read back (``to_gradescope``'s shape) of ``rubric``'s assignment; ValueError when it
        is of another assignment or names a test that rubric does not have."""
        if data.get("assignment", "") != rubric.id:
            raise ValueError(f"a result of {data.get('assignment', '')!r}, not of {rubric.id!r}")
        by_name = rubric.by_name
        unknown = [t["name"] for t in data.get("tests", []) if t["name"] not in by_name]
        if unknown:
            raise ValueError(f"test {unknown[0]!r} is not in this rubric (graded by another version? regrade)")
        tests = [TestResult(name=t["name"], score=t["score"], max_score=t["max_score"], output=t.get("output", ""),
                            tags=t.get("tags", []), part=by_name[t["name"]].part,
                            kind=kinds.of_stored(t.get("kind"), _full(t["score"], t["max_score"])),
                            exception=t.get("exception", "")) for t in data.get("tests", [])]
        return cls(submission=data["submission"], id=data["id"], status=data["status"], assignment=data["assignment"],
                   reason=data.get("reason", ""), tests=tests, output=data.get("output", ""),
                   execution_time=data.get("execution_time", 0.0), isolation=data.get("isolation", ""),
                   fingerprint=data.get("fingerprint", ""), submitted_at=data.get("submitted_at", ""),
                   graded_at=data.get("graded_at", ""), rubric=rubric)


def _full(score: object, max_score: object) -> bool:
    """Did a stored test get all its points? (A score stored as null -- a NaN kept as strict JSON -- did not.)"""
    return isinstance(score, (int, float)) and isinstance(max_score, (int, float)) and score >= max_score


def ungraded(submission, status: str, reason: str, isolation: object = "", *,
             assignment: Assignment) -> SubmissionResult:
    """A submission without a score: every test listed at 0 with the reason, never silently missing.
    ``submission`` is a ``discover.Submission`` (or anything with its ``given`` and ``id``)."""
    tests = [TestResult(t.name, 0.0, t.points, output=reason, part=t.part) for t in assignment.tests]
    return SubmissionResult(submission=submission.given, id=submission.id, status=status, reason=reason,
                            assignment=assignment.id,
                            tests=tests, output=reason, isolation=str(isolation),
                            submitted_at=getattr(submission, "submitted_at", ""), rubric=assignment)
