"""Generate each assignment's reference module and solved notebook from its nbgrader source notebook.

    python -m solutions.build          # write solutions/<assignment>/<notebook>.{py,ipynb}; sync the source
    python -m solutions.build --check  # exit 1 (saying what to run) if anything is out of date

The source notebook (``source/<assignment>/<notebook>.ipynb``) is the one place the solutions are
written; its metadata names the assignment and the definitions the grader's reference keeps::

    "metadata": {"exercise_kit": {"assignment": "01_backprop_basics",
                                "reference": ["FullyConnectedLayer", "Sigmoid", "TwoLayerNet", "train_xor"]}}

From it this script derives ``solutions/<assignment>/<notebook>.py`` (those definitions, verbatim
from the solved cells) and ``.ipynb`` (the notebook with solution markers and hidden tests removed),
so the grader's reference can never disagree with the notebook. Where the assignment has a grader
package, the points of the source notebook's grade cells (``test_<part>``) are written from its
rubric, so the rubric is the one place points are set.

Two more things are written into every source notebook, so that they are set in one place:

- **Shared cells** (``solutions/cells/*.py``, e.g. the plot-font cell): a code cell whose first line
  is a shared cell's first line gets that file's text. Every notebook has the same font cell.
- **Numbers and settings the grader also uses** (thresholds, the graded training run, the figure's
  palette): the grader package's optional ``notebook.py`` lists them in ``CONSTANTS`` (name -> value,
  read from its rubric); each is the notebook's one top-level line ``NAME = value``, whose value the
  build writes (a comment after two spaces is kept).
"""
import argparse
import ast
import importlib
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "source"
CELLS = ROOT / "solutions" / "cells"
# A top-level assignment in a code cell: `NAME = value`, optionally followed by `  # comment`.
CONSTANT_LINE = re.compile(r"^(?P<name>[A-Z][A-Z0-9_]*) = (?P<value>.*?)(?P<comment>  +#.*)?$")
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


class BuildError(Exception):
    """A source notebook the build cannot use (one-line reason)."""


def solved_source(source):
    """A cell's source as the solved notebook shows it: solution markers and hidden tests removed."""
    lines, hidden = [], False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == HIDDEN_BEGIN:
            hidden = True
        elif stripped == HIDDEN_END:
            hidden = False
        elif not hidden and stripped not in SOLUTION_MARKERS:
            lines.append(line)
    return "\n".join(lines).strip("\n")


def solved_notebook(source_nb):
    nb = nbformat.from_dict(source_nb)
    for cell in nb.cells:
        cell.source = solved_source(cell.source)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def source_notebooks(sources=SOURCES):
    """{assignment id: its source notebook}, from ``<sources>/<assignment>/*.ipynb`` (one notebook each)."""
    found = {}
    for folder in sorted(p for p in Path(sources).iterdir() if p.is_dir()):
        notebooks = sorted(folder.glob("*.ipynb"))
        if len(notebooks) != 1:
            raise BuildError(f"{_shown(folder)}: expected one source notebook, found {len(notebooks)}")
        found[folder.name] = notebooks[0]
    return found


def _shown(path):
    path = Path(path)
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def settings(source_nb, path):
    """The notebook's ``metadata.autograder``: its assignment id and reference names."""
    meta = source_nb.metadata.get("exercise_kit", {})
    if meta.get("assignment") != path.parent.name or not meta.get("reference"):
        raise BuildError(f"{_shown(path)}: its metadata needs \"exercise_kit\": {{\"assignment\": "
                         f"\"{path.parent.name}\", \"reference\": [the definitions the grader compares with]}}")
    return meta


def reference_module(source_nb, path):
    """The reference names' definitions, taken verbatim from the solved cells."""
    names = settings(source_nb, path)["reference"]
    found = {}
    for cell in source_nb.cells:
        if cell.cell_type != "code":
            continue
        source = solved_source(cell.source)
        for node in ast.parse(source).body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and node.name in names:
                found[node.name] = ast.get_source_segment(source, node)
    missing = [name for name in names if name not in found]
    if missing:
        raise BuildError(f"{_shown(path)}: no definition of {', '.join(missing)}")
    title = next((c.source.split("\n")[0].lstrip("# ").strip() for c in source_nb.cells if c.cell_type == "markdown"),
                 path.stem)
    header = (
        f'"""Reference solutions of 「{title}」.\n\n'
        "GENERATED by `python -m solutions.build` from\n"
        f"{_shown(path)} -- edit the notebook, not this file.\n"
        '"""\n'
        "import numpy as np\n"
    )
    return header + "".join(f"\n\n{found[name]}\n" for name in names)


def shared_cells(cells=CELLS):
    """{first line: the cell's text} of every shared cell (``solutions/cells/*.py``)."""
    found = {}
    for path in sorted(Path(cells).glob("*.py")):
        text = path.read_text(encoding="utf-8").strip("\n")
        found[text.split("\n")[0]] = text
    return found


def notebook_constants(assignment):
    """{name: value} the grader package's ``notebook.py`` says the notebook states (``CONSTANTS``), or {}."""
    if assignment is None:
        return {}
    try:
        module = importlib.import_module(f"{assignment.package}.notebook")
    except ModuleNotFoundError as exc:
        if exc.name != f"{assignment.package}.notebook":
            raise
        return {}
    return dict(module.CONSTANTS)


def _lines(text):
    """A cell's text as the list of lines nbformat stores (each but the last ends with a newline)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def _write_constants(cell, constants, seen):
    """Write ``constants``' values into the cell's top-level ``NAME = value`` lines; count them in ``seen``."""
    text = "".join(cell["source"])
    lines = text.split("\n")
    for i, line in enumerate(lines):
        match = CONSTANT_LINE.match(line)
        if match and match["name"] in constants:
            seen[match["name"]] = seen.get(match["name"], 0) + 1
            lines[i] = f"{match['name']} = {constants[match['name']]!r}{match['comment'] or ''}"
    if "\n".join(lines) != text:
        cell["source"] = _lines("\n".join(lines))


def synced_source(path, cells=CELLS):
    """The source notebook's text with its shared cells written from ``solutions/cells/``, and (when
    the assignment has a grader package) its grade cells' points taken from the rubric and the
    numbers its ``notebook.py`` lists written into their lines."""
    text = path.read_text(encoding="utf-8")
    try:
        from autograder import assignments
        assignment = assignments.known().get(path.parent.name)
    except ImportError:
        assignment = None
    data = json.loads(text)
    shared = shared_cells(cells)
    constants, seen = notebook_constants(assignment), {}
    for cell in data["cells"]:
        if cell["cell_type"] != "code":
            continue
        first = "".join(cell["source"]).split("\n")[0]
        if first in shared and "".join(cell["source"]) != shared[first]:
            cell["source"] = _lines(shared[first])
        _write_constants(cell, constants, seen)
    wrong = {name: seen.get(name, 0) for name in constants if seen.get(name, 0) != 1}
    if wrong:
        raise BuildError(f"{_shown(path)}: each of {sorted(constants)} ({assignment.package}.notebook) must be "
                         f"set on exactly one top-level line `NAME = value`; found {wrong}")
    if assignment is None:
        if data == json.loads(text):
            return text
        return json.dumps(data, ensure_ascii=False, indent=1 if '\n "cells"' in text else 2) + "\n"
    for cell in data["cells"]:
        grade = cell.get("metadata", {}).get("nbgrader", {})
        part = grade.get("grade_id", "")[len("test_"):] if grade.get("grade") else None
        if part in assignment.part_points:
            points = assignment.part_points[part]
            grade["points"] = int(points) if float(points).is_integer() else points
    indent = 1 if '\n "cells"' in text else 2
    return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


def outputs(sources=SOURCES, solutions=ROOT / "solutions"):
    """{path: text} of everything the build writes: synced sources, reference modules, solved notebooks."""
    files = {}
    for assignment_id, path in source_notebooks(sources).items():
        files[path] = synced_source(path)
        source_nb = nbformat.reads(files[path], as_version=4)
        stem = Path(solutions) / assignment_id / path.stem
        files[stem.with_suffix(".py")] = reference_module(source_nb, path)
        files[stem.with_suffix(".ipynb")] = nbformat.writes(solved_notebook(source_nb)) + "\n"
    return files


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m solutions.build", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only report files that are out of date")
    parser.add_argument("--sources", type=Path, default=SOURCES, help="the folder of source/<assignment>/ (default: the kit's)")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions",
                        help="where solutions/<assignment>/ go (default: the kit's)")
    args = parser.parse_args(argv)
    try:
        files = outputs(args.sources, args.solutions)
    except BuildError as exc:
        print(f"solutions.build: {exc}", file=sys.stderr)
        return 1
    stale = []
    for path, text in files.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(_shown(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {_shown(path)}")
    if stale:
        print("out of date (run `make release`): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
