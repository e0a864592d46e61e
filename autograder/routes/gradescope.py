"""Gradescope: build ``autograder.zip``, and (inside it) turn one graded submission into results.json.

``build(out_path)`` writes the zip. Gradescope extracts it into ``/autograder/source``, runs
``setup.sh`` once when it builds the image, then, for every submission, copies ``run_autograder`` to
``/autograder/run_autograder`` and runs it with the student's files in ``/autograder/submission``;
whatever ``/autograder/results/results.json`` holds afterwards is the grade
(https://gradescope-autograders.readthedocs.io/en/latest/specs/). Zip layout, all at its root::

    setup.sh           apt: python3-venv, bubblewrap, libseccomp2 if missing; venv /autograder/venv; pip -r requirements.txt;
                       source/ made readable by root only (student code runs as 'nobody' without bubblewrap)
    run_autograder     picks the submission file, runs `python -m autograder grade`, converts the result
    requirements.txt   only what grading needs (numpy, pytest, pyseccomp), pinned as in this repository's requirements.txt
    gradescope.json    the bundle's settings: feedback language, per-test visibility
    autograder/        the engine (this module is the run-time helper) and the assignment's package only
    solutions/         __init__.py and the assignment's reference module only: what the checks compare with
    external/          an assignment package from outside the kit (AUTOGRADER_ASSIGNMENTS), if it is one

Never in it: tests/, assignments/, the source/ notebooks, the solved notebooks, solutions/build.py,
other assignments, nor the modules that need them (demo.py, course.py, the samples) or nbgrader
(nbgrader.py): grading reads the reference module and nothing with nbformat.

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
import zipfile
from pathlib import Path

from autograder import assignments, messages, results, sandbox
from autograder.find import discover

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"}
# Modules for building samples and the demo: they read solutions/build.py and the notebooks, which
# the bundle leaves out, and grading never imports them.
LEFT_OUT = {"autograder/course", "autograder/routes/nbgrader.py", "sample.py"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)            # fixed timestamps: the same tree gives the same bytes

# The keys Gradescope's results.json defines for a test; the kit's other keys go into extra_data.
TEST_KEYS = ("name", "score", "max_score", "status", "output", "tags", "visibility")
# Grading imports numpy (the sandbox), pytest (the checks) and pyseccomp (the sandbox's system-call
# filter); nothing else (not nbgrader, Jupyter, matplotlib): their pins come from requirements.txt.
GRADING_REQUIREMENTS = ("numpy", "pytest", "pyseccomp")
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04: python3.10).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"

need=()
if command -v python3 >/dev/null 2>&1; then
    # Debian's python3 has a venv module that cannot bootstrap pip without python3-venv: try one.
    probe="$(mktemp -d)"
    python3 -m venv "$probe/venv" >/dev/null 2>&1 || need+=(python3-venv)
    rm -rf "$probe"
else
    need+=(python3 python3-venv)
fi
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || need+=(libseccomp2)
if [ ${#need[@]} -gt 0 ]; then
    echo "setup.sh: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${need[@]}"
fi
python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' || {
    echo "setup.sh: the grader needs Python 3.10 or newer, found $(python3 --version 2>&1)" >&2
    echo "setup.sh: choose the Ubuntu 22.04 (or newer) base image on Gradescope" >&2
    exit 1
}

python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -r "$SOURCE/requirements.txt"
chmod +x "$SOURCE/run_autograder"
# The grader runs as root; where bubblewrap cannot start (containers often forbid user namespaces)
# student code runs as 'nobody', which must not read the reference or the checks.
chmod -R go-rwx "$SOURCE"
chmod o+x "$ROOT"

# Fail the build now, not at the first submission, if the grader cannot start here.
cd "$SOURCE"
PYTHONPATH="$SOURCE" "$VENV/bin/python" -c 'import autograder.cli, autograder.checks.plugin, autograder.routes.gradescope'
PYTHONPATH="$SOURCE" "$VENV/bin/python" -c 'import sys; from autograder.sandbox import seccomp; sys.exit(seccomp.problem() or None)'
PYTHONPATH="$SOURCE" "$VENV/bin/python" -m autograder.routes.gradescope sandbox-check || true
echo "setup.sh: done"
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope copies this to /autograder/run_autograder and runs it once per submission (cwd /autograder).
# AUTOGRADER_ROOT / AUTOGRADER_PYTHON point it elsewhere (the kit's tests run it in a temporary folder).
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
SUBMISSION="$ROOT/submission"
RESULTS="$ROOT/results"
PY="${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}"
LANG_FEEDBACK="${AUTOGRADER_LANG:-@LANG@}"
export PYTHONPATH="$SOURCE${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1 MPLBACKEND=Agg
mkdir -p "$RESULTS"
rm -f "$RESULTS/results.json"
cd "$SOURCE" || exit 1
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

ASSIGNMENT="@ASSIGNMENT@"
if [ -d "$SOURCE/external" ]; then export AUTOGRADER_ASSIGNMENTS="$SOURCE/external"; fi

# The one file to grade; with none (or several and not the assignment's notebook) the helper writes
# a score-0 results.json that says what was expected.
if ! FILE="$("$PY" -m autograder.routes.gradescope pick "$SUBMISSION" --results "$RESULTS/results.json" \
        --assignment "$ASSIGNMENT" --lang "$LANG_FEEDBACK")"; then
    if [ -s "$RESULTS/results.json" ]; then exit 0; fi
    echo "run_autograder: could not choose a submission file" >&2
    exit 1
fi
echo "run_autograder: grading $FILE"

# Where bubblewrap cannot start (Docker often forbids the user namespaces it needs) the grader finds
# out itself and runs student code with resource limits as 'nobody'; it says which in its first line.
STARTED="$(date +%s.%N)"
"$PY" -m autograder grade "$FILE" --assignment "$ASSIGNMENT" --json "$WORK/grade.json" \
    --results-dir "$WORK/results" --force --quiet --jobs 1 --lang "$LANG_FEEDBACK"
STATUS=$?
if [ "$STATUS" -ne 0 ] || [ ! -s "$WORK/grade.json" ]; then
    for log in "$WORK"/results/.worker-*.log; do
        [ -s "$log" ] && { echo "---- $log"; tail -n 80 "$log"; }
    done
fi

# No results.json (Gradescope then reports a failed autograder run) when the grader itself failed.
"$PY" -m autograder.routes.gradescope convert "$WORK/grade.json" "$RESULTS/results.json" \
    --file "$FILE" --submission-dir "$SUBMISSION" --grade-status "$STATUS" --started "$STARTED" \
    --lang "$LANG_FEEDBACK" --settings "$SOURCE/gradescope.json"
"""


# ------------------------------------------------------------------ building the zip
def bundle_files(assignment, root=ROOT):
    """Path in the zip -> file on disk: the engine, the assignment's package and reference module.
    A package from outside the kit goes under external/ (run_autograder points AUTOGRADER_ASSIGNMENTS
    there), its reference beside it."""
    files = {}
    engine = root / "autograder"
    engine_files = [p for p in engine.rglob("*.py") if p.relative_to(engine).parts[0] != "assignments"
                    and "__pycache__" not in p.parts]
    for path in sorted(engine_files) + [engine / "assignments" / "__init__.py"]:
        relative = path.relative_to(root).as_posix()
        if not any(relative == left or relative.startswith(left + "/") for left in LEFT_OUT):
            files[relative] = path
    package = Path(assignment.folder)
    base, prefix = (root, "") if package.is_relative_to(root / "autograder") else (package.parent, "external/")
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(base)
        if (path.is_file() and path.suffix == ".py" and path.name not in LEFT_OUT
                and not any(part in SKIP_DIRS or part.startswith(".") for part in relative.parts)):
            files[prefix + relative.as_posix()] = path
    reference = Path(assignment.reference)
    if not reference.is_file():
        raise FileNotFoundError(f"{reference}: the reference module, needed in the Gradescope bundle")
    if reference.is_relative_to(root / "solutions"):
        files["solutions/__init__.py"] = root / "solutions" / "__init__.py"
        files[reference.relative_to(root).as_posix()] = reference
    elif reference.is_relative_to(base):
        files[prefix + reference.relative_to(base).as_posix()] = reference
    else:
        raise FileNotFoundError(f"{reference}: a reference outside its package's folder cannot be bundled")
    return files


def grading_requirements(root=ROOT):
    """requirements.txt's pins of what grading imports (GRADING_REQUIREMENTS), as the bundle installs them."""
    lines = []
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = line.split("#")[0].strip().split("==")[0].split(">=")[0].strip().lower()
        if name in GRADING_REQUIREMENTS:
            lines.append(line.split("#")[0].strip())
    missing = set(GRADING_REQUIREMENTS) - {line.split("=")[0].split(">")[0].lower() for line in lines}
    if missing:
        raise ValueError(f"requirements.txt pins no {', '.join(sorted(missing))}")
    return "# What grading imports, pinned as in the kit's requirements.txt (written by the bundle).\n" + \
        "\n".join(lines) + "\n"


def parse_visibility(items):
    """``["train_xor*=after_published", "Sigmoid=hidden"]`` (fnmatch on a test's name or its part)
    as [[pattern, visibility]]; ValueError with a one-line reason otherwise."""
    rules = []
    for item in items:
        pattern, _, value = item.partition("=")
        if not pattern or value not in VISIBILITIES:
            raise ValueError(f"--visibility {item}: give PATTERN=VALUE, VALUE one of {', '.join(VISIBILITIES)}")
        rules.append([pattern, value])
    return rules


def visibility_of(test_name, part, rules):
    """The visibility of a test: the last rule matching its name or its part, else Gradescope's default."""
    chosen = None
    for pattern, value in rules:
        if fnmatch.fnmatchcase(test_name, pattern) or fnmatch.fnmatchcase(part, pattern):
            chosen = value
    return chosen


def _add(archive, name, data, executable=False):
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ((0o100755 if executable else 0o100644) & 0xFFFF) << 16
    archive.writestr(info, data)


def build(out_path, assignment, *, lang="zh", visibility=()):
    """Write the Gradescope autograder bundle to ``out_path`` and return its path.

    ``lang`` ("zh" or "en") is the feedback language baked into ``run_autograder``; ``visibility``
    the per-test visibility rules (``parse_visibility``) baked into ``gradescope.json``.
    """
    if lang not in messages.LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(messages.LANGUAGES)}, not {lang!r}")
    rules = parse_visibility(visibility)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    with zipfile.ZipFile(tmp, "w") as archive:
        _add(archive, "setup.sh", SETUP_SH, executable=True)
        _add(archive, "run_autograder", RUN_AUTOGRADER.replace("@LANG@", lang).replace("@ASSIGNMENT@", assignment.id),
             executable=True)
        for name, path in bundle_files(assignment).items():
            _add(archive, name, path.read_bytes())
        _add(archive, "requirements.txt", grading_requirements())
        _add(archive, "gradescope.json", json.dumps({"assignment": assignment.id, "lang": lang, "visibility": rules},
                                                    indent=1) + "\n")
    tmp.replace(out_path)
    return out_path


# ------------------------------------------------------------------ run time, inside Gradescope
def _entries(folder):
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(discover.entries(folder), key=lambda s: str(s.path))


def candidates(folder):
    """The .ipynb and .py files a student uploaded (hidden files and caches ignored), sorted: regular
    files only -- a symbolic link (``x.py -> ../source/solutions/...``), a pipe or a folder named
    like one is never a candidate to read (``pick`` says why it is not graded)."""
    return [s.path for s in _entries(folder) if not s.problem]


def pick(folder, notebook):
    """(file to grade, None) or (None, why not): the assignment's ``notebook`` (the shallowest), else
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
    return chosen.path, None


def refused(folder, reason: str, assignment, lang: str = "zh") -> dict:
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


def _ungraded_tests(reason, assignment):
    return [{k: v for k, v in results.TestResult(t.name, 0.0, t.points, output=reason, part=t.part).to_gradescope().items()
             if k in TEST_KEYS} for t in assignment.tests]


def not_submitted(folder, found: list, assignment, lang: str = "zh") -> dict:
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
               visibility=()) -> dict:
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
    parts = {}
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


def sandbox_usable():
    """(usable, description): False only when bubblewrap is installed but cannot start a child here."""
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


def main(argv=None):
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
        print(build(args.out, assignments.get(args.assignment), lang=args.lang))
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
            import time
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
