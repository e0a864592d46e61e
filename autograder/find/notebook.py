"""Reading a submission file: its text, and a notebook's code cells. The only module that knows what
a notebook is (JSON, nbformat 3 and 4, IPython magics, nbconvert's exported cell magics).

A notebook becomes ``[(origin, source)]``, one pair per code cell ("cell 3" is the third code cell,
as a student counts); a ``.py`` file is one such pair. ``load`` turns those into a ``Program``.
"""
import ast
import json
import re
from pathlib import Path
from typing import Any

from autograder.find import discover

MAX_BYTES = 5 * 1024 * 1024
# Cell magics whose body is still Python; any other (%%bash, %%writefile, ...) makes the cell not code.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
# A "\r" not followed by "\n" ends a line for Python's tokenizer (and so for ast's line numbers).
LONE_CR = re.compile(r"\r(?!\n)")
# Lines only IPython understands: %magic, !shell, x = !shell, ?help, help? / help??
# Matches exactly what r"\s*([%!]|[\w.,\s]+=\s*[%!]|\?{1,2}[\w.]+\s*$|[\w.]+\?{1,2}\s*$)" does, in
# linear time: that form backtracks from every split of a line's leading whitespace between \s* and
# [\w.,\s]+. "x = !cmd" matched after any leading whitespace also matches at the line's start, and
# the other forms start with a non-space, so \s* need not give back.
IPYTHON_LINE = re.compile(r"[\w.,\s]+=\s*[%!]|\s*+(?:[%!]|\?{1,2}[\w.]+\s*$|[\w.]+\?{1,2}\s*$)")


class LoadError(Exception):
    """The file cannot be read as a submission at all; the message is the one-line reason."""


def read_text(path: Path) -> tuple[str, list[str]]:
    """Decode a submission file: (text, notes), or raise LoadError with a one-line reason. Only a
    regular file is read, never through a link or from a pipe (``discover.read_regular``)."""
    try:
        data, size = discover.read_regular(path, MAX_BYTES)
    except discover.Refused as exc:
        raise LoadError(str(exc)) from None
    if size == 0:
        raise LoadError(f"{path.name} is empty")
    if size > MAX_BYTES:
        raise LoadError(f"{path.name} is {size / 1024 ** 2:.0f} MB, "
                        f"more than the {MAX_BYTES // 1024 ** 2} MB a submission may be")
    if b"\x00" in data[:8192]:
        raise LoadError(f"{path.name} is a binary file, not Python source or a notebook")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return data.decode("utf-8", "replace"), [f"{path.name} is not valid UTF-8 (first bad byte on line {line}); "
                                                   "undecodable bytes were replaced"]


def first_line(source: str) -> str:
    """The first line of a cell that is not blank, as a student sees it at the top of the cell."""
    return next((line.strip() for line in source.split("\n") if line.strip()), "")[:80]


def notebook_cells(text: str, name: str = "notebook", info: dict | None = None) -> list[tuple[str, str]]:
    """[(origin, source)] of a notebook's code cells; tolerant of metadata lost in other editors.

    Origins count code cells only, from the top ("cell 3" is the third code cell), because that is
    what a student can count; ``info`` (if given) receives each origin's first line and the
    nbgrader ``grade_id`` of an exercise cell, which the feedback shows beside the number."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"{name} is not valid JSON (line {exc.lineno}: {exc.msg}), so not a notebook") from None
    except RecursionError:  # e.g. "metadata": [[[...]]] 60,000 levels deep
        raise LoadError(f"{name} is JSON nested too deeply to read, so not a notebook") from None
    except MemoryError:
        raise LoadError(f"{name} is JSON too large to read into memory, so not a notebook") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise LoadError(f"{name} is not valid JSON ({str(exc).split(':')[0][:100]}), so not a notebook") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells", nb.get("worksheets")), list):
        raise LoadError(f"{name} is JSON but not a Jupyter notebook (no list of cells)")
    cells = nb.get("cells")
    if cells is None:  # nbformat 3: cells live in worksheets, source is "input"
        cells = [c for ws in nb["worksheets"] if isinstance(ws, dict) for c in ws.get("cells", [])]
    result, index = [], 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        index += 1
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if isinstance(source, str) and source.strip():
            origin = f"cell {index}"
            result.append((origin, source))
            if info is not None:
                metadata = cell.get("metadata")
                nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
                label = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
                info[origin] = {"first_line": first_line(source), "label": label if isinstance(label, str) else ""}
    return result


def file_cells(path: Path, text: str, info: dict | None = None) -> list[tuple[str, str]]:
    """[(origin, source)] of a submission file's text: a notebook's code cells, or a ``.py`` file whole."""
    if path.suffix == ".ipynb":
        return notebook_cells(text, path.name, info)
    return [(path.name, text)]


def strip_magics(source: str) -> str | None:
    """Blank IPython-only lines (``%magic``, ``!shell``); None when the cell is not Python at all."""
    lines = source.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        if first[2:].split(" ")[0] not in PYTHON_CELL_MAGICS:
            return None
        lines[0] = ""
    return "\n".join("" if IPYTHON_LINE.match(line) else line for line in lines)


def python_source(source: str) -> str | None:
    """A cell's Python as the loader reads it: lone "\\r" as line ends, IPython lines blanked; None
    when the cell is not Python (``strip_magics``). Lines are later found by ``split("\\n")``."""
    return strip_magics(LONE_CR.sub("\n", source))


def exported_cell_magics(origin: str, tree: ast.Module) -> list[tuple[str, str]]:
    """[(origin, source)] of the Python cell magics in a notebook exported to .py by nbconvert: a
    ``%%time`` cell becomes ``get_ipython().run_cell_magic('time', '', 'def train_xor(...):\\n ...')``,
    its code a string."""
    found = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == "run_cell_magic" and len(call.args) == 3
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args)):
            continue
        arguments: list[Any] = call.args
        name, _, code = (a.value for a in arguments)
        if name in PYTHON_CELL_MAGICS:
            python = python_source(code)
            if python is not None:
                found.append((f"{origin} (%%{name} at line {node.lineno})", python))
    return found
