"""Find submissions: a file, a folder of files, or nbgrader's ``submitted/<student>/<assignment>/``.

The result is a list of ``Submission`` sorted by id, so every output is in the same order on every
run. Files that cannot be graded are still listed: reading them is the loader's job, and its
one-line reason ends up in the gradebook.
"""
import dataclasses
import re
from pathlib import Path

SUFFIXES = (".py", ".ipynb")
ASSIGNMENT = "01_backprop_basics"
NOTEBOOK = "backprop_basics.ipynb"
SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git"}


@dataclasses.dataclass(frozen=True)
class Submission:
    id: str          # student id (nbgrader layout) or the file's path relative to the folder given
    path: Path
    given: str       # the path as the user gave it, or the student id in nbgrader's layout (shown in results)
    duplicate_of: tuple = ()   # other paths claiming the same id: then nothing is graded


class DiscoveryError(Exception):
    """A command-line path cannot be used at all (the grader stops with this one-line reason)."""


def _files(folder):
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part in SKIP_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.suffix in SUFFIXES and path.is_file():
            found.append(path)
    return found


def _nbgrader_root(folder):
    """The ``submitted`` folder when ``folder`` is one, or a course root holding one."""
    if (folder / "submitted").is_dir():
        return folder / "submitted"
    if folder.name == "submitted":
        return folder
    return None


def _nbgrader_submissions(submitted, assignment):
    result = []
    for student in sorted(p for p in submitted.iterdir() if p.is_dir() and not p.name.startswith(".")):
        folder = student / assignment
        if not folder.is_dir():
            candidates = [p for p in student.iterdir() if p.is_dir()]
            folder = candidates[0] if len(candidates) == 1 else folder
        notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
        preferred = [p for p in notebooks if p.name == NOTEBOOK]
        path = (preferred or notebooks or [folder / NOTEBOOK])[0]
        result.append(Submission(id=student.name, path=path, given=student.name))
    return result


def submission_id(relative):
    return re.sub(r"\.(py|ipynb)$", "", str(relative).replace("\\", "/"))


def find(paths, assignment=ASSIGNMENT):
    """All submissions under the command-line ``paths``, sorted by id."""
    found = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise DiscoveryError(f"{given}: no such file or folder")
        if path.is_file():
            found.append(Submission(id=submission_id(path.name), path=path, given=given))
            continue
        submitted = _nbgrader_root(path)
        if submitted is not None:
            found.extend(_nbgrader_submissions(submitted, assignment))
            continue
        for file in _files(path):
            found.append(Submission(id=submission_id(file.relative_to(path)), path=file, given=str(file)))
    by_id = {}
    for submission in found:
        by_id.setdefault(submission.id, []).append(submission)
    result = []
    for sid, group in sorted(by_id.items()):
        group = list({s.path.resolve(): s for s in group}.values())   # the same file named twice
        if len(group) == 1:
            result.append(group[0])
        else:
            paths = tuple(s.given for s in group)
            result.extend(dataclasses.replace(s, id=f"{sid} [{i + 1}/{len(group)}]", duplicate_of=paths)
                          for i, s in enumerate(group))
    return result
