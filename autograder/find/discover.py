"""Find submissions: a file, a folder of files, or nbgrader's ``submitted/<student>/<assignment>/``.

The result is a list of ``Submission`` sorted by id, so every output is in the same order on every
run. Every entry that looks like a submission is listed, whatever it is: a file that cannot be read
is the loader's to explain, and an entry that is not a regular file inside the folder given -- a
symbolic link (wherever it points), a named pipe, a device, a folder named ``x.ipynb`` -- carries its
one-line reason in ``problem`` and is never opened. Discovery itself only lists folders and
``lstat``s entries: nothing it does can block, follow a link or recurse without bound.

The command-line paths themselves are the instructor's: a symbolic link given there is followed.

Ids are text: a file name's bytes that are not UTF-8 are written ``\\xNN`` and a backslash ``\\\\``
(``name_text``), so every id is valid Unicode, distinct names give distinct ids, and the JSON can
hold them exactly.
"""
import dataclasses
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from autograder.assignment import Assignment

SUFFIXES = (".py", ".ipynb")
SKIP_DIRS = {".ipynb_checkpoints", "__pycache__", ".git"}
ONLY_REGULAR = "only regular files inside the submitted folder are graded"


@dataclasses.dataclass(frozen=True)
class Submission:
    id: str          # student id (nbgrader layout) or the file's path relative to the folder given
    path: Path
    given: str       # the path as the user gave it, or the student id in nbgrader's layout (shown in results)
    duplicate_of: tuple = ()   # other paths claiming the same id: then nothing is graded
    problem: str = ""          # why this entry is not read at all (a load-error reason): then nothing is graded
    submitted_at: str = ""     # nbgrader's timestamp.txt beside the notebook, as written there


class DiscoveryError(Exception):
    """A command-line path cannot be used at all (the grader stops with this one-line reason)."""


class Refused(Exception):
    """A path that must not be read as a submission (the message is the one-line reason)."""


def name_text(name: str | Path) -> str:
    """A file name (or path) as text: bytes that are not UTF-8 as ``\\xNN``, a backslash as ``\\\\``.
    Injective, so two names never give one id."""
    raw = os.fsencode(name).replace(b"\\", b"\\\\")
    return raw.decode("utf-8", "backslashreplace")


def submission_id(relative: str | Path) -> str:
    """The id of a file at ``relative`` (a path inside the folder given): its parts, suffix dropped."""
    parts = [name_text(p) for p in Path(relative).parts]
    text = "/".join(parts)
    for suffix in SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def describe_entry(path: str | Path, st: os.stat_result, root: str | Path | None = None) -> str:
    """The one-line reason a non-regular entry is not graded (``st`` is its ``lstat``)."""
    name = name_text(Path(path).name)
    if stat.S_ISLNK(st.st_mode):
        try:
            target = name_text(os.readlink(path))
        except OSError:
            target = "?"
        target = target if len(target) <= 200 else target[:200] + "…"
        where = ""
        if root is not None:
            resolved = os.path.realpath(path)
            inside = os.path.realpath(root)
            if not os.path.exists(resolved):
                where = ", which does not exist or loops"
            elif resolved != inside and not resolved.startswith(inside.rstrip(os.sep) + os.sep):
                where = ", outside the submitted folder"
            else:
                where = ", inside the submitted folder"
        return f"{name} is a symbolic link (to {target}{where}): {ONLY_REGULAR}"
    kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode)
            else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
    return f"{name} is {kind}: {ONLY_REGULAR}"


def read_regular(path: str | Path, limit: int) -> tuple[bytes, int]:
    """``(first limit + 1 bytes, size)`` of the regular file at ``path``, else ``Refused``.

    Never follows a symbolic link in the last part of the path (``O_NOFOLLOW``), never waits on a
    named pipe (``O_NONBLOCK``), never reads anything but a regular file (``fstat`` of what was
    opened): safe on any path discovery returned, even if the entry was swapped since."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    name = name_text(Path(path).name)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if os.path.islink(path):
            raise Refused(describe_entry(path, os.lstat(path))) from None
        raise Refused(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(describe_entry(path, st))
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            block = os.read(fd, min(left, 1 << 20))
            if not block:
                break
            chunks.append(block)
            left -= len(block)
        return b"".join(chunks), st.st_size
    except OSError as exc:
        raise Refused(f"cannot read {name}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _lstat(path):
    try:
        return os.lstat(path)
    except OSError:
        return None


def _entry(path, relative_id, given, st, root):
    if st is not None and stat.S_ISREG(st.st_mode):
        return Submission(id=relative_id, path=Path(path), given=given)
    problem = describe_entry(path, st, root) if st is not None else f"cannot read {name_text(Path(path).name)}"
    return Submission(id=relative_id, path=Path(path), given=given, problem=problem)


def entries(folder: str | Path) -> list[Submission]:
    """Every entry under ``folder`` whose name ends in .py/.ipynb, as Submissions; hidden names and
    caches skipped. Iterative (no depth limit); symbolic links to folders are not followed; a folder
    that cannot be listed is a row of its own, so nothing below it goes missing silently."""
    found: list[Submission] = []
    stack: list[tuple[str, tuple[str, ...]]] = [(os.fspath(folder), ())]
    while stack:
        current, parts = stack.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            if parts:   # the folder given is listed by the caller; a sub-folder becomes a row
                relative = "/".join(name_text(p) for p in parts)
                found.append(Submission(id=relative, path=Path(current), given=name_text(current),
                                        problem=f"the folder {relative} could not be read ({exc.strerror or exc}); "
                                                "submissions in it, if any, were not graded"))
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name in SKIP_DIRS:
                continue
            st = _lstat(entry.path)
            looks_like = entry.name.endswith(SUFFIXES)
            if st is not None and stat.S_ISDIR(st.st_mode):
                stack.append((entry.path, parts + (entry.name,)))
            if looks_like:
                found.append(_entry(entry.path, submission_id(Path(*parts, entry.name)), name_text(entry.path),
                                    st, folder))
    return found


def all_names(folder: str | Path, limit: int = 200) -> list[str]:
    """Relative names (as text) of the non-folder entries under ``folder``, hidden ones skipped, at
    most ``limit``: what a student uploaded, for a message. Iterative; links are not followed."""
    names: list[str] = []
    stack: list[tuple[str, tuple[str, ...]]] = [(os.fspath(folder), ())]
    while stack and len(names) < limit:
        current, parts = stack.pop()
        for entry in _listing(current):
            st = _lstat(entry.path)
            if st is not None and stat.S_ISDIR(st.st_mode):
                stack.append((entry.path, parts + (entry.name,)))
            else:
                names.append("/".join(name_text(p) for p in parts + (entry.name,)))
    return sorted(names)[:limit]


def _nbgrader_root(folder):
    """The ``submitted`` folder when ``folder`` is one, or a course root holding one."""
    if (folder / "submitted").is_dir():
        return folder / "submitted"
    if folder.name == "submitted":
        return folder
    return None


def _listing(folder):
    try:
        with os.scandir(folder) as listing:
            return sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return []


def _nbgrader_submission(student, assignment):
    """``submitted/<student>/<assignment id>/<notebook>``: the assignment's notebook, else the only one."""
    sid = name_text(student.name)
    st = _lstat(student.path)
    if st is None or not stat.S_ISDIR(st.st_mode):
        return Submission(id=sid, path=Path(student.path), given=sid, problem=describe_entry(student.path, st, None)
                          if st is not None else f"cannot read {sid}")
    folder = os.path.join(student.path, assignment.id)
    folder_st = _lstat(folder)
    if folder_st is not None and not stat.S_ISDIR(folder_st.st_mode):
        return Submission(id=sid, path=Path(folder), given=sid, problem=describe_entry(folder, folder_st, student.path))
    notebooks = [e for e in _listing(folder) if e.name.endswith(".ipynb")] if folder_st is not None else []
    preferred = [e for e in notebooks if e.name == assignment.notebook]
    chosen = (preferred or notebooks or [None])[0]
    stamp = _timestamp(folder) if folder_st is not None else ""
    if chosen is None:   # the loader says "cannot read backprop_basics.ipynb: No such file or directory"
        return Submission(id=sid, path=Path(folder) / assignment.notebook, given=sid, submitted_at=stamp)
    return dataclasses.replace(_entry(chosen.path, sid, sid, _lstat(chosen.path), student.path), submitted_at=stamp)


def _timestamp(folder):
    """nbgrader's ``timestamp.txt`` (written by ``nbgrader collect``/the exchange), read as a regular file only."""
    try:
        data, _ = read_regular(os.path.join(folder, "timestamp.txt"), 200)
    except Refused:
        return ""
    return data[:200].decode("utf-8", "replace").strip()


class _Student:
    """A student folder named on the command line, shaped like the ``os.DirEntry`` of a listing."""

    def __init__(self, path):
        self.path, self.name = str(path), Path(path).name


def _in_submitted(path):
    """``(student folder, rest)`` when ``path`` is a student's folder, assignment folder or file inside
    nbgrader's ``submitted/`` (a one-student regrade keeps the student's id), else None."""
    parts = Path(os.path.abspath(path)).parts
    for depth in (1, 2, 3):
        if len(parts) > depth and parts[-depth - 1] == "submitted":
            return Path(*parts[:len(parts) - depth + 1]), parts[len(parts) - depth + 1:]
    return None


def _nbgrader_submissions(submitted, assignment):
    """One Submission per student folder; an entry of ``submitted/`` that is a link or anything but
    a folder or a regular file is a row with its reason."""
    result = []
    for student in _listing(submitted):
        st = _lstat(student.path)
        if st is not None and stat.S_ISREG(st.st_mode):
            continue   # a file beside the student folders is the instructor's, not a student
        result.append(_nbgrader_submission(student, assignment))
    return result


def nbgrader_assignment_names(paths: Iterable[str | Path]) -> set[str]:
    """The assignment folders in nbgrader layouts under the command-line ``paths``
    (``submitted/<student>/<assignment>/``): what tells which assignment a class is."""
    names = set()
    for given in paths:
        path = Path(given)
        inside = _in_submitted(path) if path.exists() else None
        if inside is not None:
            student, rest = inside
            if rest:
                names.add(rest[0])
                continue
            folders = [student]
        else:
            submitted = _nbgrader_root(path) if path.is_dir() else None
            folders = [Path(e.path) for e in _listing(submitted)] if submitted is not None else []
        for student in folders:
            st = _lstat(student)
            if st is not None and stat.S_ISDIR(st.st_mode):
                names.update(e.name for e in _listing(student) if (s := _lstat(e.path)) and stat.S_ISDIR(s.st_mode))
    return names


def find(paths: Iterable[str | Path], assignment: Assignment) -> list[Submission]:
    """All submissions of ``assignment`` under the command-line ``paths``, sorted by id."""
    found = []
    for given in paths:
        path = Path(given)
        try:
            st = os.stat(path)    # the instructor's own path: a link here is followed
        except OSError:
            raise DiscoveryError(f"{name_text(given)}: no such file or folder") from None
        inside = _in_submitted(path)
        if inside is not None and (stat.S_ISDIR(st.st_mode) or len(inside[1]) == 2):
            # submitted/<student>[/<assignment>[/<notebook>]]: that student, by nbgrader's rules
            found.append(_nbgrader_submission(_Student(inside[0]), assignment))
        elif stat.S_ISREG(st.st_mode):
            found.append(Submission(id=submission_id(path.name), path=Path(os.path.realpath(path)),
                                    given=name_text(given)))
        elif stat.S_ISDIR(st.st_mode):
            submitted = _nbgrader_root(path)
            if submitted is not None:
                found.extend(_nbgrader_submissions(submitted, assignment))
            else:
                found.extend(entries(path))
        else:
            found.append(Submission(id=submission_id(path.name), path=path, given=name_text(given),
                                    problem=describe_entry(path, st)))
    by_id: dict[str, list[Submission]] = {}
    for submission in found:
        by_id.setdefault(submission.id, []).append(submission)
    result = []
    for sid, group in sorted(by_id.items()):
        group = list({_identity(s): s for s in group}.values())   # the same file named twice
        if len(group) == 1:
            result.append(group[0])
        else:
            paths = tuple(s.given for s in group)
            result.extend(dataclasses.replace(s, id=f"{sid} [{i + 1}/{len(group)}]", duplicate_of=paths)
                          for i, s in enumerate(group))
    return result


def _identity(submission):
    st = _lstat(submission.path)
    if st is not None and stat.S_ISREG(st.st_mode) and not submission.problem:
        return ("file", st.st_dev, st.st_ino)
    return ("entry", os.path.abspath(submission.path))
