"""The pytest side of grading: options, fixtures and the hooks that turn test outcomes into results.

An assignment's hidden checks (``<its package>/checks/test_*.py``) are ordinary pytest tests, each
marked ``@pytest.mark.rubric(name)`` with the rubric test it grades. Each takes

* ``student`` -- a ``Student``: the submission's code behind a child process (one per submission,
  shared by its tests; pytest groups each submission's tests together and closes it after them);
* ``check`` -- a ``Check``: where the test records its share of the points, its feedback and hints.

The checks folder's ``conftest.py`` imports these hooks and fixtures and calls
``configure(config, ASSIGNMENT)``. An instructor runs the checks on one submission with
``pytest <package>/checks --submission FILE``; ``python -m autograder grade`` runs the very same
tests over a class (``--submission-list``) and collects the results written here.
"""
import json
import re
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.find import discover, load
from autograder import messages, results, sandbox
from autograder.checks import numerics
from autograder.sandbox.child import StudentProcess

WHERE = re.compile(r"^(?:cell (?P<cell>\d+)|(?P<file>[^,]{1,200})), line (?P<line>\d+), in (?P<function>.{1,80})$")


class Student:
    """One submission's code, reached through its child process.

    A part is graded with each of the setups the assignment gives it in turn (the reference's pieces
    swapped in, then the student's own): ``setup`` is the reference pieces the current attempt
    injects, and replies are cached per setup."""

    def __init__(self, submission, program, limits, kind, assignment, record=None):
        self.submission, self.program, self.record, self.assignment = submission, program, record, assignment
        self.process = StudentProcess(program.chunks, operations=assignment.operations_source,
                                      schema=assignment.reply_schema, limits=limits, kind=kind,
                                      entry_points=assignment.entry_points, unused_imports=program.unused_imports)
        self.cache = {}
        self.revealed = set()      # reference pieces this sandbox has been sent
        self.setup = None          # reference pieces of the attempt being graded (None: the part's first setup)
        self.chosen = {}           # part -> the setup its last graded test kept (the feedback plot shows that run)
        self.cited_cells = False   # some feedback named a notebook cell: explain the numbering once

    def setups(self, part):
        """The setups worth trying for ``part``, in order: those whose other pieces the student defines."""
        self.process.ensure_loaded()
        defined = set(self.process.defined)
        needs, setups = self.assignment.needs[part], self.assignment.setups[part]
        viable = [setup for setup in setups if all(name in setup or name in defined for name in needs)]
        return viable or list(setups[:1])

    def cached(self, key, part):
        """The reply cached under ``key`` for the setup ``part`` kept, or None."""
        setup = self.chosen.get(part, self.assignment.setups[part][0])
        return self.cache.get((key, tuple(setup)))

    def request(self, part, op, *, key=None, **args):
        """Ask the part's process to run ``op``; replies with a ``key`` are computed once per setup."""
        setup = tuple(self.setup if self.setup is not None else self.assignment.setups[part][0])
        if key is not None and (key, setup) in self.cache:
            return self.cache[key, setup]
        if part in self.revealed:
            # Out of order (an instructor's -p randomly, -k): this sandbox has seen the reference of
            # the part now asked for. Grade it in a fresh one: new zygote, new /tmp.
            self.process.close()
            self.revealed.clear()
        self.revealed.update(setup)
        reply = self.process.request(part, op, reference=self.assignment.reference_source(*setup) if setup else "",
                                     inject=setup, needs=self.assignment.needs[part], **args)
        if key is not None:
            self.cache[key, setup] = reply
        return reply

    def part_full(self, part):
        """Did ``part`` (graded earlier) get all its points?"""
        if self.record is None:
            return True
        tests = [t for t in self.record.tests if t.part == part]
        return bool(tests) and all(t.score >= t.max_score for t in tests)

    def where(self, text, lang):
        """'cell 12, line 31, in forward' as a student finds it: the cell's first line and exercise."""
        match = WHERE.match(text or "")
        if not match:
            return text
        function = (messages.say("where-function", lang, name=match["function"])
                    if match["function"] not in ("<module>", "") else "")
        if match["cell"] is None:
            return messages.say("where-file", lang, file=match["file"], line=match["line"], function=function)
        info = self.program.cells.get(f"cell {match['cell']}")
        if info is None:
            return messages.say("where-file", lang, file=f"cell {match['cell']}", line=match["line"], function=function)
        self.cited_cells = True
        label = messages.say("where-label", lang, label=info["label"]) if info["label"] else ""
        return messages.say("where-cell", lang, cell=match["cell"], first=info["first_line"], label=label,
                            line=match["line"], function=function)

    def close(self):
        self.process.close()


class Check:
    """A test's outcome: its share of the points, what the student reads, the hints it gives."""

    def __init__(self, test, lang, student=None, limits=None, assignment=None):
        self.test, self.lang, self.student = test, lang, student
        self.assignment = assignment or (student.assignment if student is not None else None)
        self.words = messages.catalog(lang, self.assignment)   # the assignment's words over the engine's
        self.share = 0.0
        self.lines, self.tags = [], []
        self.limits = limits or sandbox.Limits()
        self.setup = None
        self.errored = False    # some call raised or failed: the attempt measured less

    def attempt(self, setup):
        """A fresh Check for grading this test with one setup."""
        fresh = Check(self.test, self.lang, self.student, self.limits, self.assignment)
        fresh.setup = setup
        return fresh

    def text(self, key, **values):
        """One sentence in the student's language: the assignment's, else the engine's."""
        return self.words(key, **values)

    def say(self, key, **values):
        line = self.text(key, **values)
        if line not in self.lines:    # the same measurement from several calls is said once
            self.lines.append(line)

    def hint(self, hint_id):
        if hint_id not in self.tags:
            self.tags.append(hint_id)
            self.lines.append(self.words.hint(hint_id))

    def where(self, text):
        return self.student.where(text, self.lang) if self.student is not None else text

    def failed(self, reply, what):
        """Explain a reply that carries no values; True when it does not (the test should stop)."""
        if reply.output:
            self.say("printed", text=reply.output.rstrip())
        if reply.ok:
            return False
        self.errored = True
        error = reply.error
        kind, detail = error.get("kind", "raised"), error.get("detail") or {}
        key = "detail-" + str(detail.get("key", ""))
        if kind == "timeout" and detail.get("key") == "budget":
            self.say("budget", seconds=self.limits.submission_seconds)
        elif kind == "timeout":
            clock = "timeout-cpu" if detail.get("key") == "timeout-cpu" else "timeout"
            self.say(clock, what=what, seconds=error.get("seconds") or self.limits.request_seconds)
        elif kind in ("load-timeout", "load-exited"):
            self.say(kind, seconds=self.limits.load_seconds)
        elif key in messages.catalog(self.lang) and kind in ("missing", "returned-none", "not-array", "structure"):
            values = {name: detail.get(name) or "" for name in ("what", "name", "type", "error")}
            values.update(got=_shape(detail.get("got")), expected=_shape(detail.get("expected")))
            if detail.get("key") == "param-shape" and detail.get("got") is None:
                key = "detail-param-not-array"
            self.say(key, **values)
        elif kind == "exited" and detail.get("key") in ("no-process", "out-of-memory"):
            self.say(detail["key"], what=what, memory=self.limits.memory_bytes / 1024 ** 3)
        elif kind == "exited" and type(error.get("code")) is int:
            code = error["code"]
            how = messages.say("signal" if code < 0 else "exit-status", self.lang, code=abs(code))
            self.say("exited", what=what, message=how)
        elif kind == "protocol":
            self.say("protocol")
        elif kind in ("exited", "missing", "returned-none", "not-array", "structure"):
            self.say(kind, what=what, message=error.get("message", ""))
        else:
            self.say("raised", what=what, message=error.get("message", ""), where=self.where(error.get("where") or what))
            self._why_undefined(error.get("message", ""))
        return True

    def _why_undefined(self, message):
        """A NameError for a name whose defining statement failed while loading: point at that statement."""
        match = re.match(r"NameError: name '(\w+)' is not defined", message)
        if not match or self.student is None:
            return
        for problem in self.student.process.load_problems or []:
            if match[1] in problem.get("binds", ()) and problem.get("line"):
                where = self.where(f"{problem['origin']}, line {problem['line']}, in <module>")
                self.say("undefined-because", name=match[1], where=where)
                return

    def overwrote(self, reply):
        """The share a test keeps after the calls it made overwrote the caller's arrays (1.0 if none)."""
        changed = (reply.value or {}).get("overwrote", []) if reply.ok else []
        for entry in changed:
            what, _, name = entry.partition(":")
            self.say("overwrote", what=what, name=name, share=self.assignment.overwrite_share)
        if changed:
            self.hint("modifies-input")
            return self.assignment.overwrite_share
        return 1.0

    def numerical(self, reply, what, gradient, source):
        """Did ``what`` (a backward) get ``gradient`` by re-running forward on nudged copies of ``source``,
        the input it is the gradient of (numerical differentiation), or run with the grader's tracing
        removed? Then say what was measured and return True: that gradient earns nothing."""
        probe = (reply.value or {}).get("probe") if reply.ok else None
        if probe is None:
            return False
        if not probe["traced"]:
            self.say("backward-untraced", what=what)
            self.hint("backward-untraced")
            return True
        entries, whole = probe["entry"].get(source, 0), probe["whole"].get(source, 0)
        if entries >= numerics.NUDGED_EVALUATIONS:
            self.say("numerical-gradient", what=what, gradient=gradient, source=source, count=entries)
        elif whole >= numerics.WHOLE_NUDGED_EVALUATIONS:
            self.say("numerical-gradient-whole", what=what, gradient=gradient, source=source, count=whole)
        else:
            return False
        self.hint("numerical-gradient")
        return True

    @property
    def points(self):
        return self.test.points * min(max(self.share, 0.0), 1.0)

    @property
    def output(self):
        return "\n".join(self.lines)

    def adopt(self, attempts, student):
        """Keep the best of the attempts (the first on a tie) and say which setup it used."""
        # The most points; on a tie, an attempt whose calls all ran (its feedback measured more), then
        # the first (max keeps the first of equals).
        best = max(attempts, key=lambda a: (a.points, not a.errored))
        self.share, self.lines, self.tags, self.setup = best.share, list(best.lines), list(best.tags), best.setup
        part, assignment = self.test.part, self.assignment
        first = tuple(assignment.setups[part][0])
        if len(assignment.setups[part]) < 2 or (tuple(best.setup) == first and self.points >= self.test.points):
            return   # the default (README, notebook): full points with the reference pieces go unsaid
        self.lines.append(_setup_text(assignment, part, best.setup, self.lang))
        others = [a for a in attempts if a is not best]
        if others:
            tries = [messages.say("setup-try", self.lang, setup=_setup_name(assignment, part, a.setup, self.lang),
                                  points=round(a.points, 2), total=self.test.points) for a in others]
            self.lines.append(messages.say("setup-tried", self.lang, tries=messages.say("tries-separator", self.lang).join(tries)))
        if self.points < self.test.points:
            # Code that runs only with the student's own pieces, one of them wrong: say so plainly.
            used = {piece for a in attempts for piece in assignment.needs[part] if piece not in a.setup}
            for piece in assignment.parts:
                if piece in used and piece != part and not student.part_full(piece):
                    self.lines.append(messages.say("setup-own-piece-lost", self.lang, piece=piece))


def _shape(value):
    return tuple(value) if isinstance(value, list) else value


def _setup_text(assignment, part, setup, lang):
    others = [name for name in assignment.needs[part] if name != part]
    if tuple(setup) == tuple(assignment.setups[part][0]):
        return messages.say("setup-reference", lang, pieces=messages.say("list-separator", lang).join(setup), part=part)
    own = [name for name in others if name not in setup]
    join = messages.say("list-separator", lang)
    with_reference = messages.say("setup-with-reference", lang, pieces=join.join(setup)) if setup else ""
    return messages.say("setup-own", lang, own=join.join(own), with_reference=with_reference)


def _setup_name(assignment, part, setup, lang):
    join = messages.say("list-separator", lang)
    if setup:
        return messages.say("setup-name-reference", lang, pieces=join.join(setup))
    own = [name for name in assignment.needs[part] if name != part]
    return messages.say("setup-name-own", lang, pieces=join.join(own))


# ------------------------------------------------------------------ options
def pytest_addoption(parser):
    group = parser.getgroup("autograder", "the exercise kit's autograder")
    group.addoption("--submission", action="append", default=[], metavar="PATH",
                    help="a submission file or folder to grade (repeatable)")
    group.addoption("--submission-list", metavar="JSON", help="JSON list of {id, path, given} (used by the CLI)")
    group.addoption("--results-dir", metavar="DIR", help="write each submission's result here, atomically")
    group.addoption("--lang", default="zh", choices=messages.LANGUAGES, help="feedback language (default zh)")
    group.addoption("--part", action="append", default=[], help="grade only these parts (repeatable)")
    group.addoption("--limit", action="append", default=[], metavar="NAME=VALUE",
                    help="override a sandbox limit (autograder.sandbox.Limits), e.g. request_seconds=30")


def _submissions(config):
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
        return discover.find(paths, config._autograder["assignment"])
    except discover.DiscoveryError as exc:
        raise pytest.UsageError(str(exc)) from None


def configure(config, assignment):
    """Called by a checks folder's ``conftest.py`` (its ``pytest_configure``) with its assignment."""
    config.addinivalue_line("markers", "rubric(name): the rubric test this pytest test grades")
    try:
        limits = sandbox.parse_limits(config.getoption("limit", default=[]) or [])
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    unknown = [p for p in config.getoption("part", default=[]) or [] if p not in assignment.parts]
    if unknown:
        raise pytest.UsageError(f"--part {unknown[0]}: {assignment.id} has the parts {', '.join(assignment.parts)}")
    config._autograder = {"results": {}, "order": [], "limits": limits, "assignment": assignment}


def pytest_report_header(config):
    return sandbox.describe()


def pytest_generate_tests(metafunc):
    if "student" in metafunc.fixturenames:
        subs = _submissions(metafunc.config)
        metafunc.parametrize("student", subs, ids=[s.id for s in subs], indirect=True, scope="session")


def pytest_collection_modifyitems(config, items):
    assignment = config._autograder["assignment"]
    parts = config.getoption("part")
    for item in items:
        if _rubric_name(item) not in assignment.by_name:
            raise pytest.UsageError(f"{item.nodeid}: rubric test {_rubric_name(item)!r} is not in {assignment.id}'s rubric")
    if parts:
        items[:] = [item for item in items if assignment.by_name[_rubric_name(item)].part in parts]
    # Submission by submission, parts in grading order (a reference piece reaches a sandbox only
    # after its own part is graded); stable within a part.
    items.sort(key=lambda item: (_student_index(item),
                                 assignment.parts.index(assignment.by_name[_rubric_name(item)].part)))


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
    assignment = state["assignment"]
    lang = request.config.getoption("lang")
    started = time.monotonic()
    kind = sandbox.isolation()
    grader = results.grader_fingerprint(assignment)
    record = results.SubmissionResult(submission=submission.given, id=submission.id, status=results.GRADED,
                                      assignment=assignment.id, isolation=str(kind),
                                      fingerprint=results.fingerprint(submission, grader),
                                      submitted_at=submission.submitted_at)
    state["results"][submission.id] = record
    state["order"].append(submission.id)
    handle = None
    try:
        if submission.duplicate_of:
            raise load.LoadError(f"{len(submission.duplicate_of)} files claim the same student id: "
                                 + ", ".join(submission.duplicate_of))
        if submission.problem:   # a link, a pipe, a folder named like a notebook: never opened
            raise load.LoadError(submission.problem)
        program = load.load_path(submission.path, assignment.entry_points, assignment.course_modules)
        handle = Student(submission, program, state["limits"], kind, assignment, record)
        yield handle
    except load.LoadError as exc:
        status = results.DUPLICATE if submission.duplicate_of else results.LOAD_ERROR
        state["results"][submission.id] = results.ungraded(submission, status, str(exc), str(kind), assignment=assignment)
        state["results"][submission.id].fingerprint = record.fingerprint
        yield None
    except Exception as exc:  # a bug of ours while loading: recorded as such, never an empty "graded"
        if handle is not None:
            raise
        state["results"][submission.id] = results.ungraded(
            submission, results.GRADER_ERROR, f"grader error while loading: {type(exc).__name__}: {exc}", kind,
            assignment=assignment)
        yield None
    finally:
        if handle is not None:
            handle.close()
            process = handle.process
            report = _load_report(handle, program.problems + (process.load_problems or []), lang)
            if process.load_error:
                report = "\n".join(x for x in (report, messages.say(process.load_error, lang,
                                                                    seconds=process.limits.load_seconds)) if x)
            if handle.cited_cells:
                report = "\n".join(x for x in (report, messages.say("cell-numbering", lang)) if x)
            record.output = report
            if record.status == results.GRADED and record.output and (
                    process.load_error or ((program.problems or process.load_problems) and not process.defined)):
                # Nothing of the exercise could be loaded: say so, not just 0.
                record.status = results.LOAD_ERROR
                record.reason = record.output.splitlines()[0]
        final = state["results"][submission.id]
        final.execution_time = time.monotonic() - started
        order = [t.name for t in assignment.tests]
        final.tests.sort(key=lambda t: order.index(t.name))
        results_dir = request.config.getoption("results_dir")
        if results_dir:
            figure = assignment.module("plots")
            arrays = figure.record(handle) if figure is not None and handle is not None else None
            if arrays:
                Path(results_dir).mkdir(parents=True, exist_ok=True)
                np.savez(results.plot_path(results_dir, submission.id), **arrays)
            results.save(final, results_dir)
            if request.config.getoption("submission_list"):
                del state["results"][submission.id]   # saved; a worker's memory stays flat over a class


def _load_report(student, problems, lang):
    """What went wrong loading the submission, and imports that would fail elsewhere, one line each."""
    program = student.program
    lines = list(program.notes)
    for problem in problems:
        if problem.get("line"):
            in_cell = problem["origin"].startswith("cell ")
            scope = messages.say("scope-cell" if in_cell else "scope-file", lang)
            if problem["kind"] != "SyntaxError":
                scope = messages.say("scope-statement", lang)
            where = student.where(f"{problem['origin']}, line {problem['line']}, in <module>", lang)
            lines.append(messages.say("load-problem", lang, where=where, message=problem["message"], scope=scope))
        else:
            where = problem.get("where") or problem["origin"]
            lines.append(messages.say("load-problem-noline", lang, origin=where, message=problem["message"]))
    for missing in student.process.missing_imports:
        where = student.where(f"{missing['origin']}, line {missing['line']}, in <module>", lang)
        lines.append(messages.say("missing-import", lang, where=where, module=missing["module"]))
    return "\n".join(lines)


@pytest.fixture
def check(request, student):
    if student is None:
        pytest.skip("submission could not be loaded")
    test = request.config._autograder["assignment"].by_name[_rubric_name(request.node)]
    return Check(test, request.config.getoption("lang"), student, student.process.limits)


# ------------------------------------------------------------------ outcomes
@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run a check once per setup of its part (reference pieces, then the student's own) until one
    gives full points, and keep the best: relying on one's own correct code never costs a point."""
    check, student = pyfuncitem.funcargs.get("check"), pyfuncitem.funcargs.get("student")
    if check is None or student is None:
        return None
    names = pyfuncitem._fixtureinfo.argnames
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
    student.chosen[check.test.part] = tuple(check.setup)
    if check.points < check.test.points:
        raise Incomplete(f"{results.display(check.points)}/{check.test.points:g}\n{check.output}")
    return True


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
                                           output=check.output, tags=list(check.tags), part=check.test.part))


class Incomplete(AssertionError):
    """Raised by ``finish`` so pytest shows a test without full points as failed."""


def finish(check, share):
    """Record the test's share of its points; a test without all of them stops here as failed."""
    check.share = share
    if check.points < check.test.points:
        raise Incomplete(f"{check.points:g}/{check.test.points:g}")


def pytest_terminal_summary(terminalreporter, config):
    state = getattr(config, "_autograder", None)
    if not state or not state["order"] or config.getoption("submission_list"):
        return
    for sid in state["order"]:
        record = state["results"][sid]
        points = state["assignment"].part_points
        parts = ", ".join(f"{p} {results.display(s)}/{points[p]:g}" for p, s in record.part_scores().items())
        terminalreporter.write_sep("=", f"{sid}: {results.display(record.score)}/{state['assignment'].total_points:g} "
                                        f"({parts}) [{record.status}]")
        if record.reason:
            terminalreporter.write_line(record.reason)
