"""Loading a submission in the child: its definitions statement by statement, and the assignment's
operations from their source."""
import ast
import importlib.util
import types

from .api import safe_message, type_name


def bound_names(node: ast.stmt) -> list:
    """Module-level names a top-level statement binds (to say why a later NameError happened)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    names = []
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
            names.append(child.id)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            names += [a.asname or a.name.split(".")[0] for a in child.names if a.name != "*"]
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(child.name)
    return sorted(set(names))[:20]


def load(namespace: dict, chunks: list) -> list:
    """Execute the definitions statement by statement: a failing import or a broken cell costs only
    what it defines, not the definitions after it."""
    problems = []
    for chunk in chunks:
        filename = f"<{chunk['origin']}>"
        try:
            tree = ast.parse(chunk["source"], filename)
        except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
            problems.append({"origin": chunk["origin"], "kind": "SyntaxError", "line": getattr(exc, "lineno", None),
                             "message": f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}", "binds": []})
            continue
        for node in tree.body:
            try:
                exec(compile(ast.Module(body=[node], type_ignores=[]), filename, "exec", dont_inherit=True), namespace)
            except BaseException as exc:  # noqa: B902 -- exit() or anything else at definition time
                problems.append({"origin": chunk["origin"], "kind": type_name(exc), "line": node.lineno,
                                 "message": safe_message(exc), "binds": bound_names(node)})
    return problems


def missing_imports(unused: list) -> list:
    """Imports the grader does not run (nothing graded reads them) whose module is not installed here:
    ``importlib.util.find_spec`` of the top-level package executes nothing of it."""
    missing = []
    for entry in unused[:50]:
        for module in entry.get("modules", [])[:10]:
            top = str(module).split(".")[0]
            try:
                found = importlib.util.find_spec(top) is not None
            except BaseException:  # noqa: B902 -- a bad name is as good as a missing module
                found = False
            if not found:
                missing.append({"origin": entry["origin"], "line": entry["line"], "module": str(module)[:100]})
    return missing


def load_operations(source: str) -> types.ModuleType:
    """The assignment's operations module, executed from its source (the child imports nothing of the
    grader's but this package): its OPERATIONS answer requests, its TRACED_ATTRIBUTES name traced calls."""
    module = types.ModuleType("assignment_operations")
    exec(compile(source, "operations.py", "exec"), module.__dict__)
    return module
