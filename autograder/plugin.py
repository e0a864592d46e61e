"""The pytest side of grading: options, fixtures and the hooks that turn test outcomes into results.

The hidden checks (``autograder/checks/test_*.py``) are ordinary pytest tests. Each takes

* ``student`` -- a ``Student``: the submission's code behind a child process (one per submission,
  shared by its tests; pytest groups each submission's tests together and closes it after them);
* ``check`` -- a ``Check``: where the test records its share of the points, its feedback and hints.

An instructor runs them on one submission with ``pytest autograder/checks --submission FILE``;
``python -m autograder grade`` runs the very same tests over a class (``--submission-list``) and
collects the results written here.
"""
import json
import time
from pathlib import Path

import numpy as np
import pytest

from . import discover, load, messages, reference, results, rubric, sandbox
from .child import StudentProcess

# Which reference pieces each part's process gets: never the part being graded. The parts are graded
# in rubric.PARTS order, so a reference reaches the submission only after its own part is graded; a
# submission's processes share one sandbox (/tmp, the zygote), so a later part could otherwise stash
# the reference TwoLayerNet it was handed for a TwoLayerNet part still to come.
PART_REFERENCE = {
    "Sigmoid": (),
    "TwoLayerNet": ("FullyConnectedLayer", "Sigmoid"),
    "train_xor": ("FullyConnectedLayer", "Sigmoid", "TwoLayerNet"),
}


class Student:
    """One submission's code, reached through its child process."""

    def __init__(self, submission, program, limits, kind):
        self.submission, self.program = submission, program
        self.process = StudentProcess(program.chunks, limits=limits, kind=kind)
        self.cache = {}
        self.revealed = set()      # reference pieces this sandbox has been sent

    def request(self, part, op, *, key=None, **args):
        """Ask the part's process to run ``op``; replies with a ``key`` are computed once."""
        if key is not None and key in self.cache:
            return self.cache[key]
        if part in self.revealed:
            # Out of order (an instructor's -p randomly, -k): this sandbox has seen the reference of
            # the part now asked for. Grade it in a fresh one: new zygote, new /tmp.
            self.process.close()
            self.revealed.clear()
        names = PART_REFERENCE[part]
        self.revealed.update(names)
        reply = self.process.request(part, op, reference=reference.source_of(*names) if names else "",
                                     inject=names, needs=(part,), **args)
        if key is not None:
            self.cache[key] = reply
        return reply

    def close(self):
        self.process.close()


class Check:
    """A test's outcome: its share of the points, what the student reads, the hints it gives."""

    def __init__(self, test, lang):
        self.test, self.lang = test, lang
        self.share = 0.0
        self.lines, self.tags = [], []
        self.limits = sandbox.Limits()

    def say(self, key, **values):
        self.lines.append(messages.say(key, self.lang, **values))

    def hint(self, hint_id):
        if hint_id not in self.tags:
            self.tags.append(hint_id)
            self.lines.append(messages.hint(hint_id, self.lang))

    def failed(self, reply, what):
        """Explain a reply that carries no values; True when it does not (the test should stop)."""
        if reply.output:
            self.say("printed", text=reply.output.rstrip())
        if reply.ok:
            return False
        error = reply.error
        kind = error.get("kind", "raised")
        if kind == "timeout":
            self.say("timeout", what=what, seconds=self.limits.request_seconds)
        elif kind in ("load-timeout", "load-exited"):
            self.say(kind, seconds=self.limits.load_seconds)
        elif kind in ("exited", "missing", "returned-none", "not-array", "structure", "protocol"):
            self.say(kind, what=what, message=error.get("message", ""))
        else:
            self.say("raised", what=what, message=error.get("message", ""), where=error.get("where") or what)
        return True


    @property
    def points(self):
        return round(self.test.points * min(max(self.share, 0.0), 1.0), 4)

    @property
    def output(self):
        return "\n".join(self.lines)


# ------------------------------------------------------------------ options
def pytest_addoption(parser):
    group = parser.getgroup("autograder", "backprop exercise autograder")
    group.addoption("--submission", action="append", default=[], metavar="PATH",
                    help="a submission file or folder to grade (repeatable)")
    group.addoption("--submission-list", metavar="JSON", help="JSON list of {id, path, given} (used by the CLI)")
    group.addoption("--results-dir", metavar="DIR", help="write each submission's result here, atomically")
    group.addoption("--lang", default="zh", choices=messages.LANGUAGES, help="feedback language (default zh)")
    group.addoption("--part", action="append", default=[], choices=rubric.PARTS, help="grade only these parts")
    group.addoption("--limit", action="append", default=[], metavar="NAME=VALUE",
                    help="override a sandbox limit (autograder.sandbox.Limits), e.g. request_seconds=30")


def _submissions(config):
    listed = config.getoption("submission_list")
    if listed:
        with open(listed, encoding="utf-8") as f:
            return [discover.Submission(id=s["id"], path=Path(s["path"]), given=s["given"],
                                        duplicate_of=tuple(s.get("duplicate_of", ()))) for s in json.load(f)]
    paths = config.getoption("submission")
    if not paths:
        raise pytest.UsageError("give the submission to grade: pytest autograder/checks --submission FILE")
    try:
        return discover.find(paths)
    except discover.DiscoveryError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_configure(config):
    config.addinivalue_line("markers", "rubric(name): the rubric test this pytest test grades")
    try:
        limits = sandbox.parse_limits(config.getoption("limit", default=[]) or [])
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    config._autograder = {"results": {}, "order": [], "limits": limits}


def pytest_report_header(config):
    return sandbox.describe()


def pytest_generate_tests(metafunc):
    if "student" in metafunc.fixturenames:
        subs = _submissions(metafunc.config)
        metafunc.parametrize("student", subs, ids=[s.id for s in subs], indirect=True, scope="session")


def pytest_collection_modifyitems(config, items):
    parts = config.getoption("part")
    if parts:
        items[:] = [item for item in items if rubric.BY_NAME[_rubric_name(item)].part in parts]
    # Submission by submission, parts in rubric order (see PART_REFERENCE); stable within a part.
    items.sort(key=lambda item: (_student_index(item), rubric.PARTS.index(rubric.BY_NAME[_rubric_name(item)].part)))


def _student_index(item):
    callspec = getattr(item, "callspec", None)
    return callspec.indices.get("student", 0) if callspec else 0


def _rubric_name(item):
    marker = item.get_closest_marker("rubric")
    if marker is None:
        raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.rubric(...)")
    return marker.args[0]


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="session")
def student(request):
    submission = request.param
    state = request.config._autograder
    started = time.monotonic()
    kind = sandbox.isolation()
    record = results.SubmissionResult(submission=submission.given, id=submission.id, status=results.GRADED,
                                      isolation=kind, fingerprint=results.fingerprint(submission))
    state["results"][submission.id] = record
    state["order"].append(submission.id)
    handle = None
    try:
        if submission.duplicate_of:
            raise load.LoadError(f"{len(submission.duplicate_of)} files claim the same student id: "
                                 + ", ".join(submission.duplicate_of))
        program = load.load_path(submission.path)
        record.output = _load_report(program, request.config.getoption("lang"))
        handle = Student(submission, program, state["limits"], kind)
        yield handle
    except load.LoadError as exc:
        status = results.DUPLICATE if submission.duplicate_of else results.LOAD_ERROR
        state["results"][submission.id] = results.ungraded(submission, status, str(exc), kind)
        state["results"][submission.id].fingerprint = record.fingerprint
        yield None
    except Exception as exc:  # a bug of ours while loading: recorded as such, never an empty "graded"
        if handle is not None:
            raise
        state["results"][submission.id] = results.ungraded(
            submission, results.GRADER_ERROR, f"grader error while loading: {type(exc).__name__}: {exc}", kind)
        yield None
    finally:
        if handle is not None:
            handle.close()
            problems = handle.process.load_problems or []
            extra = _load_report(load.Program(chunks=[], problems=problems), request.config.getoption("lang"))
            if handle.process.load_error:
                extra = messages.say(handle.process.load_error, request.config.getoption("lang"),
                                     seconds=handle.process.limits.load_seconds)
            record.output = "\n".join(x for x in (record.output, extra) if x)
            if record.status == results.GRADED and record.output and (
                    handle.process.load_error or ((program.problems or handle.process.load_problems)
                                                 and not handle.process.defined)):
                # Nothing of the exercise could be loaded: say so, not just 0.
                record.status = results.LOAD_ERROR
                record.reason = record.output.splitlines()[0]
        final = state["results"][submission.id]
        final.execution_time = time.monotonic() - started
        final.tests.sort(key=lambda t: [x.name for x in rubric.TESTS].index(t.name))
        results_dir = request.config.getoption("results_dir")
        if results_dir:
            training = handle.cache.get(("train", "main")) if handle is not None else None
            if training is not None and training.ok:
                losses, params = training.value["losses"], training.value["params"]
                Path(results_dir).mkdir(parents=True, exist_ok=True)
                np.savez(results.training_path(results_dir, submission.id), losses=losses,
                         **{f"param{i}": p for i, p in enumerate(params)})
            results.save(final, results_dir)
            if request.config.getoption("submission_list"):
                del state["results"][submission.id]   # saved; a worker's memory stays flat over a class


def _load_report(program, lang):
    lines = list(program.notes)
    for problem in program.problems:
        if problem.get("line"):
            in_cell = problem["origin"].startswith("cell ")
            scope = ("這一格" if in_cell else "這個檔案") if lang != "en" else ("this cell" if in_cell else "this file")
            if problem["kind"] != "SyntaxError":
                scope = "這一行" if lang != "en" else "this statement"
            lines.append(messages.say("load-problem", lang, origin=problem["origin"], line=problem["line"],
                                      message=problem["message"], scope=scope))
        else:
            where = problem.get("where") or problem["origin"]
            lines.append(messages.say("load-problem-noline", lang, origin=where, message=problem["message"]))
    return "\n".join(lines)


@pytest.fixture
def check(request, student):
    if student is None:
        pytest.skip("submission could not be loaded")
    test = rubric.BY_NAME[_rubric_name(request.node)]
    check = Check(test, request.config.getoption("lang"))
    check.limits = student.process.limits
    return check


# ------------------------------------------------------------------ outcomes
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call":
        return
    check = item.funcargs.get("check")
    student = item.funcargs.get("student")
    if check is None or student is None:
        return
    record = item.config._autograder["results"][student.submission.id]
    if call.excinfo is not None and not call.excinfo.errisinstance(Incomplete):
        # A bug in the grader, not the student's doing: never a silent 0.
        record.status = results.GRADER_ERROR
        record.reason = f"grader error in {check.test.name}: {call.excinfo.typename}: {call.excinfo.value}"
        check.share = 0.0
        check.lines.append("internal grader error (the instructor has been told in the gradebook)")
    record.tests = [t for t in record.tests if t.name != check.test.name]
    record.tests.append(results.TestResult(check.test.name, check.points, check.test.points,
                                           output=check.output, tags=list(check.tags)))


class Incomplete(AssertionError):
    """Raised by ``finish`` so pytest shows a test without full points as failed."""


def finish(check, share):
    check.share = share
    if check.points < check.test.points:
        raise Incomplete(f"{check.points:g}/{check.test.points:g}\n{check.output}")


def pytest_terminal_summary(terminalreporter, config):
    state = getattr(config, "_autograder", None)
    if not state or not state["order"] or config.getoption("submission_list"):
        return
    for sid in state["order"]:
        record = state["results"][sid]
        parts = ", ".join(f"{p} {s:g}/{rubric.PART_POINTS[p]:g}" for p, s in record.part_scores().items())
        terminalreporter.write_sep("=", f"{sid}: {record.score:g}/{rubric.TOTAL_POINTS:g} ({parts}) [{record.status}]")
        if record.reason:
            terminalreporter.write_line(record.reason)
