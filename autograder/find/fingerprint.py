"""What a stored result was graded from: the submission's bytes and the grader's code. A result is
reused only when both fingerprints are what they were (``grading.batch.pending``)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.find import discover
from autograder.find.notebook import MAX_BYTES

if TYPE_CHECKING:
    from autograder.assignment import Assignment

ENGINE = Path(__file__).resolve().parents[1]     # the autograder package
ENVIRONMENT = "AUTOGRADER_FINGERPRINT"


def of_grader(assignment: Assignment) -> str:
    """Changes whenever the engine, the assignment's package (rubric, checks, operations) or its
    reference change, so stale results are regraded.

    A batch computes it once and hands it to its workers (AUTOGRADER_FINGERPRINT), so editing the
    grader during a run cannot make the batch disown the results its workers write."""
    if os.environ.get(ENVIRONMENT):
        return os.environ[ENVIRONMENT]
    digest = hashlib.sha256(assignment.id.encode())
    files = (sorted(p for p in ENGINE.rglob("*.py") if p.relative_to(ENGINE).parts[0] != "assignments")
             + sorted(assignment.package_folder.rglob("*.py")) + [Path(assignment.reference)])
    for path in files:
        if "__pycache__" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def of_submission(submission: discover.Submission, grader: str, data: tuple[bytes, int] | None = None) -> str:
    """Of the submission's bytes (``data`` as ``discover.read_regular`` returns them, else read that
    way: never through a link, never a pipe), its problem or duplicates, and the grader."""
    digest = hashlib.sha256(grader.encode())
    if submission.problem:
        digest.update(b"problem\0" + submission.problem.encode("utf-8", "surrogatepass"))
    elif data is not None:
        digest.update(b"bytes\0%d\0" % data[1] + data[0])
    else:
        try:
            content, size = discover.read_regular(submission.path, MAX_BYTES)
            digest.update(b"bytes\0%d\0" % size + content)
        except discover.Refused as exc:
            digest.update(b"refused\0" + str(exc).encode("utf-8", "surrogatepass"))
    digest.update(repr(submission.duplicate_of).encode("utf-8", "surrogatepass"))
    if getattr(submission, "submitted_at", ""):    # resubmitted: a new time is a new result
        digest.update(b"submitted\0" + submission.submitted_at.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]
