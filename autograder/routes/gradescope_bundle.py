"""Gradescope: build ``autograder.zip`` on the instructor's machine (what runs inside it is ``gradescope``).

``build(out_path)`` writes the zip. Gradescope extracts it into ``/autograder/source``, runs
``setup.sh`` once when it builds the image, then, for every submission, copies ``run_autograder`` to
``/autograder/run_autograder`` and runs it with the student's files in ``/autograder/submission``;
whatever ``/autograder/results/results.json`` holds afterwards is the grade
(https://gradescope-autograders.readthedocs.io/en/latest/specs/). Zip layout, all at its root::

    setup.sh           apt: python3-venv, bubblewrap, libseccomp2 if missing; venv /autograder/venv;
                       pip -r requirements.txt; source/ made readable by root only (student code runs as
                       'nobody' without bubblewrap)
    run_autograder     picks the submission file, runs `python -m autograder grade`, converts the result
    requirements.txt   only what grading needs (numpy, pytest, pyseccomp), pinned as in this repository's
                       requirements.txt
    gradescope.json    the bundle's settings: feedback language, per-test visibility
    autograder/        the engine and the assignment's package only
    solutions/         __init__.py and the assignment's reference module only: what the checks compare with
    external/          an assignment package from outside the kit (AUTOGRADER_ASSIGNMENTS), if it is one

Never in it: tests/, assignments/, the source/ notebooks, the solved notebooks, solutions/build.py,
other assignments, nor the modules that need them (demo.py, course.py, the samples) or nbgrader
(nbgrader.py): grading reads the reference module and nothing with nbformat.
"""
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

from autograder import messages
from autograder.assignment import Assignment

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints"}
# Modules for building samples and the demo: they read solutions/build.py and the notebooks, which
# the bundle leaves out, and grading never imports them.
LEFT_OUT = {"autograder/course", "autograder/routes/nbgrader.py", "sample.py"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)            # fixed timestamps: the same tree gives the same bytes

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
PYTHONPATH="$SOURCE" "$VENV/bin/python" -c \
    'import autograder.cli, autograder.checks.plugin, autograder.routes.gradescope'
PYTHONPATH="$SOURCE" "$VENV/bin/python" -c \
    'import sys; from autograder.sandbox import seccomp; sys.exit(seccomp.problem() or None)'
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
def bundle_files(assignment: Assignment, root: Path = ROOT) -> dict[str, Path]:
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
    package = assignment.package_folder
    base, prefix = (root, "") if package.is_relative_to(root / "autograder") else (package.parent, "external/")
    for path in sorted(package.rglob("*")):
        inside = path.relative_to(base)
        if (path.is_file() and path.suffix == ".py" and path.name not in LEFT_OUT
                and not any(part in SKIP_DIRS or part.startswith(".") for part in inside.parts)):
            files[prefix + inside.as_posix()] = path
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


def grading_requirements(root: Path = ROOT) -> str:
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


def parse_visibility(items: Iterable[str]) -> list[list[str]]:
    """``["train_xor*=after_published", "Sigmoid=hidden"]`` (fnmatch on a test's name or its part)
    as [[pattern, visibility]]; ValueError with a one-line reason otherwise."""
    rules = []
    for item in items:
        pattern, _, value = item.partition("=")
        if not pattern or value not in VISIBILITIES:
            raise ValueError(f"--visibility {item}: give PATTERN=VALUE, VALUE one of {', '.join(VISIBILITIES)}")
        rules.append([pattern, value])
    return rules


def _add(archive: zipfile.ZipFile, name: str, data: str | bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ((0o100755 if executable else 0o100644) & 0xFFFF) << 16
    archive.writestr(info, data)


def build(out_path: str | Path, assignment: Assignment, *, lang: str = "zh", visibility: Iterable[str] = ()) -> Path:
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
