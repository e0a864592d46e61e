"""The engine's shape, read from its own imports: packages in the order grading flows, no package
importing one that comes after it, no cycle, no module past ~400 lines."""
import ast

from .conftest import ROOT

ENGINE = ROOT / "autograder"
# Lower layers first; a module may import its own layer or any layer before it.
LAYERS = (
    {"text", "errors", "messages", "assignment", "assignments"},   # assignments: the registry (importlib)
    {"find", "sandbox"},
    {"results"},
    {"checks", "views"},
    {"grading"},
    {"routes", "course", "assignments"},
    {"cli", "__main__", "demo"},
)
MAX_LINES = 400
# Imports that go up, each inside the one function that needs it, and why.
UPWARD_ALLOWED = {
    # the release and solved notebooks as nbformat reads them (course.sample): the similarity check's
    # template and reference; the Gradescope bundle leaves both out
    ("autograder/views/similarity.py", "course"),
}


def _layer(top):
    return next(i for i, names in enumerate(LAYERS) if top in names)


def _engine_files():
    return sorted(p for p in ENGINE.rglob("*.py") if "assignments" not in p.relative_to(ENGINE).parts[:1])


def _top(path):
    """``find`` for autograder/find/load.py, ``cli`` for autograder/cli.py."""
    return path.relative_to(ENGINE).with_suffix("").parts[0]


def _module_imports(path):
    """The engine packages ``path`` imports, inside functions too (not under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                names = [inner.module + "." + a.name for a in inner.names]
            elif isinstance(inner, ast.Import):
                names = [a.name for a in inner.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "autograder" and len(parts) > 1 and (ENGINE / parts[1]).with_suffix(".py").exists() \
                        or parts[0] == "autograder" and len(parts) > 1 and (ENGINE / parts[1]).is_dir():
                    found.add(parts[1])
    return found


def test_every_top_level_module_and_package_has_a_layer():
    tops = {_top(p) for p in _engine_files()} - {"__init__"}
    assert tops <= set().union(*LAYERS), sorted(tops - set().union(*LAYERS))


def test_no_package_imports_one_that_comes_after_it():
    upward = []
    for path in _engine_files():
        top = _top(path)
        if top == "__init__":
            continue
        for imported in _module_imports(path):
            if imported in set().union(*LAYERS) and _layer(imported) > _layer(top):
                upward.append((str(path.relative_to(ROOT)), imported))
    assert set(upward) == UPWARD_ALLOWED


def test_no_module_of_the_engine_is_past_400_lines():
    long = [f"{p.relative_to(ROOT)}: {n}" for p in _engine_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []
