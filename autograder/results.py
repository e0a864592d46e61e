"""Results as small dataclasses: test → submission; JSON in Gradescope's results.json shape.

Each submission's result is written atomically to its own file in a results folder as soon as it
is graded; every report (JSON list, CSV, terminal table, feedback) is a view of those files.
"""
import dataclasses
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from . import rubric

# Status of a submission: graded (its tests ran; the score is the score), or why it has no score.
GRADED = "graded"
LOAD_ERROR = "load-error"        # the file could not be read as a submission (reason says why)
DUPLICATE = "duplicate"          # two files claim the same student id: neither is graded
GRADER_ERROR = "grader-error"    # the grader failed on it: regrade, and report it


@dataclasses.dataclass
class TestResult:
    name: str
    score: float
    max_score: float
    output: str = ""
    tags: list = dataclasses.field(default_factory=list)

    @property
    def part(self):
        return rubric.BY_NAME[self.name].part

    @property
    def status(self):
        return "passed" if self.score >= self.max_score else "failed"

    def to_gradescope(self):
        return {"name": self.name, "score": self.score, "max_score": self.max_score,
                "status": self.status, "output": self.output, "tags": list(self.tags)}


@dataclasses.dataclass
class SubmissionResult:
    submission: str                  # the path as given, or the student id for an nbgrader layout
    id: str
    status: str
    reason: str = ""
    tests: list = dataclasses.field(default_factory=list)
    output: str = ""
    execution_time: float = 0.0
    isolation: str = ""
    fingerprint: str = ""            # of the submission's bytes and the grader: reuse only when equal

    @property
    def score(self):
        """The exact sum of the tests' points; views round it once, for display (rubric.display)."""
        return sum(t.score for t in self.tests)

    def part_scores(self):
        return {part: sum(t.score for t in self.tests if t.part == part) for part in rubric.PARTS}

    def to_gradescope(self):
        return {"submission": self.submission, "id": self.id, "status": self.status, "reason": self.reason,
                "score": self.score, "max_score": rubric.TOTAL_POINTS,
                "execution_time": round(self.execution_time, 3), "output": self.output,
                "isolation": self.isolation,
                "tests": [t.to_gradescope() for t in self.tests]}

    @classmethod
    def from_dict(cls, data):
        unknown = [t["name"] for t in data.get("tests", []) if t["name"] not in rubric.BY_NAME]
        if unknown:
            raise ValueError(f"test {unknown[0]!r} is not in this rubric (graded by another version? regrade)")
        tests = [TestResult(name=t["name"], score=t["score"], max_score=t["max_score"],
                            output=t.get("output", ""), tags=t.get("tags", [])) for t in data.get("tests", [])]
        return cls(submission=data["submission"], id=data["id"], status=data["status"],
                   reason=data.get("reason", ""), tests=tests, output=data.get("output", ""),
                   execution_time=data.get("execution_time", 0.0), isolation=data.get("isolation", ""),
                   fingerprint=data.get("fingerprint", ""))


def ungraded(submission, status, reason, isolation=""):
    """A submission without a score: every test listed at 0 with the reason, never silently missing."""
    tests = [TestResult(t.name, 0.0, t.points, output=reason) for t in rubric.TESTS]
    return SubmissionResult(submission=submission.given, id=submission.id, status=status, reason=reason,
                            tests=tests, output=reason, isolation=isolation)


def grader_fingerprint():
    """Changes whenever the checks, the reference or the rubric change, so stale results are regraded.

    A batch computes it once and hands it to its workers (AUTOGRADER_FINGERPRINT), so editing the
    grader during a run cannot make the batch disown the results its workers write."""
    if os.environ.get("AUTOGRADER_FINGERPRINT"):
        return os.environ["AUTOGRADER_FINGERPRINT"]
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    from solutions import backprop_basics
    for path in sorted(here.glob("*.py")) + sorted((here / "checks").glob("*.py")) + [Path(backprop_basics.__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(submission, grader=None):
    digest = hashlib.sha256((grader or grader_fingerprint()).encode())
    try:
        with open(submission.path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        digest.update(str(exc).encode())
    digest.update(repr(submission.duplicate_of).encode())
    return digest.hexdigest()[:24]


MAX_NAME = 100   # characters of the id kept in a file name (the hash keeps names unique)


def result_path(results_dir, submission_id, suffix=".json"):
    """``<safe id>-<hash><suffix>``: letters, digits and ``._-`` only, not starting with ``.`` or ``-``,
    at most MAX_NAME characters of the id; the hash of the whole id (a non-UTF-8 file name's
    surrogates included) keeps names unique."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", submission_id).lstrip(".-")[:MAX_NAME] or "_"
    short = hashlib.sha256(submission_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return Path(results_dir) / f"{safe}-{short}{suffix}"


def training_path(results_dir, submission_id):
    """Where the student's main train_xor run (losses, trained parameters) is kept for feedback plots."""
    return result_path(results_dir, submission_id, ".training.npz")


def write_atomic(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        # backslashreplace: a lone surrogate (from a non-UTF-8 file name) is written as the JSON
        # escape it is, so the file stays valid UTF-8 and reads back to the same id.
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
            json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save(result, results_dir):
    data = result.to_gradescope()
    data["fingerprint"] = result.fingerprint
    write_atomic(result_path(results_dir, result.id), data)


def load(results_dir, submission_id):
    path = result_path(results_dir, submission_id)
    try:
        with open(path, encoding="utf-8") as f:
            return SubmissionResult.from_dict(json.load(f))
    except (OSError, ValueError, KeyError):
        return None
