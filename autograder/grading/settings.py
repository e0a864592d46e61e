"""How a results folder's views are made, kept in the folder beside the results it holds.

The results folder is the gradebook; ``.views.json`` in it remembers which assignment it holds and
how its views were last written (the JSON, CSV and Canvas files, the feedback folder, the class
report, the roster, the due date, the language). A later run into the same folder -- one student
regraded, a shard, a merge -- takes every option it is not given from there, so each view stays
consistent without the instructor repeating the flags; an option given on the command line wins and
is remembered. Paths are kept absolute (a later run may start in another folder).
"""
from __future__ import annotations

import json
from pathlib import Path

from autograder.errors import UsageError
from autograder.results import write_atomic

FILE = ".views.json"   # hidden: a result file is never hidden, so no student id can name it
# option name -> its command-line flag; the options a folder remembers.
FLAGS = {
    "assignment": "--assignment", "json_path": "--json", "csv_path": "--csv", "canvas_path": "--canvas",
    "canvas_name": "--canvas-name", "feedback_dir": "--feedback", "report_dir": "--report", "roster": "--roster",
    "due": "--due", "lang": "--lang", "similarity": "--similarity",
}
PATHS = {"json_path", "csv_path", "canvas_path", "feedback_dir", "report_dir", "roster"}


def read(results_dir: str | Path) -> dict:
    """The options ``results_dir`` remembers ({} when it remembers none); UsageError when its file
    cannot be read."""
    path = Path(results_dir) / FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the folder's recorded options ({type(exc).__name__}); "
                         "fix or delete it") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: not an object of options; fix or delete it")
    return {k: v for k, v in data.items() if k in FLAGS and v is not None}


def combine(given: dict, recorded: dict) -> tuple[dict, list[str]]:
    """``given`` with every option it leaves out (None) taken from ``recorded``; and the flags so
    taken, for the line that says so."""
    merged, taken = dict(given), []
    for name, value in recorded.items():
        if name in merged and merged[name] is None:
            merged[name] = value
            taken.append(f"{FLAGS[name]} {value}")
    return merged, taken


def remember(results_dir: str | Path, options: dict) -> None:
    """Write the options in force into ``results_dir``'s ``views.json`` (paths made absolute)."""
    kept = {}
    for name in FLAGS:
        value = options.get(name)
        if value is None:
            continue
        kept[name] = str(Path(value).resolve()) if name in PATHS else value
    write_atomic(Path(results_dir) / FILE, kept)


def taken_line(results_dir: str | Path, taken: list[str]) -> str:
    """The one line that says which options came from the folder (empty when none did)."""
    if not taken:
        return ""
    return f"as recorded in {Path(results_dir) / FILE}: {' '.join(taken)} (an option given here replaces it)"
