"""From a submission file to the definitions the grader executes.

This is the only module that knows what a notebook is. A submission becomes a list of chunks (one
per notebook cell, or one for a ``.py`` file) holding only the top-level statements the assignment's entry points
(``Assignment.entry_points``, e.g. 01's ``Sigmoid``, ``TwoLayerNet``, ``train_xor``) need: their ``class``/``def``
and, followed transitively, the functions, constants and imports they read. Training runs, prints,
plots and ``if __name__ == "__main__":`` blocks are blanked out, line numbers kept, so a notebook
grades in the time of its ``.py`` equivalent and a student's error points at the right line.
"""
import ast
import dataclasses
import json
import re
import symtable

from autograder.find import discover

MAX_BYTES = 5 * 1024 * 1024
# All code cells together (after IPython lines are blanked). Checked before parsing: ast.parse costs
# up to ~3 s and ~850 MB of the grading process per MB of adversarial code (1 MB of "0\n"), and every
# later step is linear in the code's size, so this bounds a submission's loading. A typical
# submission has a few KB of code; outputs and images do not count.
MAX_CODE_CHARS = 1024 * 1024
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

    chunks: list                      # [{"origin": "cell 12", "source": "..."}]
    problems: list = dataclasses.field(default_factory=list)   # syntax errors, skipped cells
    notes: list = dataclasses.field(default_factory=list)      # e.g. "not valid UTF-8, replaced"
    # imports nothing graded reads: never executed, the child only checks that the module exists
    unused_imports: list = dataclasses.field(default_factory=list)   # [{"origin", "line", "modules"}]
    # how a student finds each origin: {"cell 12": {"first_line": "class Sigmoid:", "label": "Sigmoid"}}
    cells: dict = dataclasses.field(default_factory=dict)


# ------------------------------------------------------------------ reading files
def read_text(path):
    """Decode a submission file, or raise LoadError with a one-line reason. Only a regular file is
    read, never through a link or from a pipe (discover.read_regular), whoever asks."""
    try:
        data, size = discover.read_regular(path, MAX_BYTES)
    except discover.Refused as exc:
        raise LoadError(str(exc)) from None
    if size == 0:
        raise LoadError(f"{path.name} is empty")
    if size > MAX_BYTES:
        raise LoadError(f"{path.name} is {size / 1024 ** 2:.0f} MB, more than the {MAX_BYTES // 1024 ** 2} MB a submission may be")
    if b"\x00" in data[:8192]:
        raise LoadError(f"{path.name} is a binary file, not Python source or a notebook")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return data.decode("utf-8", "replace"), [f"{path.name} is not valid UTF-8 (first bad byte on line {line}); "
                                                   "undecodable bytes were replaced"]


def load_path(path, entry_points, course_modules=()):
    text, notes = read_text(path)
    if path.suffix == ".ipynb":
        info = {}
        program = load_cells(notebook_cells(text, path.name, info), entry_points, course_modules)
        program.cells = info
    else:
        program = load_cells([(path.name, text)], entry_points, course_modules)
    program.notes[:0] = notes
    return program


def first_line(source):
    """The first line of a cell that is not blank, as a student sees it at the top of the cell."""
    return next((line.strip() for line in source.split("\n") if line.strip()), "")[:80]


def notebook_cells(text, name="notebook", info=None):
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


COMPOUND = tuple(getattr(ast, name) for name in ("If", "For", "AsyncFor", "While", "With", "AsyncWith", "Try",
                                                  "TryStar", "Match") if hasattr(ast, name))
# Scopes of their own inside a statement: what they read is found by symtable, not by walking them.
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp,
                 ast.DictComp, ast.GeneratorExp)
# Statements that bind a name to data (not a def, a class or a module): only for such names do method
# calls (``TABLE.append(...)``) count as building the value.
DATA_BINDERS = ASSIGNMENTS + COMPOUND


def is_main_block(node):
    """``if __name__ == "__main__":`` -- never run, whatever it binds."""
    test = getattr(node, "test", None)
    if not isinstance(node, ast.If) or not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    sides = [test.left, test.comparators[0]]
    return (isinstance(test.ops[0], ast.Eq) and any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


def _root_name(node):
    """``x`` of ``x.a[1].b``; None when the chain starts with anything but a name (a call, a literal)."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _function_effects(definition):
    """Module-level names a top-level function binds or builds when it is called, as ``(name, by_call)``:
    the ones it declares ``global``, globals whose items or attributes it sets (``REGISTRY[k] = f``)
    and, with ``by_call`` True, globals whose methods it calls (``LOG.append(x)``: building LOG only if
    LOG is data, not a module). A name is taken as global unless the function binds it itself (a
    parameter, a local assignment); nested functions count as part of it."""
    declared, local, touched, called = set(), set(), set(), set()
    for node in _walk(definition):
        kind = type(node)
        if kind is ast.Global:
            declared.update(node.names)
        elif kind is ast.Name and type(node.ctx) is not ast.Load:
            local.add(node.id)
        elif kind is ast.arg:
            local.add(node.arg)
        elif kind in (ast.Attribute, ast.Subscript) and type(node.ctx) is not ast.Load:
            touched.add(_root_name(node))
        elif kind is ast.Call and isinstance(node.func, ast.Attribute):
            called.add(_root_name(node.func.value))
    if isinstance(definition, ast.ClassDef):
        return {(name, False) for name in declared}   # its methods act only when something calls them

    def is_global(name):
        return name and (name in declared or name not in local)
    return ({(name, False) for name in declared | touched if is_global(name)}
            | {(name, True) for name in called if is_global(name)})


def _decorator_calls(definition):
    """``@register`` and ``@register(...)`` call ``register`` where the definition stands."""
    names = set()
    for decorator in definition.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Name):
            names.add(target.id)
    return names


def _walk(node):
    """``ast.walk`` without the generator overhead (this runs on every statement)."""
    stack, out = [node], []
    while stack:
        node = stack.pop()
        out.append(node)
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))
    return out


def _children(node):
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, ast.AST))


def _evaluated_here(node):
    """The parts of a nested scope evaluated where it stands: decorators, defaults, bases, the first
    iterable of a comprehension. Their bodies run later, in their own scope."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.decorator_list + node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
    if isinstance(node, ast.ClassDef):
        return node.decorator_list + node.bases + [k.value for k in node.keywords]
    if isinstance(node, ast.Lambda):
        return node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
    return [node.generators[0].iter]   # a comprehension


@dataclasses.dataclass
class Bindings:
    """What one top-level statement does to module-level names."""

    bound: set                # names it (re)binds: targets, imports, defs, classes
    stored: set               # names whose attributes or items it sets (``T[k] = v``, ``C.m = f``, setattr)
    called: set               # names it calls a method of (``T.append(v)``): building T, if T is data
    calls: set = dataclasses.field(default_factory=set)     # functions it calls (decorators included)
    effects: set = dataclasses.field(default_factory=set)   # a function's: names it binds or builds when called
    data: bool = False        # it binds names to data (an assignment or a compound statement)


def _names_bound(node):
    """The module-level names a top-level statement binds or builds, whatever its form."""
    if isinstance(node, DEFINITIONS):
        return Bindings({node.name}, set(), set(), calls=_decorator_calls(node), effects=_function_effects(node))
    if isinstance(node, IMPORTS):
        return Bindings({(a.asname or a.name.split(".")[0]) for a in node.names if a.name != "*"}, set(), set())
    found = Bindings(set(), set(), set(), data=isinstance(node, DATA_BINDERS))
    stack = [node]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if kind is ast.Name and type(node.ctx) is not ast.Load:
                found.bound.add(node.id)
            continue
        if isinstance(node, NESTED_SCOPES):
            if isinstance(node, DEFINITIONS):
                found.bound.add(node.name)
                found.calls.update(_decorator_calls(node))
                found.effects.update(_function_effects(node))
            stack.extend(_evaluated_here(node))
            continue
        if isinstance(node, IMPORTS):
            found.bound.update((a.asname or a.name.split(".")[0]) for a in node.names if a.name != "*")
            continue
        if kind in (ast.Attribute, ast.Subscript) and type(node.ctx) is not ast.Load:
            root = _root_name(node)
            if root:
                found.stored.add(root)
        elif kind is ast.Call:
            if isinstance(node.func, ast.Name):
                found.calls.add(node.func.id)
            if isinstance(node.func, ast.Attribute):
                root = _root_name(node.func.value)
                if root:
                    found.called.add(root)
            elif isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr") and node.args:
                root = _root_name(node.args[0])
                if root:
                    found.stored.add(root)
        elif kind is ast.ExceptHandler and node.name:
            found.bound.add(node.name)
        elif kind.__name__ in ("MatchAs", "MatchStar") and node.name:
            found.bound.add(node.name)
        elif kind.__name__ == "MatchMapping" and node.rest:
            found.bound.add(node.rest)
        stack.extend(_children(node))
    return found


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



def _exported_cell_magics(origin, tree):
    """The code of Python cell magics in a notebook exported to .py by nbconvert: a ``%%time`` cell
    becomes ``get_ipython().run_cell_magic('time', '', 'def train_xor(...):\\n ...')``, its code a string."""
    found = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == "run_cell_magic" and len(call.args) == 3
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args)):
            continue
        name, _, code = (a.value for a in call.args)
        if name in PYTHON_CELL_MAGICS:
            python = strip_magics(LONE_CR.sub("\n", code))
            if python is not None:
                found.append((f"{origin} (%%{name} at line {node.lineno})", python))
    return found


def _statement_table(node, lines, future):
    """The symbol table of a top-level statement's own lines (with its module's ``from __future__``
    imports in front), or None when symtable refuses it. Built per kept statement, never for the
    whole module: symtable then costs what the kept statements cost."""
    first, last = _span(node)
    header = f"from __future__ import {', '.join(future)}\n" if future else ""
    try:
        module = symtable.symtable(header + "\n".join(lines[first - 1:last]), "statement", "exec")
        module.get_children()
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return module


def _module_level_reads(node):
    """Names a compound statement reads in module scope: its tests, iterables, right-hand sides,
    decorators and defaults -- not what its loops, ``with`` and ``except`` clauses bind for
    themselves (``for k in KEYS: TABLE[k] = ...`` reads KEYS and TABLE, not another ``k``)."""
    loads, own = set(), set()
    stack = [node]
    while stack:
        node = stack.pop()
        if type(node) is ast.Name:
            if type(node.ctx) is ast.Load:
                loads.add(node.id)
            continue
        if isinstance(node, NESTED_SCOPES):
            stack.extend(_evaluated_here(node))
            continue
        target = None
        if isinstance(node, (ast.For, ast.AsyncFor)):
            target = node.target
        elif isinstance(node, ast.withitem):
            target = node.optional_vars
        elif isinstance(node, ast.ExceptHandler) and node.name:
            own.add(node.name)
        elif type(node).__name__ in ("MatchAs", "MatchStar") and node.name:
            own.add(node.name)
        if target is not None:
            own.update(n.id for n in _walk(target) if type(n) is ast.Name)
        stack.extend(_children(node))
    return loads - own


def _names_read(node, context):
    """Module-level names a kept top-level statement reads when it runs or when its functions run.
    ``context()`` gives the statement's cell lines and ``from __future__`` features (for symtable)."""
    if isinstance(node, DEFINITIONS):
        at_definition = _evaluated_here(node)
        names = set().union(*[_names_loaded(n) for n in at_definition]) if at_definition else set()
        table = _definition_table(node, *context())
        return names | (_globals_read(table) if table is not None else _names_loaded(node))
    if isinstance(node, COMPOUND):
        table = _statement_table(node, *context())
        if table is None:
            return _names_loaded(node)
        names = _module_level_reads(node)
        for child in table.get_children():
            names |= _globals_read(child)
        return names
    return _names_loaded(node)


def _unused_import(node, origin):
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
            entry = (tree, {id(node): _names_bound(node) for node in tree.body})
        if python not in taken:
            taken.add(python)
            self.entries[python] = entry     # most recently used last
            while len(self.entries) > self.SIZE:
                self.entries.pop(next(iter(self.entries)))
        return entry


_parse_cache = _ParseCache()


def load_cells(cells, entry_points, course_modules=()):
    """Turn [(origin, source)] into a Program keeping only what the definitions need."""
    # Lines are found by split("\n") (IPython lines, kept spans): a lone "\r" must count as a line end too.
    sources = [(origin, strip_magics(LONE_CR.sub("\n", source))) for origin, source in cells]
    sources = [(origin, python) for origin, python in sources if python is not None]
    size = sum(len(python) for _, python in sources)
    if size > MAX_CODE_CHARS:
        raise LoadError(f"the code is {size:,} characters long, more than the {MAX_CODE_CHARS:,} a submission may have")
    problems, parsed, bindings, taken = [], [], {}, set()
    for origin, python in sources:
        try:
            tree, bound = _parse_cache.parse(python, taken)
            bindings.update(bound)
        except SyntaxError as exc:
            problems.append({"origin": origin, "kind": "SyntaxError", "line": exc.lineno,
                             "message": f"SyntaxError: {exc.msg}"})
            continue
        except (ValueError, MemoryError, RecursionError) as exc:  # null bytes; nesting too deep to parse
            problems.append({"origin": origin, "kind": "SyntaxError", "line": None,
                             "message": f"{type(exc).__name__}: the code cannot be parsed ({str(exc)[:100] or 'too deeply nested'})"})
            continue
        parsed.append((origin, python, tree))
        for magic_origin, code in _exported_cell_magics(origin, tree):
            try:
                parsed.append((magic_origin, code, ast.parse(code)))
            except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
                problems.append({"origin": magic_origin, "kind": "SyntaxError", "line": getattr(exc, "lineno", None),
                                 "message": f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"})

    # Start from the student API and follow every top-level name it reads, transitively: the
    # statements that bind it, whatever their form (def, class, import, assignment, try/if/for/with
    # blocks, functions that set it through ``global``), the ones that build it (``T[k] = v``,
    # ``C.method = f``, ``T.append(v)`` on data), and what those read in turn. Training runs, prints,
    # plots and ``__main__`` blocks bind nothing graded code reads, so they never run.
    # A worklist over an index name -> statements: each statement's names are computed once, each
    # name is followed once, so the work is linear in the code (a fixed-point loop over all
    # statements took quadratic time on a chain "a1 = a0", "a2 = a1", ...).
    keep, cell_of = set(), {}
    binders, stored, called, callers, affected_by, data_names = {}, {}, {}, {}, {}, set()
    for cell, (_, _, tree) in enumerate(parsed):
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                keep.add(id(node))     # kept whatever it binds; what it reads is not followed
                continue
            if is_main_block(node):
                continue
            cell_of[id(node)] = cell
            found = bindings.get(id(node)) or _names_bound(node)
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
            cell_future[cell] = _future_features(parsed[cell][2])
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
            for read in _names_read(node, context_of(node)) - followed:
                followed.add(read)
                pending.append(read)

    chunks, unused = [], []
    for cell, (origin, python, tree) in enumerate(parsed):
        for node in tree.body:
            if isinstance(node, IMPORTS) and id(node) not in keep:
                entry = _unused_import(node, origin)
                # the course's own modules (the notebook imports them) are not the student's doing
                if entry and not all(m.split(".")[0] in course_modules for m in entry["modules"]):
                    unused.append(entry)
        spans = [_span(node) for node in tree.body if id(node) in keep]
        if not spans:
            continue
        lines = cell_lines.get(cell) or python.split("\n")
        kept = [False] * len(lines)
        for first, last in spans:
            kept[first - 1:last] = [True] * (last - first + 1)
        chunks.append({"origin": origin,
                       "source": "\n".join(line if k else "" for line, k in zip(lines, kept))})
    return Program(chunks=chunks, problems=problems, unused_imports=unused[:50])
