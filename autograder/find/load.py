"""From a submission file to the program the grader executes.

A submission becomes a ``Program``: a list of chunks (one per notebook cell, or one for a ``.py``
file) holding only the top-level statements the assignment's entry points (``Assignment.entry_points``,
e.g. 01's ``Sigmoid``, ``TwoLayerNet``, ``train_xor``) need: their ``class``/``def`` and, followed
transitively (``statements``), the functions, constants and imports they read. Training runs,
prints, plots and ``if __name__ == "__main__":`` blocks are blanked out, line numbers kept, so a
notebook grades in the time of its ``.py`` equivalent and a student's error points at the right
line. Reading files and notebooks is ``notebook``'s.
"""
import ast
import dataclasses
from collections.abc import Collection, Sequence
from pathlib import Path

from autograder.find import statements
from autograder.find.notebook import LoadError, exported_cell_magics, file_cells, python_source, read_text
from autograder.find.notebook import MAX_BYTES, notebook_cells  # noqa: F401 -- callers read files through load too
from autograder.find.statements import DEFINITIONS, IMPORTS

# All code cells together (after IPython lines are blanked). Checked before parsing: ast.parse costs
# up to ~3 s and ~850 MB of the grading process per MB of adversarial code (1 MB of "0\n"), and every
# later step is linear in the code's size, so this bounds a submission's loading. A typical
# submission has a few KB of code; outputs and images do not count.
MAX_CODE_CHARS = 1024 * 1024
MAX_UNUSED_IMPORTS = 50
PARSE_ERRORS = (SyntaxError, ValueError, MemoryError, RecursionError)   # null bytes; nesting too deep to parse


@dataclasses.dataclass
class Program:
    """What the child executes, and what went wrong on the way."""

    chunks: list[dict]                # [{"origin": "cell 12", "source": "..."}]
    problems: list[dict] = dataclasses.field(default_factory=list)   # syntax errors, skipped cells
    notes: list[str] = dataclasses.field(default_factory=list)       # e.g. "not valid UTF-8, replaced"
    # imports nothing graded reads: never executed, the child only checks that the module exists
    unused_imports: list[dict] = dataclasses.field(default_factory=list)   # [{"origin", "line", "modules"}]
    # how a student finds each origin: {"cell 12": {"first_line": "class Sigmoid:", "label": "Sigmoid"}}
    cells: dict[str, dict] = dataclasses.field(default_factory=dict)


def load_path(path: Path, entry_points: Collection[str], course_modules: Collection[str] = ()) -> Program:
    """The Program of a submission file (a notebook or a ``.py`` file); LoadError when it cannot be read."""
    text, notes = read_text(path)
    info: dict = {}
    program = load_cells(file_cells(path, text, info), entry_points, course_modules)
    program.cells = info
    program.notes[:0] = notes
    return program


def _unused_import(node: ast.Import | ast.ImportFrom, origin: str) -> dict | None:
    """An import nothing graded reads: never executed; the child only checks the module exists."""
    if isinstance(node, ast.ImportFrom):
        if node.level or not node.module or node.module == "__future__":
            return None
        modules = [node.module]
    else:
        modules = [a.name for a in node.names]
    return {"origin": origin, "line": node.lineno, "modules": modules}


class _ParseCache:
    """Parsed cells and what their statements bind, by source text, for one process's life.

    A class's notebooks are mostly the same cells (the release's text, the given code), and
    parsing and walking them was a third of the grader's own time per notebook. Trees are only read
    after parsing, so one tree can serve every notebook with that cell -- but not two cells of one
    notebook: statements are told apart by ``id``, so a repeated cell gets a tree of its own."""

    SIZE = 512

    def __init__(self):
        self.entries = {}

    def parse(self, python, taken):
        """(tree, bindings of each top-level statement); SyntaxError and friends as ``ast.parse``."""
        entry = self.entries.pop(python, None) if python not in taken else None
        if entry is None:
            tree = ast.parse(python)
            entry = (tree, {id(node): statements.names_bound(node) for node in tree.body})
        if python not in taken:
            taken.add(python)
            self.entries[python] = entry     # most recently used last
            while len(self.entries) > self.SIZE:
                self.entries.pop(next(iter(self.entries)))
        return entry


_parse_cache = _ParseCache()


def _parse(sources):
    """(parsed, bindings, problems): [(origin, python, tree)] of the cells that parse (and of the cell
    magics an nbconvert export holds), what their statements bind, and a problem per cell that does not."""
    problems, parsed, bindings, taken = [], [], {}, set()
    for origin, python in sources:
        try:
            tree, bound = _parse_cache.parse(python, taken)
            bindings.update(bound)
        except SyntaxError as exc:
            problems.append({"origin": origin, "kind": "SyntaxError", "line": exc.lineno,
                             "message": f"SyntaxError: {exc.msg}"})
            continue
        except PARSE_ERRORS as exc:
            problems.append({"origin": origin, "kind": "SyntaxError", "line": None,
                             "message": f"{type(exc).__name__}: the code cannot be parsed "
                                        f"({str(exc)[:100] or 'too deeply nested'})"})
            continue
        parsed.append((origin, python, tree))
        for magic_origin, code in exported_cell_magics(origin, tree):
            try:
                parsed.append((magic_origin, code, ast.parse(code)))
            except PARSE_ERRORS as exc:
                problems.append({"origin": magic_origin, "kind": "SyntaxError", "line": getattr(exc, "lineno", None),
                                 "message": f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"})
    return parsed, bindings, problems


def _needed(parsed, bindings, entry_points):
    """(ids of the statements to keep, each parsed cell's lines where they were needed).

    Starts from the entry points and follows every top-level name they read, transitively: the
    statements that bind it, whatever their form (def, class, import, assignment, try/if/for/with
    blocks, functions that set it through ``global``), the ones that build it (``T[k] = v``,
    ``C.method = f``, ``T.append(v)`` on data), and what those read in turn. Training runs, prints,
    plots and ``__main__`` blocks bind nothing graded code reads, so they never run. A worklist over
    an index name -> statements: each statement's names are computed once, each name followed once,
    so the work is linear in the code."""
    keep, cell_of = set(), {}
    binders, stored, called, callers, affected_by, data_names = {}, {}, {}, {}, {}, set()
    for cell, (_, _, tree) in enumerate(parsed):
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                keep.add(id(node))     # kept whatever it binds; what it reads is not followed
                continue
            if statements.is_main_block(node):
                continue
            cell_of[id(node)] = cell
            found = bindings.get(id(node)) or statements.names_bound(node)
            for names, index in ((found.bound, binders), (found.stored, stored), (found.called, called),
                                 (found.calls, callers)):
                for name in names:
                    index.setdefault(name, []).append(node)
            if found.data:
                data_names.update(found.bound)
            # A function that sets globals: the statements calling it build those globals too.
            if isinstance(node, DEFINITIONS):
                for name, by_call in found.effects:
                    affected_by.setdefault(name, []).append((node.name, by_call))
    cell_lines, cell_future = {}, {}

    def context_of(node):
        cell = cell_of[id(node)]
        if cell not in cell_lines:
            cell_lines[cell] = parsed[cell][1].split("\n")
            cell_future[cell] = statements.future_features(parsed[cell][2])
        return lambda: (cell_lines[cell], cell_future[cell])

    pending, followed = list(entry_points), set(entry_points)
    while pending:
        name = pending.pop()
        builders = binders.get(name, []) + stored.get(name, []) + (called.get(name, []) if name in data_names else [])
        for function, by_call in affected_by.get(name, ()):
            if name in data_names or not by_call:
                builders += callers.get(function, [])
        for node in builders:
            if id(node) in keep:
                continue
            keep.add(id(node))
            for read in statements.names_read(node, context_of(node)) - followed:
                followed.add(read)
                pending.append(read)
    return keep, cell_lines


def load_cells(cells: Sequence[tuple[str, str]], entry_points: Collection[str],
               course_modules: Collection[str] = ()) -> Program:
    """Turn [(origin, source)] into a Program keeping only what the entry points need."""
    pythons = [(origin, python_source(source)) for origin, source in cells]
    sources = [(origin, python) for origin, python in pythons if python is not None]
    size = sum(len(python) for _, python in sources)
    if size > MAX_CODE_CHARS:
        raise LoadError(f"the code is {size:,} characters long, more than the {MAX_CODE_CHARS:,} a submission may have")
    parsed, bindings, problems = _parse(sources)
    keep, cell_lines = _needed(parsed, bindings, entry_points)
    chunks, unused = [], []
    for cell, (origin, python, tree) in enumerate(parsed):
        for node in tree.body:
            if isinstance(node, IMPORTS) and id(node) not in keep:
                entry = _unused_import(node, origin)
                # the course's own modules (the notebook imports them) are not the student's doing
                if entry and not all(m.split(".")[0] in course_modules for m in entry["modules"]):
                    unused.append(entry)
        spans = [statements.span(node) for node in tree.body if id(node) in keep]
        if not spans:
            continue
        lines = cell_lines.get(cell) or python.split("\n")
        kept = [False] * len(lines)
        for first, last in spans:
            kept[first - 1:last] = [True] * (last - first + 1)
        chunks.append({"origin": origin,
                       "source": "\n".join(line if k else "" for line, k in zip(lines, kept))})
    return Program(chunks=chunks, problems=problems, unused_imports=unused[:MAX_UNUSED_IMPORTS])
