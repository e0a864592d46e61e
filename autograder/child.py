"""The parent's handle on one submission's child process (see runner.py for the other side).

``StudentProcess.request(part, op, **args)`` sends one request to the part's process and returns a
``Reply``: the values the student's code produced, or why there are none (it raised, returned
something that is not an array, exited, ran out of time). Whatever happens in the child, the parent
only ever gets a ``Reply`` -- never an exception from student code, never a hang.
"""
import ctypes
import dataclasses
import os
import re
import select
import signal
import struct
import subprocess
import tempfile
import time

from . import runner, sandbox

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
    error: dict = None        # {"kind", "message", "where"}; kind: raised, timeout, exited, missing, ...
    warnings: list = dataclasses.field(default_factory=list)
    output: str = ""          # what the student's code printed meanwhile (capped)

    @property
    def ok(self):
        return self.error is None


MALFORMED = "the reply was not understood (too large, or not what the grader asked for)"
# The kinds of failure the runner itself reports (anything else a reply claims is shown as "raised").
STUDENT_ERROR_KINDS = ("raised", "missing", "returned-none", "not-array", "structure")


def clean(text, limit):
    """Student-derived text for feedback: no terminal escapes or control bytes, at most ``limit`` chars."""
    text = LONE_SURROGATE.sub("\ufffd", CONTROL.sub("", ANSI_ESCAPE.sub("", text)))
    return text if len(text) <= limit else text[:limit] + " […]"


class ChildGone(Exception):
    pass


def _become_subreaper():
    """Orphans of a submission (double-forked daemons) are re-parented to us, so we can kill them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class StudentProcess:
    """One submission's sandboxed zygote and, at most one at a time, its part processes."""

    def __init__(self, chunks, *, limits=sandbox.Limits(), kind=None, entry_points=(), unused_imports=()):
        self.chunks, self.limits, self.kind = chunks, limits, kind or sandbox.isolation()
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

    # ------------------------------------------------------------ lifecycle
    def _start(self):
        _become_subreaper()
        argv, env = sandbox.command(self.kind)
        req_read, self._req_write = os.pipe()
        self._rep_read, rep_write = os.pipe()
        self._output = tempfile.TemporaryFile()
        self._output_pos = 0
        workdir = tempfile.mkdtemp(prefix="autograder-child-") if self.kind != "bubblewrap" else None
        if workdir and sandbox.drop_to_nobody():
            os.chown(workdir, sandbox.NOBODY, sandbox.NOBODY)
        self._workdir = workdir
        fds = {runner.REQUEST_FD: req_read, runner.REPLY_FD: rep_write}

        def child_setup():
            for target, source in fds.items():
                os.dup2(source, target)
                os.set_inheritable(target, True)
            sandbox.preexec(self.limits, workdir)()

        self.process = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=self._output, stderr=subprocess.STDOUT,
            pass_fds=(runner.REQUEST_FD, runner.REPLY_FD), preexec_fn=child_setup, close_fds=True)
        _LIVE_CHILDREN.add(self.process.pid)
        os.close(req_read)
        os.close(rep_write)
        self._send({"chunks": self.chunks, "entry_points": self.entry_points, "unused_imports": self.unused_imports})
        try:
            reply = self._receive(self.limits.load_seconds)
        except ChildGone as gone:
            self.load_error = "load-timeout" if str(gone) == "timeout" else "load-exited"
            self.close()
            return False
        if not runner.conforms(reply, runner.LOADED_SCHEMA):
            reply = {"problems": [], "defined": [], "missing_imports": []}
        if self.load_problems is None:
            self.load_problems = [dict(p, origin=clean(p["origin"], 100), kind=clean(p["kind"], 80),
                                       message=clean(p["message"], 500), binds=[clean(b, 80) for b in p["binds"]])
                                  for p in reply["problems"][:50]]
            self.defined = [name for name in reply["defined"] if name in self.entry_points]
            self.missing_imports = [dict(m, origin=clean(m["origin"], 100), module=clean(m["module"], 100))
                                    for m in reply["missing_imports"][:50]]
        return True

    def close(self):
        if self.process is None:
            return
        for fd in (self._req_write, self._rep_read):
            try:
                os.close(fd)
            except OSError:
                pass
        sandbox.kill_group(self.process)
        self.process.wait()
        _LIVE_CHILDREN.discard(self.process.pid)
        self._reap_orphans()
        self.process, self.part = None, None
        if self._workdir:
            subprocess.run(["rm", "-rf", self._workdir], check=False)
            self._workdir = None

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
        data = runner.json.dumps(runner.encode(message)).encode("utf-8")
        try:
            os.write(self._req_write, struct.pack(">I", len(data)))
            view = memoryview(data)
            while view:
                written = os.write(self._req_write, view)
                view = view[written:]
        except (BrokenPipeError, OSError):
            pass  # the child is gone; _receive will say so

    def _read_exact(self, size, deadline):
        chunks, remaining = [], size
        while remaining:
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                raise ChildGone("timeout")
            ready, _, _ = select.select([self._rep_read], [], [], timeout)
            if not ready:
                raise ChildGone("timeout")
            data = os.read(self._rep_read, min(remaining, 1 << 20))
            if not data:
                raise ChildGone("exited")
            chunks.append(data)
            remaining -= len(data)
        return b"".join(chunks)

    def _receive(self, seconds):
        deadline = time.monotonic() + seconds
        try:
            (size,) = struct.unpack(">I", self._read_exact(4, deadline))
            if size > runner.MAX_REPLY:
                raise ChildGone("protocol")
            message = runner.decode(runner.json.loads(self._read_exact(size, deadline)))
            if type(message) is not dict:
                raise ChildGone("protocol")
            return message
        except ChildGone as gone:
            reason = str(gone)
            self.close()
            raise ChildGone(reason) from None
        except Exception:  # noqa: BLE001 -- bad JSON, nesting too deep, an impossible array: a forged reply
            self.close()
            raise ChildGone("protocol") from None

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
        if problem and problem["kind"] not in ("load-timeout", "load-exited") and reused:
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
            return {"kind": str(gone), "message": "could not start the part process"}
        if "ready" not in reply:
            code = reply.get("part_ended")
            return {"kind": "exited", "code": code if type(code) is int else 1,
                    "message": f"the part process ended at start (exit {code})"}
        self.part = part
        return None

    def request(self, part, op, *, reference="", inject=(), needs=(), timeout=None, **args):
        if part in self.timed_out:
            return Reply(error=dict(self.timed_out[part], message=self.timed_out[part]["message"] + " (earlier call)"))
        if self.spent >= self.limits.submission_seconds:
            return Reply(error={"kind": "timeout", "where": "", "detail": {"key": "budget"},
                                "message": f"the submission's time budget of {self.limits.submission_seconds:g} s is used up"})
        started = time.monotonic()
        try:
            reply = self._request(part, op, reference, inject, needs, timeout, args)
        finally:
            self.spent += time.monotonic() - started
        if not reply.ok and reply.error.get("kind") in ("timeout", "load-timeout", "load-exited"):
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
            kind = str(gone)
            message = {"timeout": f"time limit of {seconds:g} s exceeded",
                       "protocol": MALFORMED}.get(kind, "the process ended without answering")
            return Reply(error={"kind": kind, "message": message, "where": ""}, output=self.read_output())
        if "part_ended" in reply:
            # The student's code ended the part process (os._exit, a signal): only this request is lost.
            self.part = None
            code = reply["part_ended"]
            code = code if type(code) is int else 1
            how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
            return Reply(error={"kind": "exited", "code": code, "message": f"the process ended ({how})", "where": ""},
                         output=self.read_output())
        return self._checked(op, reply)

    def _checked(self, op, reply):
        """The reply as a Reply, if it has the form runner.REPLY_SCHEMA gives ``op``; every string in it
        cleaned and bounded. Anything else (a forged or broken reply) fails this request, never the grader."""
        warnings = reply.get("warnings", [])
        if not runner.conforms(warnings, ["str"]):
            warnings = []
        warnings = [clean(w, 200) for w in warnings[:runner.MAX_WARNINGS]]
        if set(reply) == {"error", "warnings"} and runner.conforms(reply["error"], runner.ERROR_SCHEMA):
            error = reply["error"]
            kind = error["kind"] if error["kind"] in STUDENT_ERROR_KINDS else "raised"
            checked = {"kind": kind, "message": clean(error["message"], 2000), "where": clean(error.get("where") or "", 300)}
            if error.get("detail") is not None:
                checked["detail"] = bounded(error["detail"])
            if error.get("calls") is not None:
                checked["calls"] = bounded(error["calls"][:100])
            return Reply(error=checked, warnings=warnings, output=self.read_output())
        if set(reply) == {"ok", "warnings"} and runner.conforms(reply["ok"], runner.REPLY_SCHEMA[op]):
            return Reply(value=bounded(reply["ok"]), warnings=warnings, output=self.read_output())
        self.close()   # whatever sent that is not our runner any more
        return Reply(error={"kind": "protocol", "message": MALFORMED, "where": ""}, output=self.read_output())


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
