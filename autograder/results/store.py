"""Where results live: one file per submission in a results folder, written atomically as soon as it
is graded; every report (JSON list, CSV, terminal table, feedback) is a view of those files.

File names (``file_stem``) are an injective encoding of the id, so two ids never share a file --
not even on a case-insensitive file system -- and a result read back must carry the id that asked
for it (``load``). Every JSON file the kit writes is strict UTF-8 JSON (``write_atomic``): no lone
surrogates, no NaN.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograder.results.model import SubmissionResult
from autograder.text import strict, strict_text

if TYPE_CHECKING:
    from autograder.assignment import Assignment

MAX_STEM = 200    # characters of an encoded id in a file name (names stay under 255 bytes)
NAME_KEEP = re.compile(r"[A-Za-z0-9_]")
# What reading a result file can raise when it is not a result of this grader (or not readable).
UNREADABLE = (OSError, ValueError, KeyError, TypeError, AttributeError)


def _encoded(submission_id: str) -> str | None:
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


def file_stem(submission_id: str) -> str:
    """The name every file of one submission starts with: the encoded id (``_encoded``), or, when it
    does not fit, ``+`` and the id's full SHA-256 -- a name space the encoding never produces."""
    return _encoded(submission_id) or "+" + hashlib.sha256(submission_id.encode("utf-8", "surrogatepass")).hexdigest()


def result_path(results_dir: str | Path, submission_id: str, suffix: str = ".json") -> Path:
    """``<file_stem(id)><suffix>`` in ``results_dir``: one name per id, never another's."""
    return Path(results_dir) / f"{file_stem(submission_id)}{suffix}"


def plot_path(results_dir: str | Path, submission_id: str) -> Path:
    """Where the arrays of the student's feedback plot are kept (the assignment's ``plots.record``)."""
    return result_path(results_dir, submission_id, ".plot.npz")


def write_atomic(path: str | Path, data: object) -> None:
    """Write ``data`` as strict UTF-8 JSON to ``path``: whole or not at all (a temporary file, fsync, rename)."""
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
    except BaseException:   # even KeyboardInterrupt: no temporary file left behind, then re-raised
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save(result: SubmissionResult, results_dir: str | Path) -> None:
    """Store ``result`` under its id's name in ``results_dir`` (stamping ``graded_at`` if unset)."""
    if not result.graded_at:
        result.graded_at = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    data = result.to_gradescope()
    data["fingerprint"] = result.fingerprint
    write_atomic(result_path(results_dir, result.id), data)


def read_json(path: str | Path) -> Any:
    """A result file's JSON, as stored (OSError, ValueError when it cannot be read)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load(results_dir: str | Path, submission_id: str, rubric: Assignment) -> SubmissionResult | None:
    """The result of ``rubric``'s assignment stored for ``submission_id``, or None: none, unreadable,
    of another assignment, or not this id's (a file that claims another id is never used)."""
    try:
        result = SubmissionResult.from_dict(read_json(result_path(results_dir, submission_id)), rubric)
    except UNREADABLE:
        return None
    return result if result.id == strict_text(submission_id) else None
