"""What a top-level statement does to module-level names: which it binds, builds and reads.

``load`` keeps the statements graded code needs by following these, transitively. Reads are found
by symtable on the statement's own lines (a function's locals and parameters are not module
names); bindings by walking the syntax tree, whatever the statement's form. Knows Python, not
notebooks (``notebook``) nor what runs (``load``).
"""
import ast
import dataclasses
import symtable
from collections.abc import Callable
from typing import Any

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
IMPORTS = (ast.Import, ast.ImportFrom)
ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)
COMPOUND = tuple(getattr(ast, name) for name in ("If", "For", "AsyncFor", "While", "With", "AsyncWith", "Try",
                                                  "TryStar", "Match") if hasattr(ast, name))
# Scopes of their own inside a statement: what they read is found by symtable, not by walking them.
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp, ast.SetComp,
                 ast.DictComp, ast.GeneratorExp)
# Statements that bind a name to data (not a def, a class or a module): only for such names do method
# calls (``TABLE.append(...)``) count as building the value.
DATA_BINDERS = ASSIGNMENTS + COMPOUND
# symtable's failures on code that ast accepted (deep nesting, memory): the statement is then read by its names.
SYMTABLE_ERRORS = (SyntaxError, ValueError, MemoryError, RecursionError)

# (the cell's lines, its ``from __future__`` features), computed only for statements that are kept
Context = Callable[[], tuple[list[str], list[str]]]
# A syntax tree node read by its fields (``node.name``, ``node.ctx``), whatever its class.
Node = Any


# ------------------------------------------------------------------ the syntax tree
def _push_children(node: ast.AST, stack: list[Node]) -> None:
    """Put the nodes directly under ``node`` on ``stack`` (this runs on every node of every statement)."""
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, ast.AST):
            stack.append(value)
        elif type(value) is list:
            stack.extend([v for v in value if isinstance(v, ast.AST)])


def children(node: ast.AST) -> list[Node]:
    """The nodes directly under ``node``."""
    out: list[Node] = []
    _push_children(node, out)
    return out


def walk(node: ast.AST) -> list[Node]:
    """``node`` and every node under it, as ``ast.walk`` without its generator overhead (this runs
    on every statement); a name's context (Load, Store) is not visited."""
    stack: list[Node] = [node]
    out: list[Node] = []
    while stack:
        node = stack.pop()
        out.append(node)
        if type(node) is not ast.Name:
            _push_children(node, stack)
    return out


def names_in(node: ast.AST, loaded_only: bool = False) -> set[str]:
    """The ids of the ``ast.Name`` nodes in ``node`` (only those read, with ``loaded_only``)."""
    return {n.id for n in walk(node) if type(n) is ast.Name and (not loaded_only or type(n.ctx) is ast.Load)}


def span(node: ast.stmt) -> tuple[int, int]:
    """(first, last) line of a statement, its decorators included."""
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return first, node.end_lineno or node.lineno


def is_main_block(node: Node) -> bool:
    """``if __name__ == "__main__":`` -- never run, whatever it binds."""
    test = getattr(node, "test", None)
    if not isinstance(node, ast.If) or not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    sides = [test.left, test.comparators[0]]
    return (isinstance(test.ops[0], ast.Eq) and any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
            and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides))


def future_features(tree: ast.Module) -> list[str]:
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


def _root_name(node: Node) -> str | None:
    """``x`` of ``x.a[1].b``; None when the chain starts with anything but a name (a call, a literal)."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _evaluated_here(node: Node) -> list[Node]:
    """The parts of a nested scope evaluated where it stands: decorators, defaults, bases, the first
    iterable of a comprehension. Their bodies run later, in their own scope."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.decorator_list + node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
    if isinstance(node, ast.ClassDef):
        return node.decorator_list + node.bases + [k.value for k in node.keywords]
    if isinstance(node, ast.Lambda):
        return node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
    return [node.generators[0].iter]   # a comprehension


def _imported_names(node: ast.Import | ast.ImportFrom) -> set[str]:
    return {(a.asname or a.name.split(".")[0]) for a in node.names if a.name != "*"}


# ------------------------------------------------------------------ what a statement binds
@dataclasses.dataclass
class Bindings:
    """What one top-level statement does to module-level names."""

    bound: set[str]           # names it (re)binds: targets, imports, defs, classes
    stored: set[str]          # names whose attributes or items it sets (``T[k] = v``, ``C.m = f``, setattr)
    called: set[str]          # names it calls a method of (``T.append(v)``): building T, if T is data
    calls: set[str] = dataclasses.field(default_factory=set)     # functions it calls (decorators included)
    # a function's: names it binds or builds when called, as (name, by a method call)
    effects: set[tuple[str, bool]] = dataclasses.field(default_factory=set)
    data: bool = False        # it binds names to data (an assignment or a compound statement)


def _function_effects(definition: Node) -> set[tuple[str, bool]]:
    """Module-level names a top-level function binds or builds when it is called, as ``(name, by_call)``:
    the ones it declares ``global``, globals whose items or attributes it sets (``REGISTRY[k] = f``)
    and, with ``by_call`` True, globals whose methods it calls (``LOG.append(x)``: building LOG only if
    LOG is data, not a module). A name is taken as global unless the function binds it itself (a
    parameter, a local assignment); nested functions count as part of it."""
    declared: set[str] = set()
    local: set[str] = set()
    touched: set[str | None] = set()
    called: set[str | None] = set()
    for node in walk(definition):
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

    def is_global(name: str | None) -> bool:
        return bool(name) and (name in declared or name not in local)
    return ({(name, False) for name in declared | touched if name and is_global(name)}
            | {(name, True) for name in called if name and is_global(name)})


def _decorator_calls(definition: Node) -> set[str]:
    """``@register`` and ``@register(...)`` call ``register`` where the definition stands."""
    names = set()
    for decorator in definition.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Name):
            names.add(target.id)
    return names


def names_bound(node: Node) -> Bindings:
    """The module-level names a top-level statement binds or builds, whatever its form."""
    if isinstance(node, DEFINITIONS):
        return Bindings({node.name}, set(), set(), calls=_decorator_calls(node), effects=_function_effects(node))
    if isinstance(node, IMPORTS):
        return Bindings(_imported_names(node), set(), set())
    found = Bindings(set(), set(), set(), data=isinstance(node, DATA_BINDERS))
    stack: list[Node] = [node]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load:
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
            found.bound.update(_imported_names(node))
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
        stack.extend(children(node))
    return found


# ------------------------------------------------------------------ what a statement reads
def _globals_read(table: Any) -> set[str]:
    """Module-level names a function or class body reads (its locals and parameters are not);
    ``table`` a ``symtable.SymbolTable`` (a ``Function``'s when it is a function's)."""
    names: set[str] = set()
    pending = [table]
    while pending:  # a stack, not recursion: lambdas nest deeper than Python's recursion limit
        table = pending.pop()
        if table.get_type() == "function":
            names.update(table.get_globals())
        else:
            names.update(s.get_name() for s in _symbols(table) if s.is_referenced() and not s.is_assigned())
        pending.extend(table.get_children())
    return names


def _symbols(table: symtable.SymbolTable) -> list[symtable.Symbol]:
    """``table.get_symbols()`` in linear time: that looks up each name's namespaces by scanning all
    the table's children (quadratic in a class's methods). Only the flags are needed here."""
    flags = getattr(getattr(table, "_table", None), "symbols", None)   # what get_symbols reads
    if not isinstance(flags, dict):
        return table.get_symbols()
    return [symtable.Symbol(name, flag) for name, flag in flags.items()]


def _own_table(node: ast.stmt, lines: list[str], future: list[str]) -> symtable.SymbolTable | None:
    """The symbol table of a top-level statement's own lines, or None when symtable refuses them.

    Built per kept statement, never for the whole module: symtable then costs what the kept
    statements cost. A top-level statement's scopes do not depend on the rest of the module,
    except for its ``from __future__`` imports (``annotations`` hides annotation names), which are
    put in front of it."""
    first, last = span(node)
    header = f"from __future__ import {', '.join(future)}\n" if future else ""
    try:
        module = symtable.symtable(header + "\n".join(lines[first - 1:last]), "statement", "exec")
        module.get_children()
    except SYMTABLE_ERRORS:
        return None
    return module


def _module_level_reads(node: Node) -> set[str]:
    """Names a compound statement reads in module scope: its tests, iterables, right-hand sides,
    decorators and defaults -- not what its loops, ``with`` and ``except`` clauses bind for
    themselves (``for k in KEYS: TABLE[k] = ...`` reads KEYS and TABLE, not another ``k``)."""
    loads: set[str] = set()
    own: set[str] = set()
    stack: list[Node] = [node]
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
            own.update(names_in(target))
        stack.extend(children(node))
    return loads - own


def names_read(node: Node, context: Context) -> set[str]:
    """Module-level names a kept top-level statement reads when it runs or when its functions run.
    ``context()`` gives the statement's cell lines and ``from __future__`` features (for symtable)."""
    if isinstance(node, DEFINITIONS):
        at_definition = _evaluated_here(node)
        names: set[str] = set().union(*[names_in(n, loaded_only=True) for n in at_definition])
        lines, future = context()
        module = _own_table(node, lines, future)
        lineno = node.lineno - span(node)[0] + 1 + bool(future)    # its line in the table's source
        table = None if module is None else next(
            (t for t in module.get_children() if (t.get_name(), t.get_lineno()) == (node.name, lineno)), None)
        return names | (_globals_read(table) if table is not None else names_in(node, loaded_only=True))
    if isinstance(node, COMPOUND):
        module = _own_table(node, *context())
        if module is None:
            return names_in(node, loaded_only=True)
        names = _module_level_reads(node)
        for child in module.get_children():
            names |= _globals_read(child)
        return names
    return names_in(node, loaded_only=True)
