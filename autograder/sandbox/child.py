"""The parent's handle on one submission's child process (see inside/runner.py for the other side).

``StudentProcess.request(part, op, **args)`` sends one request to the part's process and returns a
``Reply``: the values the student's code produced, or why there are none (it raised, returned
something that is not an array, exited, ran out of time). Whatever happens in the child, the parent
only ever gets a ``Reply`` -- never an exception from student code, never a hang: both protocol pipes
are non-blocking on this side (``channel``), and every write and read waits in ``poll`` against a
deadline (``deadline``: CPU seconds of the submission's cgroup where there is one, with a wall-clock
backstop). The student's processes can fill, drain or hold the pipes; past the deadline the child is
killed and the request is a timeout. The one exception is ``launch.Unavailable``: the isolation
pinned for the run cannot be provided, which is the grader's problem, not the student's.
"""
import dataclasses
import re
import subprocess
import sys
import time
from typing import Any, Iterable, Optional, Union

from autograder.sandbox import cgroup, forkserver, launch
from autograder.sandbox.deadline import ChildGone
from autograder.sandbox.inside import wire
from autograder.sandbox.inside.kinds import FINAL, OF_LOAD, REPORTED_BY_CHILD, Failure
from autograder.sandbox.limits import Limits
from autograder.sandbox.modes import Isolation
from autograder.sandbox.policy import isolation
from autograder.sandbox.schema import ERROR_SCHEMA, LOADED_SCHEMA, conforms
from autograder.sandbox.zygote import Zygote
from autograder.text import without_controls

LONE_SURROGATE = re.compile("[\ud800-\udfff]")   # not encodable as UTF-8: the JSON must stay strict
# The name of a call into student code, as an operation gives it: "Conv2D.forward", "Conv2D(...)", "backward()".
CALL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,40}(\.[A-Za-z_][A-Za-z0-9_]{0,40})?(\(\.\.\.\)|\(\))?")


@dataclasses.dataclass
class Reply:
    """What one request produced. Exactly one of ``value`` and ``error`` is set."""

    value: Any = None
    error: Optional[dict] = None   # {"kind": a Failure, "message", "where", ...}
    warnings: list = dataclasses.field(default_factory=list)
    output: str = ""               # what the student's code printed meanwhile (capped)

    @property
    def ok(self) -> bool:
        return self.error is None


MALFORMED = "the reply was not understood (too large, or not what the grader asked for)"


def clean(text: str, limit: int) -> str:
    """Student-derived text for feedback: no terminal escapes or control bytes, at most ``limit`` chars."""
    text = LONE_SURROGATE.sub("\ufffd", without_controls(text))
    return text if len(text) <= limit else text[:limit] + " […]"


class StudentProcess:
    """One submission's sandboxed zygote and, at most one at a time, its part processes."""

    def __init__(self, chunks: list, *, operations: str, schema: dict, limits: Limits = Limits(),
                 kind: Union[Isolation, str, None] = None, entry_points: Iterable[str] = (),
                 unused_imports: Iterable[dict] = ()) -> None:
        """``operations``: the source of the assignment's child-side operations; ``schema``: the form
        each of their replies must have (its REPLY_SCHEMA)."""
        self.chunks, self.limits, self.kind = chunks, limits, Isolation.of(kind or isolation())
        self.operations, self.schema = operations, schema
        self.entry_points, self.unused_imports = list(entry_points), list(unused_imports)
        self._zygote = Zygote(self.kind, limits)
        self.load_problems = None      # set after the first start: problems executing definitions
        self.load_error = None         # the whole load failed (timeout, exit): a one-line reason
        self.defined: list = []        # which of the entry points the submission defines
        self.missing_imports: list = []   # unused imports whose module is not installed
        self.part = None
        self.output_kept = 0
        self.timed_out: dict = {}      # part -> the request that ran out of time: later ones fail at once
        self.spent = 0.0               # wall clock spent in requests, against limits.submission_seconds
        self._oom_seen = 0             # memory-cgroup OOM kills already reported

    # ------------------------------------------------------------ the zygote
    @property
    def process(self) -> Optional[Union[subprocess.Popen, forkserver.Forked]]:
        """The submission's first process (None when there is none): a ``subprocess.Popen``, or a
        ``forkserver.Forked`` when the worker's template forked it."""
        return self._zygote.process

    @property
    def group(self) -> Optional[cgroup.Group]:
        """The sandbox's cgroup, None without one (``kind.controllers``) or when closed."""
        return self._zygote.group

    @property
    def last_timeout(self) -> Optional[dict]:
        """``{"clock": "cpu" | "wall", "seconds": limit}`` of the latest timeout, None before one."""
        return self._zygote.last_timeout

    def oom_kills(self) -> Optional[int]:
        """How many of the sandbox's processes the kernel has killed for exceeding its memory cgroup
        (None without one): a part that ended with SIGKILL ran out of memory when this grew."""
        return self._zygote.oom_kills()

    def _start(self, template=True):
        self._zygote.start(template)
        return self._load()

    def _load(self):
        """Send the definitions, read what loading them did; False when the load itself failed."""
        self._send({"operations": self.operations, "chunks": self.chunks, "entry_points": self.entry_points,
                    "unused_imports": self.unused_imports})
        try:
            reply = self._receive(self.limits.load_seconds)
        except ChildGone as gone:
            self.load_error = Failure.LOAD_TIMEOUT if gone.kind is Failure.TIMEOUT else Failure.LOAD_EXITED
            self._check_sandbox_started()
            return False
        if self._zygote.forked and "setup_failed" in reply:
            # The fork could not isolate itself, before any student code ran: a sandbox of its own.
            forkserver.failed(reply["setup_failed"])
            self.close()
            return self._start(template=False)
        if not conforms(reply, LOADED_SCHEMA):
            reply = {"problems": [], "defined": [], "missing_imports": []}
        if self.load_problems is None:
            self.load_problems = [dict(p, origin=clean(p["origin"], 100), kind=clean(p["kind"], 80),
                                       message=clean(p["message"], 500), binds=[clean(b, 80) for b in p["binds"]])
                                  for p in reply["problems"][:50]]
            self.defined = [name for name in reply["defined"] if name in self.entry_points]
            self.missing_imports = [dict(m, origin=clean(m["origin"], 100), module=clean(m["module"], 100))
                                    for m in reply["missing_imports"][:50]]
        return True

    def _check_sandbox_started(self):
        """A child that ended before answering may be bubblewrap failing to set up (user namespaces
        disabled since the run began). Its output starts with ``bwrap:`` then -- which the student's
        code can also print, so a probe decides: when bubblewrap cannot start a plain Python either,
        the submission was never run, and that is the grader's problem."""
        if self.load_error is not Failure.LOAD_EXITED or not self.kind.bubblewrap:
            return
        first = self._zygote.first_output(300).decode("utf-8", "replace")
        if not first.startswith("bwrap:"):
            return
        try:
            works = launch.run(self.kind, [sys.executable, "-I", "-S", "-c", "pass"], self.limits).returncode == 0
        except (OSError, subprocess.SubprocessError):
            works = False
        if not works:
            line = clean(first.splitlines()[0], 200)
            raise launch.Unavailable(f"bubblewrap, chosen for this run, cannot start a sandbox any more "
                                      f"({line}); this submission was not graded (regrade it)")

    def close(self) -> None:
        """End every process of the submission (its output stays readable)."""
        if self.process is not None:
            self.part = None
        self._zygote.close()

    def __enter__(self) -> "StudentProcess":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _send(self, message):
        self._zygote.send(message)

    def _receive(self, seconds):
        try:
            return self._zygote.receive(seconds)
        except ChildGone:   # the zygote is closed: no part process either
            self.part = None
            raise

    def read_output(self) -> str:
        """What the child printed since the last call, within the submission's output cap."""
        room = max(0, self.limits.output_bytes - self.output_kept)
        data = self._zygote.new_output(room + 1)
        kept = data[:room]
        self.output_kept += len(kept)
        # Terminal escapes and control bytes would garble the gradebook and feedback files.
        text = clean(kept.decode("utf-8", "replace"), len(kept) + 1)
        if len(data) > room:
            text += "\n[… output truncated]"
        return text

    # ------------------------------------------------------------ requests
    def ensure_loaded(self) -> bool:
        """Start the child if needed. False when the definitions could not be loaded at all."""
        if self.load_error:
            return False
        if self.process is None:
            return self._start()
        return True

    def _enter_part(self, part, reference, inject):
        if self.part == part and self.process is not None:
            return None
        reused = self.process is not None
        problem = self._start_part(part, reference, inject)
        if problem and problem["kind"] not in OF_LOAD and reused:
            # The zygote did not start the part cleanly: an earlier part's code may have tampered with
            # it (threads, hooks, bytes pushed into the pipes). A fresh sandbox gets a second chance.
            self.close()
            problem = self._start_part(part, reference, inject)
        return problem

    def _start_part(self, part, reference, inject):
        if self.part is not None:
            self._send({"op": "end"})
            try:
                self._receive(self.limits.request_seconds)   # part_ended
            except ChildGone:
                pass
            self.part = None
        if not self.ensure_loaded():
            return {"kind": self.load_error, "message": "", "where": ""}
        self._send({"op": "part", "reference": reference, "inject": list(inject)})
        try:
            reply = self._receive(self.limits.request_seconds)
        except ChildGone as gone:
            return {"kind": gone.kind, "message": "could not start the part process"}
        if "part_failed" in reply:
            return {"kind": Failure.EXITED, "detail": {"key": "no-process"},
                    "message": "the part process could not start"}
        if "ready" not in reply:
            code = reply.get("part_ended")
            return {"kind": Failure.EXITED, "code": code if type(code) is int else 1,
                    "message": f"the part process ended at start (exit {code})"}
        self.part = part
        return None

    def request(self, part: str, op: str, *, reference: str = "", inject: Iterable[str] = (),
                needs: Iterable[str] = (), timeout: Optional[float] = None, **args: Any) -> Reply:
        """Run operation ``op`` in ``part``'s process (with the reference pieces ``inject`` from the
        source ``reference``) on ``args``; ``needs``: names the submission must define first."""
        if part in self.timed_out:
            return Reply(error=dict(self.timed_out[part], message=self.timed_out[part]["message"] + " (earlier call)"))
        if self.spent >= self.limits.submission_seconds:
            return Reply(error={"kind": Failure.TIMEOUT, "where": "", "detail": {"key": "budget"},
                                "message": f"the submission's time budget of {self.limits.submission_seconds:g} s "
                                           "is used up"})
        started = time.monotonic()
        try:
            reply = self._request(part, op, reference, inject, needs, timeout, args)
        finally:
            self.spent += time.monotonic() - started
        if not reply.ok and reply.error.get("kind") in FINAL:
            self.timed_out[part] = reply.error
        return reply

    def _request(self, part, op, reference, inject, needs, timeout, args):
        # One process per part and set of reference pieces: the same part graded with the student's
        # own pieces gets a fresh fork of the zygote, without the reference.
        problem = self._enter_part((part, tuple(inject)), reference, inject)
        if problem:
            return Reply(error=problem, output=self.read_output())
        self._send({"op": op, "args": args, "needs": list(needs)})
        seconds = timeout or self.limits.request_seconds
        try:
            reply = self._receive(seconds)
        except ChildGone as gone:
            kind = gone.kind
            message = {Failure.TIMEOUT: f"time limit of {seconds:g} s exceeded",
                       Failure.PROTOCOL: MALFORMED}.get(kind, "the process ended without answering")
            error = {"kind": kind, "message": message, "where": ""}
            if kind is Failure.TIMEOUT and self.last_timeout:
                error["detail"] = {"key": "timeout-" + self.last_timeout["clock"]}
                error["seconds"] = self.last_timeout["seconds"]
            return Reply(error=error, output=self.read_output())
        if "part_ended" in reply:
            # The student's code ended the part process (os._exit, a signal): only this request is lost.
            self.part = None
            code = reply["part_ended"]
            code = code if type(code) is int else 1
            how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
            error = {"kind": Failure.EXITED, "code": code, "message": f"the process ended ({how})", "where": ""}
            if code == -9 and (self.oom_kills() or 0) > self._oom_seen:
                self._oom_seen = self.oom_kills()
                error["detail"] = {"key": "out-of-memory"}   # the kernel, at the sandbox's memory limit
            return Reply(error=error, output=self.read_output())
        return self._checked(op, reply)

    def _checked(self, op, reply):
        """The reply as a Reply, if it has the form the assignment's REPLY_SCHEMA gives ``op``; every string in it
        cleaned and bounded. Anything else (a forged or broken reply) fails this request, never the grader."""
        warnings = reply.get("warnings", [])
        if not conforms(warnings, ["str"]):
            warnings = []
        warnings = [clean(w, 200) for w in warnings[:wire.MAX_WARNINGS]]
        if set(reply) == {"error", "warnings"} and conforms(reply["error"], ERROR_SCHEMA):
            error = reply["error"]
            kind = Failure(error["kind"]) if error["kind"] in REPORTED_BY_CHILD else Failure.RAISED
            checked = {"kind": kind, "message": clean(error["message"], 2000),
                       "where": clean(error.get("where") or "", 300)}
            if error.get("detail") is not None:
                checked["detail"] = bounded(error["detail"])
            if error.get("calls") is not None:
                checked["calls"] = bounded(error["calls"][:100])
            if error.get("call") and CALL_NAME.fullmatch(error["call"]):
                checked["call"] = error["call"]   # the operation's name for the call that failed
            return Reply(error=checked, warnings=warnings, output=self.read_output())
        if set(reply) == {"ok", "warnings"} and conforms(reply["ok"], self.schema[op]):
            return Reply(value=bounded(reply["ok"]), warnings=warnings, output=self.read_output())
        self.close()   # whatever sent that is not our runner any more
        return Reply(error={"kind": Failure.PROTOCOL, "message": MALFORMED, "where": ""}, output=self.read_output())


def bounded(value: Any, limit: int = 200) -> Any:
    """A conforming reply with each of its strings cleaned and cut to ``limit`` characters: type names,
    identities and messages come from student code (a 3.9 MB class name was once reported back)."""
    if isinstance(value, str):
        return clean(value, limit)
    if isinstance(value, dict):
        return {key: bounded(item, limit) for key, item in value.items()}
    if isinstance(value, list):
        return [bounded(item, limit) for item in value]
    return value
