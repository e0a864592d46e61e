"""What the engine knows of an assignment: the object an assignment package declares.

An assignment package (``autograder/assignments/<name>/``, or a folder named in
``AUTOGRADER_ASSIGNMENTS``) declares ``ASSIGNMENT = Assignment.from_rubric(rubric, ...)`` in its
``__init__.py`` and holds everything specific to that notebook: the rubric, the child-side operations
that call student code, the pytest checks, the reference's expected values and mistake models, hints
and messages in both languages, feedback plots and a sample class. The engine (CLI, batch, loader,
sandbox, results, views, nbgrader and Gradescope routes) reads only this object; it never names a
part. docs/AUTHORING.md walks through writing one.
"""
import ast
import dataclasses
import functools
import importlib
import importlib.util
from pathlib import Path
from types import ModuleType

# The kit's own folder: source/, solutions/ and assignments/ of the assignments under autograder/
# (in an installed kit, site-packages, where solutions/ is installed beside autograder/).
KIT_ROOT = Path(__file__).resolve().parents[1]


@dataclasses.dataclass(frozen=True)
class Test:
    """One rubric line: a pytest check's name (it begins with its part), points, what it checks."""

    name: str
    part: str
    points: float
    checks: str        # one line, English, for the docs


@dataclasses.dataclass(frozen=True)
class Assignment:
    id: str                     # nbgrader's assignment id: "01_backprop_basics"
    title: str                  # the notebook's title
    package: str                # the package that declares it: "autograder.assignments.backprop_basics"
    notebook: str               # the notebook's file name: "backprop_basics.ipynb"
    tests: tuple[Test, ...]     # in grading order within each part
    parts: tuple[str, ...]      # in grading order (a reference piece reaches a sandbox only after its part)
    needs: dict[str, tuple[str, ...]]          # part -> the names its code calls (itself included)
    setups: dict[str, tuple[tuple[str, ...], ...]]   # part -> reference pieces to swap in, per attempt, in order
    entry_points: tuple[str, ...]   # the names graded code starts from (the loader keeps what they read)
    reference: Path             # the reference module, generated from the source notebook
    source: Path                # the nbgrader source folder (source/<id>/)
    release: Path | None = None     # the generated student release (assignments/<id>/)
    solved: Path | None = None      # the generated solved notebook
    rubric_notes: str = ""      # what the points table says under it (tiers, tolerances)
    course_modules: tuple[str, ...] = ()   # modules the notebook itself imports (an unused import of them is no news)
    overwrite_share: float = 0.5   # share a test keeps when the student's code overwrote its caller's array
    folder: Path | None = None  # the package's folder (set from ``package`` when omitted)

    @classmethod
    def from_rubric(cls, rubric: ModuleType, *, id: str, title: str, notebook: str,
                    root: Path = KIT_ROOT) -> "Assignment":
        """The assignment of the package that holds ``rubric`` (its ``rubric.py``), graded on the
        notebook ``<root>/source/<id>/<notebook>``.

        The rubric gives ``TESTS`` and ``PARTS``, and may give ``PART_NEEDS`` (default: each part needs
        only itself), ``PART_SETUPS`` (default: one attempt, the student's own code), ``NOTES``,
        ``COURSE_MODULES`` and ``OVERWRITE_SHARE``. Graded code starts from every name a part needs; the
        reference, solved notebook and release are where ``make solutions`` and ``make release`` write."""
        parts = tuple(rubric.PARTS)
        needs = getattr(rubric, "PART_NEEDS", {part: (part,) for part in parts})
        optional = {"setups": "PART_SETUPS", "rubric_notes": "NOTES", "course_modules": "COURSE_MODULES",
                    "overwrite_share": "OVERWRITE_SHARE"}
        given = {field: getattr(rubric, name) for field, name in optional.items() if hasattr(rubric, name)}
        given.setdefault("setups", {part: ((),) for part in parts})
        root = Path(root)
        return cls(id=id, title=title, package=rubric.__name__.rpartition(".")[0], notebook=notebook,
                   tests=tuple(rubric.TESTS), parts=parts, needs=needs,
                   entry_points=tuple(dict.fromkeys(name for part in parts for name in needs.get(part, ()))),
                   reference=root / "solutions" / id / f"{Path(notebook).stem}.py", source=root / "source" / id,
                   release=root / "assignments" / id, solved=root / "solutions" / id / notebook, **given)

    def __post_init__(self):
        if self.folder is None:
            object.__setattr__(self, "folder", Path(importlib.import_module(self.package).__file__).parent)
        names = [t.name for t in self.tests]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.id}: two rubric tests share a name")
        for test in self.tests:
            if test.part not in self.parts or not test.name.startswith(test.part):
                raise ValueError(f"{self.id}: test {test.name!r} must begin with one of its parts {self.parts}")
        for part in self.parts:
            if part not in self.needs or part not in self.setups:
                raise ValueError(f"{self.id}: part {part} needs an entry in needs and in setups")

    # ------------------------------------------------------------------ the rubric
    @property
    def by_name(self) -> dict[str, Test]:
        return {t.name: t for t in self.tests}

    @property
    def part_points(self) -> dict[str, float]:
        return {part: sum(t.points for t in self.tests if t.part == part) for part in self.parts}

    @property
    def total_points(self) -> float:
        return sum(t.points for t in self.tests)

    def markdown_table(self) -> str:
        lines = ["| test | points | what is checked |", "|---|---:|---|"]
        for part in self.parts:
            for test in self.tests:
                if test.part == part:
                    lines.append(f"| `{test.name}` | {test.points:g} | {test.checks} |")
            lines.append(f"| **{part}** | **{self.part_points[part]:g}** | |")
        lines.append(f"| **total** | **{self.total_points:g}** | |")
        if self.rubric_notes:
            lines += ["", self.rubric_notes]
        return "\n".join(lines)

    # ------------------------------------------------------------------ the package's pieces
    # (read once per process: every submission's Student and every test's Check asks for them)
    @property
    def package_folder(self) -> Path:
        """``folder``, never None: ``__post_init__`` sets it from ``package`` when it is not given."""
        assert self.folder is not None, "set by __post_init__"
        return self.folder

    @property
    def checks(self) -> Path:
        """The folder of pytest checks (``pytest <it> --submission FILE`` grades one submission)."""
        return self.package_folder / "checks"

    def module(self, name: str) -> ModuleType | None:
        """A module of the package (``messages``, ``operations``, ``plots``, ``sample``), or None."""
        try:
            return importlib.import_module(f"{self.package}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{self.package}.{name}":
                return None
            raise

    def required_module(self, name: str) -> ModuleType:
        """``module(name)`` for a caller that cannot go on without it: ModuleNotFoundError, naming the
        module, when the package has none."""
        module = self.module(name)
        if module is None:
            raise ModuleNotFoundError(f"{self.id}: no module {self.package}.{name}", name=f"{self.package}.{name}")
        return module

    @functools.cached_property
    def operations_source(self) -> str:
        """The child-side operations, sent to the sandbox as source (the child imports nothing of ours)."""
        return (self.package_folder / "operations.py").read_text(encoding="utf-8")

    @functools.cached_property
    def reply_schema(self) -> dict:
        return self.required_module("operations").REPLY_SCHEMA

    def reference_module(self) -> ModuleType:
        return _load_reference(self.reference)

    def reference_source(self, *names: str) -> str:
        return _reference_source(self.reference, names)


@functools.lru_cache(maxsize=None)
def _load_reference(path):
    """The reference module, loaded from its file (its folder name, e.g. 01_..., is no identifier)."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(f"reference_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=None)
def _reference_source(path, names):
    """Source text of the reference definitions ``names``, with the imports they need (sent to a part's
    process, which has only numpy)."""
    text = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(text)
    pieces = {node.name: ast.get_source_segment(text, node) for node in tree.body
              if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    missing = [n for n in names if n not in pieces]
    if missing:
        raise KeyError(f"{path} defines no {', '.join(missing)}")
    return "import numpy as np\n\n" + "\n\n\n".join(pieces[name] for name in names) + "\n"
