"""The parent's handle on one submission's child process (see inside/runner.py for the other side).

``StudentProcess.request(part, op, **args)`` sends one request to the part's process and returns a
``Reply``: the values the student's code produced, or why there are none (it raised, returned
something that is not an array, exited, ran out of time). Whatever happens in the child, the parent
only ever gets a ``Reply`` -- never an exception from student code, never a hang: both protocol pipes
are non-blocking on this side, and every write and read waits in ``poll`` against a deadline
(``_Deadline``: CPU seconds of the submission's cgroup where there is one, with a wall-clock
backstop). The student's processes can fill, drain or hold the pipes; past the deadline the child is
killed and the request is a timeout. The one exception is ``launch.Unavailable``: the isolation
pinned for the run cannot be provided, which is the grader's problem, not the student's.
"""
import ctypes
import dataclasses
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

from autograder.sandbox import cgroup, forkserver, launch, unprivileged
from autograder.sandbox.inside import wire
from autograder.sandbox.inside.kinds import FINAL, OF_LOAD, REPORTED_BY_CHILD, Failure
from autograder.sandbox.modes import Isolation
from autograder.sandbox.limits import Limits
from autograder.sandbox.policy import isolation
from autograder.sandbox.schema import ERROR_SCHEMA, LOADED_SCHEMA, conforms

PR_SET_CHILD_SUBREAPER = 36
ANSI_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")   # not encodable as UTF-8: the JSON must stay strict
# Children this process started on purpose and has not closed yet; any other child is a stray.
_LIVE_CHILDREN = set()


@dataclasses.dataclass
class Reply:
    """What one request produced. Exactly one of ``value`` and ``error`` is set."""

    value: object = None
    error: dict = None        # {"kind": a Failure, "message", "where", ...}
    warnings: list = dataclasses.field(default_factory=list)
    output: str = ""          # what the student's code printed meanwhile (capped)

    @property
    def ok(self):
        return self.error is None


MALFORMED = "the reply was not understood (too large, or not what the grader asked for)"


def clean(text, limit):
    """Student-derived text for feedback: no terminal escapes or control bytes, at most ``limit`` chars."""
    text = LONE_SURROGATE.sub("\ufffd", CONTROL.sub("", ANSI_ESCAPE.sub("", text)))
    return text if len(text) <= limit else text[:limit] + " […]"


class ChildGone(Exception):
    """The child gave no usable answer: ``kind`` is TIMEOUT, EXITED or PROTOCOL."""

    def __init__(self, kind):
        super().__init__(kind.value)
        self.kind = kind


class _Deadline:
    """When a write or read across the boundary must have finished.

    With a cpuacct cgroup, ``seconds`` is the submission's own time since the deadline was set: the
    CPU time of all its processes, plus the wall-clock time in which they used (almost) none and none
    of them was runnable -- it sleeps, or blocks on a pipe it filled. Time in which it was waiting for
    a CPU others had does not count, so load it did not cause never costs it a limit;
    ``limits.wall_factor`` times as many wall-clock seconds end it in any case. Without a cgroup the
    limit is wall clock."""

    CHECK_EVERY = 0.1     # seconds between reads of the cgroup's CPU time
    IDLE_SHARE = 0.05     # a check interval in which it used less CPU than this share of one core is idle

    def __init__(self, seconds, limits, group=None):
        self.seconds = seconds
        self.group = group if group is not None and group.cpu_seconds() is not None else None
        now = time.monotonic()
        self.wall_end = now + limits.wall_seconds(seconds, self.group is not None)
        self.last = (now, self.group.cpu_seconds() if self.group else 0.0)
        self.own = 0.0        # CPU seconds plus idle seconds so far
        self.clock = None     # "cpu" (its own time, above) or "wall" (the backstop): what ended it

    def wait(self):
        """Seconds to wait before looking again; ChildGone(TIMEOUT) once the deadline is past."""
        now = time.monotonic()
        if now >= self.wall_end:
            self.clock = "wall"
            raise ChildGone(Failure.TIMEOUT)
        if self.group is None:
            return self.wall_end - now
        since = now - self.last[0]
        if since < self.CHECK_EVERY and self.own + since < self.seconds:
            # Not yet time to look (a reply usually comes first): reading the cgroup on every wakeup
            # cost a submission more than its replies did.
            return min(self.wall_end - now, self.CHECK_EVERY - since)
        cpu = self.group.cpu_seconds()
        if cpu is not None:
            last_now, last_cpu = self.last
            used, elapsed = max(0.0, cpu - last_cpu), now - last_now
            idle = used < self.IDLE_SHARE * elapsed and not self.group.runnable()
            self.own += elapsed if idle else used
            self.last = (now, cpu)
        if self.own >= self.seconds:
            self.clock = "cpu"
            raise ChildGone(Failure.TIMEOUT)
        return min(self.wall_end - now, self.CHECK_EVERY)


def _become_subreaper():
    """Orphans of a submission (double-forked daemons) are re-parented to us, so we can kill them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class StudentProcess:
    """One submission's sandboxed zygote and, at most one at a time, its part processes."""

    def __init__(self, chunks, *, operations, schema, limits=Limits(), kind=None, entry_points=(),
                 unused_imports=()):
        """``operations``: the source of the assignment's child-side operations; ``schema``: the form
        each of their replies must have (its REPLY_SCHEMA)."""
        self.chunks, self.limits, self.kind = chunks, limits, Isolation.of(kind or isolation())
        self.operations, self.schema = operations, schema
        self.entry_points, self.unused_imports = list(entry_points), list(unused_imports)
        self.process = None
        self.load_problems = None      # set after the first start: problems executing definitions
        self.load_error = None         # the whole load failed (timeout, exit): a one-line reason
        self.defined = []              # which of the entry points the submission defines
        self.missing_imports = []      # unused imports whose module is not installed
        self.part = None
        self.output_kept = 0
        self._output = None
        self.timed_out = {}            # part -> the request that ran out of time: later ones fail at once
        self.spent = 0.0               # wall clock spent in requests, against limits.submission_seconds
        self.last_timeout = None       # {"clock": "cpu" | "wall", "seconds": limit} of the latest timeout
        self._oom_seen = 0             # memory-cgroup OOM kills already reported
        self._group = None             # the sandbox's cgroup (kind.controllers)
        self._req_write = self._rep_read = None
        self._pending, self._pending_at = b"", 0   # request bytes not yet taken by the pipe

    # ------------------------------------------------------------ lifecycle
    def _start(self, template=True):
        _become_subreaper()
        refused = launch.refusal()
        if refused:
            raise launch.Unavailable(refused)
        argv, env = launch.command(self.kind, limits=self.limits)    # Unavailable: not graded with less
        controllers = self.kind.controllers
        if controllers:
            try:
                self._group = cgroup.Group(controllers, memory_bytes=self.limits.memory_bytes,
                                           processes=self.limits.processes)
            except cgroup.CgroupError as exc:
                raise launch.Unavailable(f"{exc}; chosen for this run, so this submission was not graded "
                                          "(regrade it)") from None
        req_read, self._req_write = os.pipe()
        self._rep_read, rep_write = os.pipe()
        # Our ends never block: a child that fills the request pipe (it can reopen it for writing
        # through /proc/self/fd) or drains the reply pipe meets a deadline, not a hung worker.
        os.set_blocking(self._req_write, False)
        os.set_blocking(self._rep_read, False)
        self._pending, self._pending_at = b"", 0
        self._output = tempfile.TemporaryFile()
        self._output_pos = 0
        workdir = tempfile.mkdtemp(prefix="autograder-child-") if not self.kind.bubblewrap else None
        if workdir and launch.drop_to_nobody():
            os.chown(workdir, unprivileged.sandbox_uid(), unprivileged.sandbox_uid())
        self._workdir = workdir
        if template and not workdir and self._fork_from_template(req_read, rep_write) is not None:
            return self._load()
        fds = {wire.REQUEST_FD: req_read, wire.REPLY_FD: rep_write}
        join = self._group.procs_files if self._group else ()
        setup = launch.preexec(self.kind, self.limits, workdir, join)   # prepared here, run after fork

        def child_setup():
            for target, source in fds.items():
                os.dup2(source, target)
                os.set_inheritable(target, True)
            setup()

        try:
            self.process = subprocess.Popen(
                argv, env=env, stdin=subprocess.DEVNULL, stdout=self._output, stderr=subprocess.STDOUT,
                pass_fds=(wire.REQUEST_FD, wire.REPLY_FD), preexec_fn=child_setup, close_fds=True)
        except (OSError, subprocess.SubprocessError) as exc:
            os.close(req_read)
            os.close(rep_write)
            self._close_wire()
            if self._group is not None:
                self._group.close()
                self._group = None
            raise launch.Unavailable(f"the sandbox could not be started ({type(exc).__name__}: {exc}); "
                                      "this submission was not graded (regrade it)") from None
        _LIVE_CHILDREN.add(self.process.pid)
        os.close(req_read)
        os.close(rep_write)
        return self._load()

    def _fork_from_template(self, req_read, rep_write):
        """The submission's first process forked from the worker's template and moved into the
        submission's cgroups (see forkserver.py); None when there is no working template."""
        pid = forkserver.fork(self.kind, self.limits, self._output.fileno(), req_read, rep_write)
        if pid is None:
            return None
        try:
            self._group.add(pid)
        except OSError as exc:
            forkserver.failed(f"not moved into its cgroups ({exc})")   # killed with the template's group, before it ran anything
            return None
        os.close(req_read)
        os.close(rep_write)
        self.process = forkserver.Forked(pid)
        return self.process

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
        if isinstance(self.process, forkserver.Forked) and "setup_failed" in reply:
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
        if self.load_error is not Failure.LOAD_EXITED or not self.kind.bubblewrap or self._output is None:
            return
        self._output.seek(0)
        first = self._output.read(300).decode("utf-8", "replace")
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

    def _close_wire(self):
        for fd in (self._req_write, self._rep_read):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._req_write = self._rep_read = None
        self._pending, self._pending_at = b"", 0

    def close(self):
        if self.process is None:
            if self._group is not None:
                self._group.close()
                self._group = None
            return
        self._close_wire()
        forked = isinstance(self.process, forkserver.Forked)
        if not forked:
            launch.kill_group(self.process)
            self.process.wait()
            _LIVE_CHILDREN.discard(self.process.pid)
        if self._group is not None:
            # Every process of the submission, whatever session or namespace it escaped to.
            self._group.close()
            self._group = None
        if not forked:   # a fork's orphans stay inside the template's sandbox, in the cgroup just emptied
            self._reap_orphans()
        self.process, self.part = None, None
        if self._workdir:
            subprocess.run(["rm", "-rf", self._workdir], check=False)
            self._workdir = None

    def oom_kills(self):
        """How many of the sandbox's processes the kernel has killed for exceeding its memory cgroup
        (None without one): a part that ended with SIGKILL ran out of memory when this grew."""
        return self._group.oom_kills() if self._group is not None else None

    def _reap_orphans(self):
        """Kill processes the submission left behind that were re-parented to us (we are a subreaper)."""
        me = str(os.getpid())
        for _ in range(5):
            strays = []
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    with open(f"/proc/{pid}/stat") as stat:
                        parent = stat.read().rsplit(")", 1)[1].split()[1]
                except (OSError, IndexError):
                    continue
                if parent == me and int(pid) not in _LIVE_CHILDREN:
                    strays.append(int(pid))
            if not strays:
                return
            for pid in strays:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------ wire
    def _send(self, message):
        """Queue a request; what the pipe takes now is written at once, the rest while the reply is
        awaited (``_read_exact``), so a full pipe costs the request's deadline, never a hang."""
        self._pending = self._pending[self._pending_at:] + wire.frame(message)
        self._pending_at = 0
        self._flush()

    def _flush(self):
        while self._pending_at < len(self._pending) and self._req_write is not None:
            try:
                written = os.write(self._req_write, memoryview(self._pending)[self._pending_at:self._pending_at + (1 << 20)])
            except BlockingIOError:
                return
            except OSError:   # the child is gone (EPIPE); reading its reply will say so
                self._pending, self._pending_at = b"", 0
                return
            self._pending_at += written
        if self._pending_at >= len(self._pending):
            self._pending, self._pending_at = b"", 0

    def _read_exact(self, size, deadline):
        chunks, remaining = [], size
        while remaining:
            wait = deadline.wait()
            poller = select.poll()
            poller.register(self._rep_read, select.POLLIN)
            if self._pending:
                poller.register(self._req_write, select.POLLOUT)
            events = dict(poller.poll(max(1, int(wait * 1000))))
            if self._pending and events.get(self._req_write):
                if events[self._req_write] & (select.POLLERR | select.POLLHUP):
                    self._pending, self._pending_at = b"", 0   # no reader left
                else:
                    self._flush()
            if not events.get(self._rep_read):
                continue
            try:
                data = os.read(self._rep_read, min(remaining, 1 << 20))
            except BlockingIOError:   # another reader (the student's process) took it first
                continue
            if not data:
                raise ChildGone(Failure.EXITED)
            chunks.append(data)
            remaining -= len(data)
        return b"".join(chunks)

    def _receive(self, seconds):
        deadline = _Deadline(seconds, self.limits, self._group)
        try:
            if self.process is None or self._rep_read is None:
                raise ChildGone(Failure.EXITED)
            (size,) = wire.HEADER.unpack(self._read_exact(4, deadline))
            if size > wire.MAX_REPLY:
                raise ChildGone(Failure.PROTOCOL)
            message = wire.parse(self._read_exact(size, deadline))
            if type(message) is not dict:
                raise ChildGone(Failure.PROTOCOL)
            return message
        except ChildGone as gone:
            if gone.kind is Failure.TIMEOUT:
                self.last_timeout = {"clock": deadline.clock, "seconds": seconds}
            self.close()
            raise ChildGone(gone.kind) from None
        except Exception:  # noqa: BLE001 -- bad JSON, nesting too deep, an impossible array: a forged reply
            self.close()
            raise ChildGone(Failure.PROTOCOL) from None

    def read_output(self):
        """What the child printed since the last call, within the submission's output cap."""
        if self._output is None:
            return ""
        self._output.seek(self._output_pos)
        room = max(0, self.limits.output_bytes - self.output_kept)
        data = self._output.read(room + 1)
        self._output.seek(0, os.SEEK_END)
        self._output_pos = self._output.tell()
        kept = data[:room]
        self.output_kept += len(kept)
        # Terminal escapes and control bytes would garble the gradebook and feedback files.
        text = clean(kept.decode("utf-8", "replace"), len(kept) + 1)
        if len(data) > room:
            text += "\n[… output truncated]"
        return text

    # ------------------------------------------------------------ requests
    def ensure_loaded(self):
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
            return {"kind": Failure.EXITED, "detail": {"key": "no-process"}, "message": "the part process could not start"}
        if "ready" not in reply:
            code = reply.get("part_ended")
            return {"kind": Failure.EXITED, "code": code if type(code) is int else 1,
                    "message": f"the part process ended at start (exit {code})"}
        self.part = part
        return None

    def request(self, part, op, *, reference="", inject=(), needs=(), timeout=None, **args):
        if part in self.timed_out:
            return Reply(error=dict(self.timed_out[part], message=self.timed_out[part]["message"] + " (earlier call)"))
        if self.spent >= self.limits.submission_seconds:
            return Reply(error={"kind": Failure.TIMEOUT, "where": "", "detail": {"key": "budget"},
                                "message": f"the submission's time budget of {self.limits.submission_seconds:g} s is used up"})
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
            checked = {"kind": kind, "message": clean(error["message"], 2000), "where": clean(error.get("where") or "", 300)}
            if error.get("detail") is not None:
                checked["detail"] = bounded(error["detail"])
            if error.get("calls") is not None:
                checked["calls"] = bounded(error["calls"][:100])
            return Reply(error=checked, warnings=warnings, output=self.read_output())
        if set(reply) == {"ok", "warnings"} and conforms(reply["ok"], self.schema[op]):
            return Reply(value=bounded(reply["ok"]), warnings=warnings, output=self.read_output())
        self.close()   # whatever sent that is not our runner any more
        return Reply(error={"kind": Failure.PROTOCOL, "message": MALFORMED, "where": ""}, output=self.read_output())


def bounded(value, limit=200):
    """A conforming reply with each of its strings cleaned and cut to ``limit`` characters: type names,
    identities and messages come from student code (a 3.9 MB class name was once reported back)."""
    if isinstance(value, str):
        return clean(value, limit)
    if isinstance(value, dict):
        return {key: bounded(item, limit) for key, item in value.items()}
    if isinstance(value, list):
        return [bounded(item, limit) for item in value]
    return value
