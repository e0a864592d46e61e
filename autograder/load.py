"""From a submission file to the definitions the grader executes.

This is the only module that knows what a notebook is. A submission becomes a list of chunks (one
per notebook cell, or one for a ``.py`` file) holding only the top-level statements the student API
(``Sigmoid``, ``TwoLayerNet``, ``train_xor``, ``FullyConnectedLayer``) needs: their ``class``/``def``
and, followed transitively, the functions, constants and imports they read. Training runs, prints,
plots and ``if __name__ == "__main__":`` blocks are blanked out, line numbers kept, so a notebook
grades in the time of its ``.py`` equivalent and a student's error points at the right line.
"""
import ast
import dataclasses
import json
import re
import symtable

MAX_BYTES = 5 * 1024 * 1024
# The names the grader calls; everything executed is what these need.
ENTRY_POINTS = ("FullyConnectedLayer", "Sigmoid", "TwoLayerNet", "train_xor")
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
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _globals_read(table):
    """Module-level names a function or class body reads (its locals and parameters are not)."""
    if table.get_type() == "function":
        names = set(table.get_globals())
    else:
        names = {s.get_name() for s in table.get_symbols() if s.is_referenced() and not s.is_assigned()}
    for child in table.get_children():
        names |= _globals_read(child)
    return names


def _names_read(node, tables):
    """Module-level names a top-level statement reads when it runs or when its functions run."""
    if not isinstance(node, DEFINITIONS):
        return _names_loaded(node)
    table = tables.get((node.name, node.lineno))
    at_definition = list(node.decorator_list)
    if isinstance(node, ast.ClassDef):
        at_definition += node.bases + [k.value for k in node.keywords]
    else:
        at_definition += node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
    names = set().union(*[_names_loaded(n) for n in at_definition]) if at_definition else set()
    return names | (_globals_read(table) if table is not None else _names_loaded(node))


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
        try:
            module = symtable.symtable(python, origin, "exec")
            tables = {(t.get_name(), t.get_lineno()): t for t in module.get_children()}
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            tables = {}
        parsed.append((origin, python, tree, tables))

    statements = [(tables, node) for (_, _, tree, tables) in parsed for node in tree.body]
    # Start from the student API and follow every top-level name it reads, transitively: helpers,
    # constants and imports it uses are kept, the notebook's plotting set-up and demos are not.
    keep = {id(node) for _, node in statements
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)}
    needed = set(ENTRY_POINTS)
    changed = True
    while changed:
        changed = False
        for tables, node in statements:
            if id(node) in keep or not isinstance(node, DEFINITIONS + IMPORTS + ASSIGNMENTS):
                continue
            if _names_bound(node) & needed:
                keep.add(id(node))
                needed |= _names_read(node, tables)
                changed = True

    chunks = []
    for origin, python, tree, _ in parsed:
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
