"""From a submission file to the definitions the grader executes.

This is the only module that knows what a notebook is. A submission becomes a list of chunks (one
per notebook cell, or one for a ``.py`` file) holding only the top-level statements that define
things: ``import``/``from`` statements whose names the definitions use, ``def`` and ``class``, and
the top-level assignments the definitions read (followed transitively). Training runs, prints,
plots and ``if __name__ == "__main__":`` blocks are blanked out, line numbers kept, so a notebook
grades in the time of its ``.py`` equivalent and a student's error points at the right line.
"""
import ast
import dataclasses
import json
import re

MAX_BYTES = 5 * 1024 * 1024
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
IMPORTS = (ast.Import, ast.ImportFrom)
ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)
# Cell magics whose body is still Python; any other (%%bash, %%writefile, ...) makes the cell not code.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
# Lines only IPython understands: %magic, !shell, x = !shell, ?help, help? / help??
IPYTHON_LINE = re.compile(r"\s*([%!]|[\w.,\s]+=\s*[%!]|\?{1,2}[\w.]+\s*$|[\w.]+\?{1,2}\s*$)")


class LoadError(Exception):
    """The file cannot be read as a submission at all; the message is the one-line reason."""


@dataclasses.dataclass
class Program:
    """What the child executes, and what went wrong on the way."""

    chunks: list                      # [{"origin": "cell 20", "source": "..."}]
    problems: list = dataclasses.field(default_factory=list)   # syntax errors, skipped cells
    notes: list = dataclasses.field(default_factory=list)      # e.g. "not valid UTF-8, replaced"


# ------------------------------------------------------------------ reading files
def read_text(path):
    """Decode a submission file, or raise LoadError with a one-line reason."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    if size == 0:
        raise LoadError(f"{path.name} is empty")
    if size > MAX_BYTES:
        raise LoadError(f"{path.name} is {size / 1024 ** 2:.0f} MB, more than the {MAX_BYTES // 1024 ** 2} MB a submission may be")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192]:
        raise LoadError(f"{path.name} is a binary file, not Python source or a notebook")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return data.decode("utf-8", "replace"), [f"{path.name} is not valid UTF-8 (first bad byte on line {line}); "
                                                   "undecodable bytes were replaced"]


def load_path(path):
    text, notes = read_text(path)
    if path.suffix == ".ipynb":
        program = load_cells(notebook_cells(text, path.name))
    else:
        program = load_cells([(path.name, text)])
    program.notes[:0] = notes
    return program


def notebook_cells(text, name="notebook"):
    """[(origin, source)] of a notebook's code cells; tolerant of metadata lost in other editors."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"{name} is not valid JSON (line {exc.lineno}: {exc.msg}), so not a notebook") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells", nb.get("worksheets")), list):
        raise LoadError(f"{name} is JSON but not a Jupyter notebook (no list of cells)")
    cells = nb.get("cells")
    if cells is None:  # nbformat 3: cells live in worksheets, source is "input"
        cells = [c for ws in nb["worksheets"] if isinstance(ws, dict) for c in ws.get("cells", [])]
    result = []
    for index, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if isinstance(source, str) and source.strip():
            result.append((f"cell {index}", source))
    return result


# ------------------------------------------------------------------ choosing what runs
def strip_magics(source):
    """Blank IPython-only lines (``%magic``, ``!shell``); None when the cell is not Python at all."""
    lines = source.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        if first[2:].split(" ")[0] not in PYTHON_CELL_MAGICS:
            return None
        lines[0] = ""
    return "\n".join("" if IPYTHON_LINE.match(line) else line for line in lines)


def _names_loaded(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} | \
           {n.value.id for n in ast.walk(node) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}


def _names_bound(node):
    if isinstance(node, DEFINITIONS):
        return {node.name}
    if isinstance(node, IMPORTS):
        return {(a.asname or a.name.split(".")[0]) for a in node.names}
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _span(node):
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return first, node.end_lineno


def load_cells(cells):
    """Turn [(origin, source)] into a Program keeping only what the definitions need."""
    problems, parsed = [], []
    for origin, source in cells:
        python = strip_magics(source)
        if python is None:
            continue
        try:
            tree = ast.parse(python)
        except SyntaxError as exc:
            problems.append({"origin": origin, "kind": "SyntaxError", "line": exc.lineno,
                             "message": f"SyntaxError: {exc.msg}"})
            continue
        except (ValueError, MemoryError, RecursionError) as exc:  # null bytes; nesting too deep to parse
            problems.append({"origin": origin, "kind": "SyntaxError", "line": None,
                             "message": f"{type(exc).__name__}: the code cannot be parsed ({str(exc)[:100] or 'too deeply nested'})"})
            continue
        parsed.append((origin, python, tree))

    statements = [(i, node) for i, (_, _, tree) in enumerate(parsed) for node in tree.body]
    keep = {id(node) for _, node in statements if isinstance(node, DEFINITIONS)}
    keep |= {id(node) for _, node in statements
             if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)}
    needed = set().union(*[_names_loaded(node) for _, node in statements if id(node) in keep]) if keep else set()
    changed = True
    while changed:  # follow assignments and imports the kept code reads, transitively
        changed = False
        for _, node in statements:
            if id(node) in keep or not isinstance(node, IMPORTS + ASSIGNMENTS):
                continue
            if _names_bound(node) & needed:
                keep.add(id(node))
                needed |= _names_loaded(node)
                changed = True

    chunks = []
    for i, (origin, python, tree) in enumerate(parsed):
        lines = python.split("\n")
        kept = [False] * len(lines)
        for node in tree.body:
            if id(node) in keep:
                first, last = _span(node)
                for n in range(first - 1, last):
                    kept[n] = True
        if any(kept):
            chunks.append({"origin": origin,
                           "source": "\n".join(line if k else "" for line, k in zip(lines, kept))})
    return Program(chunks=chunks, problems=problems)
