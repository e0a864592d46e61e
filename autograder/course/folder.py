"""``python -m autograder course DIR``: an nbgrader course folder that uses the kit.

It writes ``DIR/nbgrader_config.py`` (the kit's settings through ``autograder.routes.nbgrader.configure``)
and copies the assignments' source notebooks into ``DIR/source/``. Everything else is nbgrader's
usual layout, created by nbgrader itself (``release/``, ``submitted/``, ``autograded/``,
``feedback/``, ``gradebook.db``). The grading environment is any environment where this kit is
installed (``pip install /path/to/kit[nbgrader]``) or this checkout's venv.
"""
import shutil
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path

from autograder import assignments as registry
from autograder.assignment import Assignment

ROOT = Path(__file__).resolve().parents[2]
DATA = "backprop-exercise-kit"
CONFIG = '''"""nbgrader configuration of this course (written by `python -m autograder course`).

The kit's settings: stubs that name what to implement, deleted test cells restored, grading by the
kit's sandboxed autograder (no kernel runs a student's code), feedback without hidden tests.
"""
from autograder.routes.nbgrader import configure

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = {course_id!r}
configure(c, lang={lang!r})
'''


class CourseError(Exception):
    """The course folder cannot be written (one-line reason)."""


def source_root() -> Path:
    """Where the assignments' nbgrader source notebooks are: this checkout, or the installed copy."""
    candidates = [ROOT / "source", Path(sysconfig.get_path("data")) / "share" / DATA / "source",
                  Path(sys.prefix) / "share" / DATA / "source"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise CourseError("the assignments' source notebooks are not installed (looked in "
                      + ", ".join(str(c) for c in candidates) + ")")


def source_folder(assignment: Assignment) -> Path:
    """The assignment's nbgrader source folder: where its package says, or the installed copy."""
    if Path(assignment.source).is_dir():
        return Path(assignment.source)
    return source_root() / assignment.id


def assignments() -> list[str]:
    """The assignments a course can use: those with a grader package and a source notebook."""
    found = []
    for assignment in registry.known().values():
        try:
            if list(source_folder(assignment).glob("*.ipynb")):
                found.append(assignment.id)
        except CourseError:
            continue
    return found


def create(folder: str | Path, *, names: Iterable[str] | None = None, lang: str = "zh",
           force: bool = False) -> list[str]:
    """Write the course folder; returns the assignments it holds."""
    folder = Path(folder)
    available = assignments()
    names = list(names or available)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise CourseError(f"unknown assignment {unknown[0]!r}; the kit has: {', '.join(available)}")
    config = folder / "nbgrader_config.py"
    if config.exists() and not force:
        raise CourseError(f"{config} exists; --force overwrites it (and the kit's source notebooks)")
    folder.mkdir(parents=True, exist_ok=True)
    config.write_text(CONFIG.format(course_id=folder.resolve().name, lang=lang), encoding="utf-8")
    for name in names:
        target = folder / "source" / name
        target.mkdir(parents=True, exist_ok=True)
        for notebook in sorted(source_folder(registry.get(name)).glob("*.ipynb")):
            shutil.copyfile(notebook, target / notebook.name)
    return names


def next_steps(folder: str | Path, names: list[str]) -> str:
    """What to do next in the course folder, as shell lines."""
    first = names[0]
    return "\n".join([
        f"course folder ready: {folder}",
        "next (with this environment's nbgrader, its bin folder on PATH -- e.g. after `source .venv/bin/activate`):",
        f"  cd {folder}",
        f"  nbgrader generate_assignment {first}     # the student release, in release/{first}/",
        f"  # collect submissions into submitted/<student>/{first}/",
        f"  nbgrader autograde {first}",
        "  nbgrader export                              # grades.csv",
        f"  nbgrader generate_feedback {first}",
    ])
