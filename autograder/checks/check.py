"""``Check``: one test's outcome -- its share of the points, what the student reads, the hints it
gives, and why it lost points (a ``Kind``) -- and ``finish``, which ends a test with its share."""
import re

from autograder import messages, sandbox
from autograder.assignment import Assignment, Test
from autograder.checks import numerics
from autograder.checks.student import Student
from autograder.results.kinds import Kind
from autograder.sandbox.child import Reply
from autograder.sandbox.inside.kinds import Failure

# A reply's error (``{"kind", "detail": {"key"}, ...}``) as a Kind: the error's own kind, refined by
# its detail's key where the sandbox says more.
REFINED: dict[tuple[str, str | None], Kind] = {
    ("timeout", "budget"): Kind.BUDGET, ("timeout", "timeout-cpu"): Kind.TIMEOUT_CPU,
    ("exited", "no-process"): Kind.NO_PROCESS, ("exited", "out-of-memory"): Kind.OUT_OF_MEMORY}
# The kinds a reply's error says as they are (any other is a 'raised' of the student's code).
CALL_KINDS = {failure.value for failure in Failure} - {Failure.RAISED.value}
EXCEPTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,79}")


def error_kind(error: dict) -> Kind:
    """The Kind of a failed call's error."""
    kind = error.get("kind", "raised")
    refined = REFINED.get((kind, (error.get("detail") or {}).get("key")))
    if refined is not None:
        return refined
    return Kind(kind) if kind in CALL_KINDS else Kind.RAISED


def exception_name(error: dict) -> str:
    """The type name of the exception a 'raised' error reports (its message is 'Type: message')."""
    name = error.get("message", "").partition(":")[0]
    return name if EXCEPTION_NAME.fullmatch(name) else ""


class Incomplete(AssertionError):
    """Raised by ``finish`` so pytest shows a test without full points as failed."""


class Check:
    """A test's outcome: its share of the points, what the student reads, the hints it gives."""

    def __init__(self, test: Test, lang: str, student: Student | None = None, limits: sandbox.Limits | None = None,
                 assignment: Assignment | None = None):
        self.test, self.lang, self.student = test, lang, student
        self.assignment = assignment or (student.assignment if student is not None else None)
        self.words = messages.catalog(lang, self.assignment)   # the assignment's words over the engine's
        self.share = 0.0
        self.lines: list[str] = []
        self.tags: list[str] = []
        self.limits = limits or sandbox.Limits()
        self.setup: tuple[str, ...] | None = None   # the reference pieces an attempt injects (None: no attempt)
        self.errored = False    # some call raised or failed: the attempt measured less
        self.kind: Kind | None = None   # the first failure this attempt measured
        self.exception = ""     # the exception's type name when that failure is Kind.RAISED

    def attempt(self, setup: tuple[str, ...]) -> "Check":
        """A fresh Check for grading this test with one setup."""
        fresh = Check(self.test, self.lang, self.student, self.limits, self.assignment)
        fresh.setup = setup
        return fresh

    def text(self, key: str, **values: object) -> str:
        """One sentence in the student's language: the assignment's, else the engine's."""
        return self.words(key, **values)

    def say(self, key: str, **values: object) -> None:
        line = self.text(key, **values)
        if line not in self.lines:    # the same measurement from several calls is said once
            self.lines.append(line)

    def hint(self, hint_id: str) -> None:
        if hint_id not in self.tags:
            self.tags.append(hint_id)
            self.lines.append(self.words.hint(hint_id))

    @property
    def injected(self) -> tuple[str, ...]:
        """``setup``, never None: an attempt's (set by ``attempt``), or once ``adopt`` ran, the kept one's."""
        assert self.setup is not None, "neither an attempt nor adopting one"
        return self.setup

    @property
    def _assignment(self) -> Assignment:
        """``assignment``, never None for a Check made for a student or given its assignment."""
        assert self.assignment is not None, "a Check made with neither a student nor an assignment"
        return self.assignment

    def where(self, text: str) -> str:
        return self.student.where(text, self.lang) if self.student is not None else text

    # ------------------------------------------------------------------ what was measured
    def fault(self, kind: Kind, exception: str = "") -> None:
        """Record why the test loses points; the first fault of an attempt is the one kept."""
        if self.kind is None:
            self.kind, self.exception = Kind(kind), exception

    def wrong_shape(self, what: str, got: object, expected: object) -> None:
        """``what`` returned an array of shape ``got`` where ``expected`` was asked for."""
        self.fault(Kind.SHAPE)
        self.say("shape", what=what, got=got, expected=expected)

    def not_finite(self, what: str) -> None:
        """``what`` returned nan or inf."""
        self.fault(Kind.NOT_FINITE)
        self.say("not-finite", what=what)

    def failed(self, reply: Reply, what: str) -> bool:
        """Explain a reply that carries no values; True when it does not (the test should stop). The
        failure is said under the call that failed when the child names it (a backward test's forward
        may be the one that raised), else under ``what``."""
        if reply.output:
            self.say("printed", text=reply.output.rstrip())
        error = reply.error
        if error is None:   # reply.ok
            return False
        self.errored = True
        kind = error_kind(error)
        self.fault(kind, exception_name(error) if kind is Kind.RAISED else "")
        self._say_failure(kind, error, error.get("call") or what)
        return True

    def _say_failure(self, kind: Kind, error: dict, what: str) -> None:
        detail = error.get("detail") or {}
        key = "detail-" + str(detail.get("key", ""))
        if kind is Kind.BUDGET:
            self.say("budget", seconds=self.limits.submission_seconds)
        elif kind in (Kind.TIMEOUT, Kind.TIMEOUT_CPU):
            self.say(kind.value, what=what, seconds=error.get("seconds") or self.limits.request_seconds)
        elif kind in (Kind.LOAD_TIMEOUT, Kind.LOAD_EXITED):
            self.say(kind.value, seconds=self.limits.load_seconds)
        elif key in messages.catalog(self.lang) and kind in (Kind.MISSING, Kind.RETURNED_NONE, Kind.NOT_ARRAY,
                                                             Kind.STRUCTURE):
            values = {name: detail.get(name) or "" for name in ("what", "name", "type", "error")}
            values.update(got=_shape(detail.get("got")), expected=_shape(detail.get("expected")))
            if detail.get("key") == "param-shape" and detail.get("got") is None:
                key = "detail-param-not-array"
            self.say(key, **values)
        elif kind in (Kind.NO_PROCESS, Kind.OUT_OF_MEMORY):
            self.say(kind.value, what=what, memory=self.limits.memory_bytes / 1024 ** 3)
        elif kind is Kind.EXITED and type(error.get("code")) is int:
            code = error["code"]
            how = messages.say("signal" if code < 0 else "exit-status", self.lang, code=abs(code))
            self.say("exited", what=what, message=how)
        elif kind is Kind.PROTOCOL:
            self.say("protocol")
        elif kind in (Kind.EXITED, Kind.MISSING, Kind.RETURNED_NONE, Kind.NOT_ARRAY, Kind.STRUCTURE):
            self.say(kind.value, what=what, message=error.get("message", ""))
        else:
            self.say("raised", what=what, message=error.get("message", ""),
                     where=self.where(error.get("where") or what))
            self._why_undefined(error.get("message", ""))

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

    def overwrote(self, reply: Reply) -> float:
        """The share a test keeps after the calls it made overwrote the caller's arrays (1.0 if none)."""
        changed = (reply.value or {}).get("overwrote", []) if reply.ok else []
        for entry in changed:
            what, _, name = entry.partition(":")
            self.say("overwrote", what=what, name=name, share=self._assignment.overwrite_share)
        if changed:
            self.fault(Kind.OVERWROTE)
            self.hint("modifies-input")
            return self._assignment.overwrite_share
        return 1.0

    def numerical(self, reply: Reply, what: str, gradient: str, source: str) -> bool:
        """Did ``what`` (a backward) get ``gradient`` by re-running forward on nudged copies of ``source``,
        the input it is the gradient of (numerical differentiation), or run with the grader's tracing
        removed? Then say what was measured and return True: that gradient earns nothing."""
        probe = (reply.value or {}).get("probe") if reply.ok else None
        if probe is None:
            return False
        if not probe["traced"]:
            self.fault(Kind.BACKWARD_UNTRACED)
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
        self.fault(Kind.NUMERICAL_GRADIENT)
        self.hint("numerical-gradient")
        return True

    # ------------------------------------------------------------------ the outcome
    @property
    def points(self) -> float:
        return self.test.points * min(max(self.share, 0.0), 1.0)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def result_kind(self) -> str:
        """The kind stored on the test's result: "" with full points, else the first fault, else wrong values."""
        if self.points >= self.test.points:
            return ""
        return (self.kind or Kind.WRONG_VALUES).value

    def adopt(self, attempts: list["Check"], student: Student) -> None:
        """Keep the best of the attempts (the first on a tie) and say which setup it used."""
        # The most points; on a tie, an attempt whose calls all ran (its feedback measured more), then
        # the first (max keeps the first of equals).
        best = max(attempts, key=lambda a: (a.points, not a.errored))
        self.share, self.lines, self.tags, self.setup = best.share, list(best.lines), list(best.tags), best.setup
        self.kind, self.exception = best.kind, best.exception
        part, assignment = self.test.part, self._assignment
        first = tuple(assignment.setups[part][0])
        if len(assignment.setups[part]) < 2 or (tuple(best.injected) == first and self.points >= self.test.points):
            return   # the default (README, notebook): full points with the reference pieces go unsaid
        self.lines.append(_setup_text(assignment, part, best.setup, self.lang))
        others = [a for a in attempts if a is not best]
        if others:
            tries = [messages.say("setup-try", self.lang, setup=_setup_name(assignment, part, a.setup, self.lang),
                                  points=round(a.points, 2), total=self.test.points) for a in others]
            separator = messages.say("tries-separator", self.lang)
            self.lines.append(messages.say("setup-tried", self.lang, tries=separator.join(tries)))
        reference_run = next((a for a in attempts if tuple(a.injected) == first), None)
        if self.points < self.test.points and reference_run is not None:
            # An own piece that lost points in its own tests, in a run that differs from the run with the
            # reference pieces (a different score, or the code ran only with the own pieces): only then did
            # the own pieces make a difference to this test. Runs that score the same say nothing about them.
            costly = [a for a in attempts if a is not reference_run and (
                a.points != reference_run.points or (reference_run.errored and not a.errored))]
            used = {piece for a in costly for piece in assignment.needs[part] if piece not in a.injected}
            for piece in assignment.parts:
                if piece in used and piece != part and not student.part_full(piece):
                    self.lines.append(messages.say("setup-own-piece-lost", self.lang, piece=piece))

    def grader_error(self) -> None:
        """The grader failed on this test (its bug, not the student's doing): no points, and why."""
        self.share = 0.0
        self.kind, self.exception = Kind.GRADER_ERROR, ""
        self.lines.append("internal grader error (the instructor has been told in the gradebook)")


def finish(check: Check, share: float) -> None:
    """Record the test's share of its points; a test without all of them stops here as failed."""
    check.share = share
    if check.points < check.test.points:
        raise Incomplete(f"{check.points:g}/{check.test.points:g}")


def _shape(value):
    return tuple(value) if isinstance(value, list) else value


def _setup_text(assignment, part, setup, lang):
    others = [name for name in assignment.needs[part] if name != part]
    if tuple(setup) == tuple(assignment.setups[part][0]):
        pieces = messages.say("list-separator", lang).join(setup)
        return messages.say("setup-reference", lang, pieces=pieces, part=part)
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
