"""The pytest plugin that grades: options, the assignment it grades, collection order, the two
fixtures, and the hooks that turn each test's outcome into a result.

An assignment's checks folder registers it in a ``conftest.py`` that also names the assignment::

    from .. import ASSIGNMENT  # noqa: F401 -- the assignment these checks grade

    pytest_plugins = ["autograder.checks.plugin"]

Each check is a pytest test marked ``@pytest.mark.rubric(name)`` with the rubric test it grades, taking

* ``student`` -- a ``Student``: the submission's code behind a child process (one per submission,
  shared by its tests; its tests run together, parts in grading order);
* ``check`` -- a ``Check``: where the test records its share of the points, its feedback and hints.

``pytest <package>/checks --submission FILE`` grades one submission; ``python -m autograder grade``
runs the same tests over a class (``--submission-list``) and collects the results written here.
"""
import inspect
import json
from pathlib import Path
from typing import cast

import pytest

from autograder import messages, results, sandbox
from autograder.assignment import Assignment
from autograder.checks.check import Check, Incomplete
from autograder.checks.record import Grading, submission_graded
from autograder.checks.student import Student
from autograder.find import discover

GRADING = pytest.StashKey[Grading]()


# ------------------------------------------------------------------ options and the assignment
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("autograder", "the exercise kit's autograder")
    group.addoption("--submission", action="append", default=[], metavar="PATH",
                    help="a submission file or folder to grade (repeatable)")
    group.addoption("--submission-list", metavar="JSON", help="JSON list of {id, path, given} (used by the CLI)")
    group.addoption("--results-dir", metavar="DIR", help="write each submission's result here, atomically")
    group.addoption("--lang", default="zh", choices=messages.LANGUAGES, help="feedback language (default zh)")
    group.addoption("--part", action="append", default=[], help="grade only these parts (repeatable)")
    group.addoption("--limit", action="append", default=[], metavar="NAME=VALUE",
                    help="override a sandbox limit (autograder.sandbox.Limits), e.g. request_seconds=30")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "rubric(name): the rubric test this pytest test grades")
    assignment = _named_assignment(config)
    try:
        limits = sandbox.parse_limits(config.getoption("limit", default=[]) or [])
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    unknown = [p for p in config.getoption("part", default=[]) or [] if p not in assignment.parts]
    if unknown:
        raise pytest.UsageError(f"--part {unknown[0]}: {assignment.id} has the parts {', '.join(assignment.parts)}")
    config.stash[GRADING] = Grading(assignment, limits)


def _named_assignment(config: pytest.Config) -> Assignment:
    """The ``ASSIGNMENT`` the checks folder's ``conftest.py`` imports (the one that lists this plugin)."""
    named = {id(a): a for a in (getattr(p, "ASSIGNMENT", None) for p in config.pluginmanager.get_plugins())
             if isinstance(a, Assignment)}
    if len(named) != 1:
        found = ", ".join(sorted(a.id for a in named.values())) or "none"
        raise pytest.UsageError("autograder.checks.plugin grades the assignment its checks folder's conftest.py "
                                f"imports (from .. import ASSIGNMENT); found {found}")
    return next(iter(named.values()))


def pytest_report_header(config: pytest.Config) -> str:
    return sandbox.describe()


def _submissions(config: pytest.Config) -> list[discover.Submission]:
    listed = config.getoption("submission_list")
    if listed:
        with open(listed, encoding="utf-8") as f:
            return [discover.Submission(id=s["id"], path=Path(s["path"]), given=s["given"],
                                        duplicate_of=tuple(s.get("duplicate_of", ())),
                                        submitted_at=s.get("submitted_at", "")) for s in json.load(f)]
    paths = config.getoption("submission")
    if not paths:
        raise pytest.UsageError("give the submission to grade: pytest <assignment package>/checks --submission FILE")
    try:
        return discover.find(paths, config.stash[GRADING].assignment)
    except discover.DiscoveryError as exc:
        raise pytest.UsageError(str(exc)) from None


# ------------------------------------------------------------------ collection
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "student" in metafunc.fixturenames:
        subs = _submissions(metafunc.config)
        metafunc.parametrize("student", subs, ids=[s.id for s in subs], indirect=True, scope="session")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    assignment = config.stash[GRADING].assignment
    parts = config.getoption("part")
    for item in items:
        if _rubric_name(item) not in assignment.by_name:
            raise pytest.UsageError(
                f"{item.nodeid}: rubric test {_rubric_name(item)!r} is not in {assignment.id}'s rubric")
    if parts:
        items[:] = [item for item in items if assignment.by_name[_rubric_name(item)].part in parts]
    # Submission by submission, parts in grading order (a reference piece reaches a sandbox only
    # after its own part is graded); stable within a part.
    items.sort(key=lambda item: (_student_index(item),
                                 assignment.parts.index(assignment.by_name[_rubric_name(item)].part)))


def _student_index(item: pytest.Item) -> int:
    callspec = getattr(item, "callspec", None)
    return callspec.indices.get("student", 0) if callspec else 0


def _rubric_name(item: pytest.Item) -> str:
    marker = item.get_closest_marker("rubric")
    if marker is None:
        raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.rubric(...)")
    return marker.args[0]


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="session")
def student(request: pytest.FixtureRequest):
    config = request.config
    with submission_graded(request.param, config.stash[GRADING], lang=config.getoption("lang"),
                           results_dir=config.getoption("results_dir"),
                           forget=bool(config.getoption("submission_list"))) as handle:
        yield handle


@pytest.fixture
def check(request: pytest.FixtureRequest, student: Student | None) -> Check:
    if student is None:
        pytest.skip("submission could not be loaded")
    test = request.config.stash[GRADING].assignment.by_name[_rubric_name(request.node)]
    return Check(test, request.config.getoption("lang"), student, student.process.limits)


# ------------------------------------------------------------------ outcomes
@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run a check once per setup of its part (reference pieces, then the student's own) until one
    gives full points, and keep the best: relying on one's own correct code never costs a point."""
    check, student = _graded(pyfuncitem)
    if check is None or student is None:
        return None
    names = _arguments(pyfuncitem.obj)
    attempts = []
    try:
        for setup in student.setups(check.test.part):
            attempt = check.attempt(setup)
            student.setup = setup
            try:
                pyfuncitem.obj(**{name: attempt if name == "check" else pyfuncitem.funcargs[name] for name in names})
            except Incomplete:
                pass
            attempts.append(attempt)
            if attempt.points >= attempt.test.points:
                break
    finally:
        student.setup = None
    check.adopt(attempts, student)
    student.chosen[check.test.part] = tuple(check.injected)
    if check.points < check.test.points:
        raise Incomplete(f"{results.display(check.points)}/{check.test.points:g}\n{check.output}")
    return True


def _graded(item: pytest.Item) -> tuple[Check | None, Student | None]:
    """The values of the test's ``check`` and ``student`` fixtures (None for one it does not take).
    pytest types fixture values as ``object``: these two are this plugin's. Every item of a checks
    folder is a test function, which has ``funcargs``."""
    funcargs = cast(pytest.Function, item).funcargs
    return cast("Check | None", funcargs.get("check")), cast("Student | None", funcargs.get("student"))


def _arguments(function) -> list[str]:
    """The names a test function takes, each a fixture pytest has set up for it."""
    return [name for name, p in inspect.signature(function).parameters.items()
            if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call":
        return
    check, student = _graded(item)
    if check is None or student is None:
        return
    record = item.config.stash[GRADING].results[student.submission.id]
    if call.excinfo is not None and not call.excinfo.errisinstance(Incomplete):
        # A bug in the grader, not the student's doing: never a silent 0.
        record.status = results.GRADER_ERROR
        record.reason = f"grader error in {check.test.name}: {call.excinfo.typename}: {call.excinfo.value}"
        check.grader_error()
    record.tests = [t for t in record.tests if t.name != check.test.name]
    kind = check.result_kind
    record.tests.append(results.TestResult(check.test.name, check.points, check.test.points, output=check.output,
                                           tags=list(check.tags), part=check.test.part, kind=kind,
                                           exception=check.exception if kind == "raised" else ""))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    grading = config.stash.get(GRADING, None)
    if grading is None or not grading.order or config.getoption("submission_list"):
        return
    for sid in grading.order:
        record = grading.results[sid]
        points = grading.assignment.part_points
        parts = ", ".join(f"{p} {results.display(s)}/{points[p]:g}" for p, s in record.part_scores().items())
        terminalreporter.write_sep("=", f"{sid}: {results.display(record.score)}/{grading.assignment.total_points:g} "
                                        f"({parts}) [{record.status}]")
        if record.reason:
            terminalreporter.write_line(record.reason)
