"""Which assignment a class's submissions are for: named, or told by the submissions themselves."""
import json
from collections.abc import Iterable
from pathlib import Path

from autograder import assignments
from autograder.assignment import Assignment
from autograder.find import discover
from autograder.errors import UsageError

METADATA_BYTES = 20 * 1024 * 1024   # of a notebook read only for its metadata


def _notebook_assignment(path: Path) -> str | None:
    """The assignment id a notebook's metadata carries (the release puts it there), or None."""
    try:
        data, _ = discover.read_regular(path, METADATA_BYTES)
        metadata = json.loads(data).get("metadata", {})
        value = metadata.get("exercise_kit", {}).get("assignment")
        return value if isinstance(value, str) else None
    except (discover.Refused, ValueError, AttributeError, RecursionError, MemoryError):
        return None


def choose_assignment(paths: Iterable[str | Path], name: str | None = None) -> Assignment:
    """The Assignment the submissions under ``paths`` are for: ``name`` if given, else nbgrader's
    assignment folders, else the notebooks' metadata. UsageError when they mix assignments or
    nothing tells (a folder of .py files without ``--assignment``)."""
    known = assignments.known()
    listing = ", ".join(known)
    if name is not None:
        try:
            return assignments.get(name)
        except assignments.UnknownAssignment as exc:
            raise UsageError(str(exc)) from None
    paths = list(paths)
    for given in paths:
        if not Path(given).exists():
            raise UsageError(f"{discover.name_text(given)}: no such file or folder")
    folders = discover.nbgrader_assignment_names(paths) & set(known)
    if len(folders) > 1:
        raise UsageError(f"the submissions mix assignments {' and '.join(sorted(folders))}: grade one at a time "
                         "with --assignment NAME")
    if folders:
        return known[folders.pop()]
    tagged: dict[str, list] = {}      # assignment id -> the notebooks whose metadata names it
    for given in paths:
        path = Path(given)
        files = [path] if path.is_file() else [s.path for s in discover.entries(path) if not s.problem]
        for f in files:
            found = _notebook_assignment(f) if Path(f).suffix == ".ipynb" else None
            if found is not None and found in known:
                tagged.setdefault(found, []).append(f)
    if len(tagged) > 1:
        # Name how many of each and one file, so a single odd notebook (or edited metadata) stands out.
        mix = " and ".join(f"{name} ({len(files)}, e.g. {discover.name_text(Path(files[0]).name)})"
                           for name, files in sorted(tagged.items(), key=lambda item: -len(item[1])))
        raise UsageError(f"the notebooks mix assignments {mix}: grade one at a time with --assignment NAME")
    if tagged:
        return known[next(iter(tagged))]
    raise UsageError(f"cannot tell which assignment these submissions are for; give --assignment NAME "
                     f"(one of: {listing})")
