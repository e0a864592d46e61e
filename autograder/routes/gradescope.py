"""Gradescope, at run time inside its container: choose the file to grade, check the sandbox, and
turn the grader's result into Gradescope's results.json. The bundle that carries this is built by
``gradescope_bundle``.

``run_autograder`` honours ``AUTOGRADER_ROOT`` (default ``/autograder``) and ``AUTOGRADER_PYTHON``
(default ``$AUTOGRADER_ROOT/venv/bin/python``), so the bundle can be exercised outside Gradescope.
Its helpers are this module's command line, ``python -m autograder.routes.gradescope pick|sandbox-check|convert``.
"""
import argparse
import fnmatch
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from autograder import assignments, messages, results
from autograder.assignment import Assignment
from autograder.find import discover
from autograder.routes import gradescope_bundle

# The keys Gradescope's results.json defines for a test; the kit's other keys go into extra_data.
TEST_KEYS = ("name", "score", "max_score", "status", "output", "tags", "visibility")


# ------------------------------------------------------------------ choosing, converting
def visibility_of(test_name: str, part: str, rules: Iterable[Sequence[str]]) -> str | None:
    """The visibility of a test: the last rule matching its name or its part, else Gradescope's default."""
    chosen = None
    for pattern, value in rules:
        if fnmatch.fnmatchcase(test_name, pattern) or fnmatch.fnmatchcase(part, pattern):
            chosen = value
    return chosen


def _entries(folder: str | Path) -> list[discover.Submission]:
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(discover.entries(folder), key=lambda s: str(s.path))


def candidates(folder: str | Path) -> list[Path]:
    """The .ipynb and .py files a student uploaded (hidden files and caches ignored), sorted: regular
    files only -- a symbolic link (``x.py -> ../source/solutions/...``), a pipe or a folder named
    like one is never a candidate to read (``pick`` says why it is not graded)."""
    return [s.path for s in _entries(folder) if not s.problem]


def pick(folder: str | Path, notebook: str) -> tuple[Path | None, list[Path]]:
    """(file to grade, []) or (None, the candidates): the assignment's ``notebook`` (the shallowest), else
    the only notebook, else the only .py file. ``discover.Refused`` when the entry so chosen is not a
    regular file inside the upload: it is never read, the student is told why."""
    found = _entries(folder)
    named = sorted((s for s in found if s.path.name == notebook), key=lambda s: (len(s.path.parts), str(s.path)))
    notebooks = [s for s in found if s.path.suffix == ".ipynb"]
    scripts = [s for s in found if s.path.suffix == ".py"]
    chosen = (named[0] if named else notebooks[0] if len(notebooks) == 1
              else scripts[0] if not notebooks and len(scripts) == 1 else None)
    if chosen is None:
        return None, [s.path for s in found]
    if chosen.problem:
        raise discover.Refused(chosen.problem)
    return chosen.path, []


def refused(folder: str | Path, reason: str, assignment: Assignment, lang: str = "zh") -> dict:
    """results.json for an upload whose file to grade is not a regular file: 0, and why."""
    uploaded = discover.all_names(folder) if Path(folder).is_dir() else []
    words = messages.catalog(lang)
    why = words("gradescope.refused", reason=reason)
    expected = words("gradescope.upload-itself", notebook=assignment.notebook)
    seen = words("gradescope.received", files=", ".join(uploaded) if uploaded else "—")
    short = words("gradescope.refused-short", reason=reason)
    return {"score": 0.0, "execution_time": 0, "output": "\n".join((why, expected, seen)), "output_format": "text",
            "tests": _ungraded_tests(short, assignment),
            "extra_data": {"status": "load-error", "reason": reason, "files": uploaded}}


def _ungraded_tests(reason: str, assignment: Assignment) -> list[dict]:
    return [{k: v for k, v in results.TestResult(t.name, 0.0, t.points, output=reason,
                                                 part=t.part).to_gradescope().items()
             if k in TEST_KEYS} for t in assignment.tests]


def not_submitted(folder: str | Path, found: list[Path], assignment: Assignment, lang: str = "zh") -> dict:
    """results.json for a submission with no file (or no one file) to grade: 0, and what was expected."""
    folder = Path(folder)
    notebook = assignment.notebook
    names = [discover.name_text(p.relative_to(folder)) for p in found]
    uploaded = discover.all_names(folder) if folder.is_dir() else []
    words = messages.catalog(lang)
    if names:
        why = words("gradescope.several", notebook=notebook, names=", ".join(names))
    else:
        why = words("gradescope.none-found")
    expected = words("gradescope.upload", notebook=notebook)
    seen = words("gradescope.received", files=", ".join(uploaded) if uploaded else "—")
    output = "\n".join((why, expected, seen))
    short = words("gradescope.not-submitted-short", notebook=notebook)
    return {"score": 0.0, "execution_time": 0, "output": output, "output_format": "text",
            "tests": _ungraded_tests(short, assignment),
            "extra_data": {"status": "no-submission", "files": uploaded}}


def to_results(result: dict, *, file_name: str = "", execution_time: float | None = None, lang: str = "zh",
               visibility: Iterable[Sequence[str]] = ()) -> dict:
    """Gradescope's results.json for one kit result (``SubmissionResult.to_gradescope()``).

    Tests keep only the keys Gradescope defines; the top-level score is set to their sum (a top-level
    score overrides the tests' total on Gradescope, so the two must agree); the kit's status, reason
    and isolation go into ``extra_data``. Outputs are plain text: students' printed text is never rendered as HTML.
    """
    tests = []
    for given in result["tests"]:
        test = {k: given[k] for k in TEST_KEYS if k in given}
        chosen = visibility_of(given["name"], given.get("part", ""), visibility)
        if chosen:
            test["visibility"] = chosen
        tests.append(test)
    score = round(sum(t["score"] for t in tests), 4)
    max_score = sum(t["max_score"] for t in tests)
    words = messages.catalog(lang)
    lines = [words("gradescope.score", score=score, max_score=max_score, file=file_name)]
    parts: dict[str, tuple[float, float]] = {}
    for t, given in zip(tests, result["tests"]):
        part = given.get("part") or t["name"].split(".")[0]
        got, out_of = parts.get(part, (0.0, 0.0))
        parts[part] = (got + t["score"], out_of + t["max_score"])
    lines.append(", ".join(f"{p} {g:g}/{m:g}" for p, (g, m) in parts.items()))
    if result.get("status", "graded") != "graded":
        # The recorded status, as the feedback file shows it (student-facing text is kept as it was).
        lines.append(words("gradescope.not-graded", status=result["status"], reason=result.get("reason", "")))
    if result.get("output") and result.get("output") != result.get("reason"):
        lines += ["", result["output"]]
    elapsed = execution_time if execution_time is not None else result.get("execution_time", 0)
    return {"score": score, "execution_time": round(float(elapsed), 3), "output": "\n".join(lines),
            "output_format": "text", "tests": tests,
            "extra_data": {"status": result.get("status", ""), "reason": result.get("reason", ""),
                           "isolation": result.get("isolation", ""), "file": file_name,
                           "max_score": result.get("max_score", max_score)}}


def sandbox_usable() -> tuple[bool, str]:
    """(usable, description): False only when bubblewrap is installed but cannot start a child here."""
    # Only here: the sandbox (and the numpy it loads) is not needed to pick or convert a submission.
    from autograder import sandbox
    if not sandbox.isolation().bubblewrap:
        return True, "bubblewrap not in use"
    probe = f"import sys; sys.path.append({sandbox.site_packages()!r}); import numpy"
    try:
        done = sandbox.run(sandbox.Isolation(sandbox.BUBBLEWRAP), [sys.executable, "-I", "-S", "-c", probe])
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"bubblewrap could not start: {exc}"
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        return False, f"bubblewrap cannot run here (exit {done.returncode}: {detail[-1] if detail else 'no output'})"
    return True, "bubblewrap works"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.routes.gradescope",
                                description="Build the Gradescope bundle, or run one of its steps.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="write autograder.zip")
    b.add_argument("--assignment", required=True)
    b.add_argument("--out", type=Path, default=Path("autograder.zip"))
    b.add_argument("--lang", default="zh")
    k = sub.add_parser("pick", help="print the submission file to grade (else write a score-0 results.json)")
    k.add_argument("folder", type=Path)
    k.add_argument("--results", type=Path, required=True)
    k.add_argument("--assignment", required=True)
    k.add_argument("--lang", default="zh")
    sub.add_parser("sandbox-check", help="exit 1 when bubblewrap is installed but unusable here")
    c = sub.add_parser("convert", help="the grader's JSON for one submission -> Gradescope's results.json")
    c.add_argument("grade_json", type=Path)
    c.add_argument("results_json", type=Path)
    c.add_argument("--file", default="")
    c.add_argument("--submission-dir", type=Path)
    c.add_argument("--grade-status", type=int, default=0)
    c.add_argument("--started", type=float)
    c.add_argument("--lang", default="zh")
    c.add_argument("--settings", type=Path, help="the bundle's gradescope.json (per-test visibility)")
    args = p.parse_args(argv)

    if args.command == "build":
        print(gradescope_bundle.build(args.out, assignments.get(args.assignment), lang=args.lang))
    elif args.command == "pick":
        assignment = assignments.get(args.assignment)
        try:
            chosen, found = pick(args.folder, assignment.notebook)
        except discover.Refused as exc:
            results.write_atomic(args.results, refused(args.folder, str(exc), assignment, args.lang))
            print(f"not graded: {exc}: wrote a score-0 {args.results}", file=sys.stderr)
            return 3
        if chosen is None:
            results.write_atomic(args.results, not_submitted(args.folder, found, assignment, args.lang))
            print(f"no single file to grade in {args.folder} ({len(found)} candidates): wrote a score-0 "
                  f"{args.results}", file=sys.stderr)
            return 3
        # Not resolved: the path names the regular file inside the upload that pick checked.
        print(os.path.abspath(chosen))
    elif args.command == "sandbox-check":
        ok, why = sandbox_usable()
        print(f"sandbox-check: {why}" + ("" if ok else "; grading with resource limits only"), file=sys.stderr)
        return 0 if ok else 1
    elif args.command == "convert":
        try:
            data = json.loads(args.grade_json.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"convert: the grader wrote no usable result (exit status {args.grade_status}): {exc}",
                  file=sys.stderr)
            return 1
        if not isinstance(data, list) or len(data) != 1:
            print(f"convert: expected one result, found {len(data) if isinstance(data, list) else data!r}",
                  file=sys.stderr)
            return 1
        result = data[0]
        if result.get("status") == "grader-error":
            # A bug in the grader, not the student's doing: no results.json, so Gradescope shows a
            # failed run (regrade after fixing) instead of recording a silent 0.
            print(f"convert: grader error, no results.json written: {result.get('reason')}", file=sys.stderr)
            return 1
        name = args.file
        if args.submission_dir and name:
            try:
                name = str(Path(name).resolve().relative_to(args.submission_dir.resolve()))
            except ValueError:
                name = Path(name).name
        elapsed = None
        if args.started is not None:
            elapsed = max(time.time() - args.started, 0.0)
        rules = []
        if args.settings and args.settings.is_file():
            rules = json.loads(args.settings.read_text(encoding="utf-8")).get("visibility", [])
        results.write_atomic(args.results_json, to_results(result, file_name=name, execution_time=elapsed,
                                                           lang=args.lang, visibility=rules))
        print(f"convert: {args.results_json}: {sum(t['score'] for t in result['tests']):g} points", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
