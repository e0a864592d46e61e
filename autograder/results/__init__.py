"""Results as small dataclasses: test → submission; JSON in Gradescope's results.json shape.

Each submission's result is written atomically to its own file in a results folder as soon as it
is graded; every report (JSON list, CSV, terminal table, feedback) is a view of those files.

File names (``file_stem``) are an injective encoding of the id, so two ids never share a file --
not even on a case-insensitive file system -- and a result read back must carry the id that asked
for it (``load``). Student-controlled text (outputs, reasons, tags) is cleaned of control bytes and
bounded when a result is turned into data (``to_gradescope``), and every JSON file the kit writes is
strict UTF-8 JSON (``write_atomic``): no lone surrogates, no NaN.
"""
import dataclasses
import datetime
import hashlib
import json
import math
import os
import re
import tempfile
from pathlib import Path

from autograder.results import kinds


# How much student-controlled text one result keeps (characters); the cut is marked.
TEST_OUTPUT_CHARS = 20_000
OUTPUT_CHARS = 20_000
REASON_CHARS = 300
MAX_TAGS, TAG_CHARS = 30, 80
TRUNCATED = " [… truncated]"
# Terminal escapes and control characters (C0 but tab and newline, DEL, C1): text in a result is
# read in terminals, Markdown and Gradescope, none of which should act on them.
ANSI_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def _surrogate_text(match):
    """A lone surrogate as text: a byte of a non-UTF-8 file name (surrogateescape) as ``\\xNN``,
    the way ``discover`` writes such bytes in ids; any other as U+FFFD."""
    code = ord(match.group())
    return f"\\x{code - 0xdc00:02x}" if 0xdc80 <= code <= 0xdcff else "\ufffd"


def strict_text(text):
    """``text`` as valid Unicode (encodable as UTF-8): lone surrogates replaced (``_surrogate_text``)."""
    return SURROGATE.sub(_surrogate_text, text)


def clean_text(text, limit, one_line=False):
    """Student-controlled text as kept in a result: strict, no escapes or control characters (a
    reason on one line), at most ``limit`` characters."""
    text = str(text)
    cut = len(text) > 4 * limit + 1000
    if cut:   # cleaning only removes characters: what is kept lies in the first few times ``limit``
        text = text[:4 * limit + 1000]
    text = strict_text(text)
    if one_line:
        text = " ".join(text.splitlines())
    text = CONTROL.sub("", ANSI_ESCAPE.sub("", text.replace("\r\n", "\n")))
    return text if len(text) <= limit and not cut else text[:limit] + TRUNCATED


def strict(value):
    """``value`` made strict for JSON: strings via ``strict_text``, non-finite floats as null."""
    if isinstance(value, str):
        return strict_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {strict_text(str(k)): strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict(v) for v in value]
    return value


# Status of a submission: graded (its tests ran; the score is the score), or why it has no score.
GRADED = "graded"
LOAD_ERROR = "load-error"        # the file could not be read as a submission (reason says why)
DUPLICATE = "duplicate"          # two files claim the same student id: neither is graded
GRADER_ERROR = "grader-error"    # the grader failed on it: regrade, and report it


def display(points):
    """Points as people read them: rounded once, to 2 decimals, from the exact sum (64.33, 100)."""
    return f"{round(points + 0.0, 2):g}"


@dataclasses.dataclass
class TestResult:
    name: str
    score: float
    max_score: float
    output: str = ""
    tags: list = dataclasses.field(default_factory=list)
    part: str = ""        # the part of the assignment it grades (its name begins with it)
    kind: str = ""        # why it lost points, a ``kinds.Kind`` value; "" with full points
    exception: str = ""   # the exception's type name when kind is "raised"

    @property
    def status(self):
        return "passed" if self.score >= self.max_score else "failed"

    def to_gradescope(self):
        tags = [clean_text(t, TAG_CHARS, one_line=True) for t in list(self.tags)[:MAX_TAGS]]
        return {"name": self.name, "part": self.part, "score": self.score, "max_score": self.max_score,
                "status": self.status, "output": clean_text(self.output, TEST_OUTPUT_CHARS), "tags": tags,
                "kind": self.kind, "exception": clean_text(self.exception, TAG_CHARS, one_line=True)}


@dataclasses.dataclass
class SubmissionResult:
    submission: str                  # the path as given, or the student id for an nbgrader layout
    id: str
    status: str
    assignment: str = ""             # the assignment's id: its rubric says what the tests are
    reason: str = ""
    tests: list = dataclasses.field(default_factory=list)
    output: str = ""
    execution_time: float = 0.0
    isolation: str = ""
    fingerprint: str = ""            # of the submission's bytes and the grader: reuse only when equal
    submitted_at: str = ""           # nbgrader's timestamp.txt, as written there ("" when there is none)
    graded_at: str = ""              # when the grader wrote this result (UTC, ISO 8601): merge keeps the newer

    @property
    def score(self):
        """The exact sum of the tests' points; views round it once, for display (``display``)."""
        return sum(t.score for t in self.tests)

    @property
    def rubric(self):
        """The ``Assignment`` this result was graded against."""
        from autograder import assignments
        return assignments.get(self.assignment)

    def part_scores(self):
        return {part: sum(t.score for t in self.tests if t.part == part) for part in self.rubric.parts}

    def to_gradescope(self):
        """The result as data: ids exact (see ``discover``), student text cleaned and bounded."""
        return {"submission": self.submission, "id": self.id, "assignment": self.assignment, "status": self.status,
                "reason": clean_text(self.reason, REASON_CHARS, one_line=True),
                "score": self.score, "max_score": self.rubric.total_points,
                "execution_time": round(self.execution_time, 3), "output": clean_text(self.output, OUTPUT_CHARS),
                "isolation": self.isolation, "submitted_at": clean_text(self.submitted_at, 100, one_line=True),
                "graded_at": self.graded_at,
                "tests": [t.to_gradescope() for t in self.tests]}

    @classmethod
    def from_dict(cls, data):
        from autograder import assignments
        try:
            by_name = assignments.get(data.get("assignment", "")).by_name
        except assignments.UnknownAssignment as exc:
            raise ValueError(f"{exc} (graded by another version of the kit? regrade)") from None
        unknown = [t["name"] for t in data.get("tests", []) if t["name"] not in by_name]
        if unknown:
            raise ValueError(f"test {unknown[0]!r} is not in this rubric (graded by another version? regrade)")
        tests = [TestResult(name=t["name"], score=t["score"], max_score=t["max_score"], output=t.get("output", ""),
                            tags=t.get("tags", []), part=by_name[t["name"]].part,
                            kind=kinds.of_stored(t.get("kind"), t["score"] >= t["max_score"]),
                            exception=t.get("exception", "")) for t in data.get("tests", [])]
        return cls(submission=data["submission"], id=data["id"], status=data["status"], assignment=data["assignment"],
                   reason=data.get("reason", ""), tests=tests, output=data.get("output", ""),
                   execution_time=data.get("execution_time", 0.0), isolation=data.get("isolation", ""),
                   fingerprint=data.get("fingerprint", ""), submitted_at=data.get("submitted_at", ""),
                   graded_at=data.get("graded_at", ""))


def ungraded(submission, status, reason, isolation="", *, assignment):
    """A submission without a score: every test listed at 0 with the reason, never silently missing."""
    tests = [TestResult(t.name, 0.0, t.points, output=reason, part=t.part) for t in assignment.tests]
    return SubmissionResult(submission=submission.given, id=submission.id, status=status, reason=reason,
                            assignment=assignment.id,
                            tests=tests, output=reason, isolation=str(isolation),
                            submitted_at=getattr(submission, "submitted_at", ""))


def grader_fingerprint(assignment):
    """Changes whenever the engine, the assignment's package (rubric, checks, operations) or its
    reference change, so stale results are regraded.

    A batch computes it once and hands it to its workers (AUTOGRADER_FINGERPRINT), so editing the
    grader during a run cannot make the batch disown the results its workers write."""
    if os.environ.get("AUTOGRADER_FINGERPRINT"):
        return os.environ["AUTOGRADER_FINGERPRINT"]
    digest = hashlib.sha256(assignment.id.encode())
    engine = Path(__file__).resolve().parents[1]
    files = (sorted(p for p in engine.rglob("*.py") if p.relative_to(engine).parts[0] != "assignments")
             + sorted(Path(assignment.folder).rglob("*.py")) + [Path(assignment.reference)])
    for path in files:
        if "__pycache__" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(submission, grader, data=None):
    """Of the submission's bytes (as ``discover.read_regular`` reads them: never through a link, never
    a pipe), its problem or duplicates, and the grader: a result is reused only when all are equal."""
    from autograder.find import discover, load
    digest = hashlib.sha256(grader.encode())
    if submission.problem:
        digest.update(b"problem\0" + submission.problem.encode("utf-8", "surrogatepass"))
    elif data is not None:
        digest.update(b"bytes\0%d\0" % data[1] + data[0])
    else:
        try:
            content, size = discover.read_regular(submission.path, load.MAX_BYTES)
            digest.update(b"bytes\0%d\0" % size + content)
        except discover.Refused as exc:
            digest.update(b"refused\0" + str(exc).encode("utf-8", "surrogatepass"))
    digest.update(repr(submission.duplicate_of).encode("utf-8", "surrogatepass"))
    if getattr(submission, "submitted_at", ""):    # resubmitted: a new time is a new result
        digest.update(b"submitted\0" + submission.submitted_at.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


MAX_STEM = 200    # characters of an encoded id in a file name (names stay under 255 bytes)
NAME_KEEP = re.compile(r"[A-Za-z0-9_]")


def _encoded(submission_id):
    """The id, injectively, in ``[A-Za-z0-9_.%~-]``; None when that is empty or too long.

    Letters, digits and ``_`` stay; ``-`` and ``.`` stay except first (no hidden files, no options);
    every other character is ``%xx`` per UTF-8 byte (lowercase hex). A case-insensitive file system
    would fold ``Alice`` onto ``alice``: ids with capitals end in ``~`` and the positions of their
    capitals as a hex bit mask, so the folded name still names one id."""
    out, mask = [], 0
    for i, c in enumerate(submission_id):
        if NAME_KEEP.match(c) or (c in "-." and i > 0):
            out.append(c)
            if "A" <= c <= "Z":
                mask |= 1 << i
        else:
            out.extend(f"%{b:02x}" for b in c.encode("utf-8", "surrogatepass"))
    stem = "".join(out) + (f"~{mask:x}" if mask else "")
    return stem if 0 < len(stem) <= MAX_STEM else None


def file_stem(submission_id):
    """The name every file of one submission starts with: the encoded id (``_encoded``), or, when it
    does not fit, ``+`` and the id's full SHA-256 -- a name space the encoding never produces."""
    return _encoded(submission_id) or "+" + hashlib.sha256(submission_id.encode("utf-8", "surrogatepass")).hexdigest()


def result_path(results_dir, submission_id, suffix=".json"):
    """``<file_stem(id)><suffix>`` in ``results_dir``: one name per id, never another's."""
    return Path(results_dir) / f"{file_stem(submission_id)}{suffix}"


def plot_path(results_dir, submission_id):
    """Where the arrays of the student's feedback plot are kept (the assignment's ``plots.record``)."""
    return result_path(results_dir, submission_id, ".plot.npz")


def write_atomic(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        # Strict: jq and every JSON reader accept it (a lone surrogate, even as a \\u escape, or a
        # NaN makes jq reject the whole file).
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(strict(data), f, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False)
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
    if not result.graded_at:
        result.graded_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    data = result.to_gradescope()
    data["fingerprint"] = result.fingerprint
    write_atomic(result_path(results_dir, result.id), data)


def load(results_dir, submission_id):
    """The result stored for ``submission_id``, or None: none, unreadable, or not this id's (a file
    that claims another id is never used)."""
    path = result_path(results_dir, submission_id)
    try:
        with open(path, encoding="utf-8") as f:
            result = SubmissionResult.from_dict(json.load(f))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return result if result.id == strict_text(submission_id) else None
