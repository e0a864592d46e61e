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
# All code cells together (after IPython lines are blanked). Checked before parsing: ast.parse costs
# up to ~3 s and ~850 MB of the grading process per MB of adversarial code (1 MB of "0\n"), and every
# later step is linear in the code's size, so this bounds a submission's loading. A typical
# submission has a few KB of code; outputs and images do not count.
MAX_CODE_CHARS = 1024 * 1024
# The names the grader calls; everything executed is what these need.
ENTRY_POINTS = ("FullyConnectedLayer", "Sigmoid", "TwoLayerNet", "train_xor")
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
IMPORTS = (ast.Import, ast.ImportFrom)
ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)
# Cell magics whose body is still Python; any other (%%bash, %%writefile, ...) makes the cell not code.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
# A "\r" not followed by "\n" ends a line for Python's tokenizer (and so for ast's line numbers).
LONE_CR = re.compile(r"\r(?!\n)")
# Lines only IPython understands: %magic, !shell, x = !shell, ?help, help? / help??
# Matches exactly what r"\s*([%!]|[\w.,\s]+=\s*[%!]|\?{1,2}[\w.]+\s*$|[\w.]+\?{1,2}\s*$)" does, in
# linear time: that form backtracks from every split of a line's leading whitespace between \s* and
# [\w.,\s]+ (a 40,000-space line took 21 s). "x = !cmd" matched after any leading whitespace also
# matches at the line's start, and the other forms start with a non-space, so \s* need not give back.
IPYTHON_LINE = re.compile(r"[\w.,\s]+=\s*[%!]|\s*+(?:[%!]|\?{1,2}[\w.]+\s*$|[\w.]+\?{1,2}\s*$)")


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


def _names_in(node, loaded_only):
    """The ids of the ``ast.Name`` nodes in ``node`` (only those read, if ``loaded_only``).

    ``ast.walk`` with a filter does the same, four times slower: this runs on every statement."""
    names, stack = set(), [node]
    while stack:
        node = stack.pop()
        if type(node) is ast.Name:
            if not loaded_only or type(node.ctx) is ast.Load:
                names.add(node.id)
            continue
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))
    return names


def _names_loaded(node):
    return _names_in(node, loaded_only=True)


def _globals_read(table):
    """Module-level names a function or class body reads (its locals and parameters are not)."""
    names, pending = set(), [table]
    while pending:  # a stack, not recursion: lambdas nest deeper than Python's recursion limit
        table = pending.pop()
        if table.get_type() == "function":
            names.update(table.get_globals())
        else:
            names.update(s.get_name() for s in _symbols(table) if s.is_referenced() and not s.is_assigned())
        pending.extend(table.get_children())
    return names


def _symbols(table):
    """``table.get_symbols()`` in linear time. That looks up each name's namespaces by scanning all
    the table's children: a class of 30,000 methods took 32 s. Only the flags are needed here."""
    flags = getattr(getattr(table, "_table", None), "symbols", None)   # what get_symbols reads
    if not isinstance(flags, dict):
        return table.get_symbols()
    return [symtable.Symbol(name, flag) for name, flag in flags.items()]


def _definition_table(node, lines, future):
    """The symbol table of a top-level ``def``/``class``, or None when symtable refuses it.

    Built from the definition's own lines, not its whole cell: symtable then costs what the kept
    definitions cost. A top-level definition's scopes do not depend on the rest of the module,
    except for its ``from __future__`` imports (``annotations`` hides annotation names), which are
    put in front of it."""
    first, last = _span(node)
    header = f"from __future__ import {', '.join(future)}\n" if future else ""
    try:
        module = symtable.symtable(header + "\n".join(lines[first - 1:last]), "definition", "exec")
        children = module.get_children()
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    lineno = node.lineno - first + 1 + bool(header)
    return next((t for t in children if (t.get_name(), t.get_lineno()) == (node.name, lineno)), None)


def _names_read(node, table):
    """Module-level names a top-level statement reads when it runs or when its functions run."""
    if not isinstance(node, DEFINITIONS):
        return _names_loaded(node)
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
    return set().union(*[_names_in(t, loaded_only=False) for t in targets])


def _span(node):
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return first, node.end_lineno


def _future_features(tree):
    """The ``from __future__`` imports at the head of a module (after its docstring)."""
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    features = []
    for node in body:
        if not (isinstance(node, ast.ImportFrom) and node.module == "__future__" and not node.level):
            break
        features += [a.name for a in node.names]
    return features


def load_cells(cells):
    """Turn [(origin, source)] into a Program keeping only what the definitions need."""
    # Lines are found by split("\n") (IPython lines, kept spans): a lone "\r" must count as a line end too.
    sources = [(origin, strip_magics(LONE_CR.sub("\n", source))) for origin, source in cells]
    sources = [(origin, python) for origin, python in sources if python is not None]
    size = sum(len(python) for _, python in sources)
    if size > MAX_CODE_CHARS:
        raise LoadError(f"the code is {size:,} characters long, more than the {MAX_CODE_CHARS:,} a submission may have")
    problems, parsed = [], []
    for origin, python in sources:
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

    # Start from the student API and follow every top-level name it reads, transitively: helpers,
    # constants and imports it uses are kept, the notebook's plotting set-up and demos are not.
    # A worklist over an index name -> statements binding it: each statement's names are computed
    # once, each name is followed once, so the work is linear in the code (a fixed-point loop over
    # all statements took quadratic time on a chain "a1 = a0", "a2 = a1", ...).
    keep, binders, cell_of = set(), {}, {}
    for cell, (_, _, tree) in enumerate(parsed):
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                keep.add(id(node))     # kept whatever it binds; what it reads is not followed
            elif isinstance(node, DEFINITIONS + IMPORTS + ASSIGNMENTS):
                cell_of[id(node)] = cell
                for name in _names_bound(node):
                    binders.setdefault(name, []).append(node)
    cell_lines, cell_future = {}, {}
    pending, followed = list(ENTRY_POINTS), set(ENTRY_POINTS)
    while pending:
        for node in binders.get(pending.pop(), ()):
            if id(node) in keep:
                continue
            keep.add(id(node))
            table = None
            if isinstance(node, DEFINITIONS):
                cell = cell_of[id(node)]
                if cell not in cell_lines:
                    cell_lines[cell] = parsed[cell][1].split("\n")
                    cell_future[cell] = _future_features(parsed[cell][2])
                table = _definition_table(node, cell_lines[cell], cell_future[cell])
            for name in _names_read(node, table) - followed:
                followed.add(name)
                pending.append(name)

    chunks = []
    for cell, (origin, python, tree) in enumerate(parsed):
        spans = [_span(node) for node in tree.body if id(node) in keep]
        if not spans:
            continue
        lines = cell_lines.get(cell) or python.split("\n")
        kept = [False] * len(lines)
        for first, last in spans:
            kept[first - 1:last] = [True] * (last - first + 1)
        chunks.append({"origin": origin,
                       "source": "\n".join(line if k else "" for line, k in zip(lines, kept))})
    return Program(chunks=chunks, problems=problems)
