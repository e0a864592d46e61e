"""One template sandbox per worker: numpy is imported once, and each submission starts as a fork of it.

Starting a fresh bubblewrap sandbox costs a submission about 0.1 s of CPU, nine tenths of it
importing numpy. Where the run uses bubblewrap and cgroups, a worker starts one template instead:
``inside/runner.py --serve`` in a sandbox of its own, in a cgroup of its own, that imports numpy and then
only forks on order. It never runs student code. Each submission's process is a fork of it that

* is moved by this side into the submission's own cgroups (memory, processes, CPU share, CPU time)
  before it may go on -- it waits for the first request, which is sent only after the move;
* then enters new user, mount, PID, IPC and UTS namespaces (``inside/namespaces.isolate``): its own empty
  ``/tmp`` and ``/dev/shm`` of ``Limits.tmpfs_bytes`` each, a reaper as PID 1, its process as PID 2,
  every process it starts dying with it -- the layout bubblewrap gives a fresh sandbox;
* holds no capability when student code runs, under the resource limits of a fresh sandbox.

The template is not dumpable and lies outside every submission's PID namespace, so no process of a
submission can signal it, trace it or read its memory; the files and namespaces a submission can
change are its own. What submissions of one worker share is what they could only read anyway: the
read-only system, the Python installation and the (empty) network namespace of the template.

Anything unexpected -- the template will not start, nested namespaces are refused, an order goes
unanswered, the fork cannot be found or moved -- and the submission is graded in a fresh sandbox of
its own, as it would be without a template (``fork`` returns None). ``AUTOGRADER_TEMPLATE=0`` turns
the template off.
"""
import atexit
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any, Optional, Union

from autograder.sandbox import cgroup, launch
from autograder.sandbox.inside.template import CONTROL_FD
from autograder.sandbox.limits import Limits
from autograder.sandbox.modes import TEMPLATE_ENV, Isolation

ENABLE_ENV = TEMPLATE_ENV
START_SECONDS = 30.0     # the template's own start: an interpreter and numpy, and a probe
ORDER_SECONDS = 10.0     # one fork
MAX_FAILURES = 3         # templates that failed before a worker stops starting new ones


class TemplateError(Exception):
    """The template could not do what was asked (the message is a one-line reason)."""


class Forked:
    """A submission's first process, forked by the template: not this process's child. It and
    everything it starts are in the submission's cgroups, which ``StudentProcess.close`` empties;
    it is never signalled by PID (the template reaps it, and its PID may be reused at once)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid


class Template:
    """The worker's template sandbox and its cgroup."""

    def __init__(self, kind: Isolation, limits: Limits) -> None:
        self.kind, self.limits = kind, limits
        self.process: Any = None
        self.control: Any = None
        self.group: Any = cgroup.Group(kind.controllers, memory_bytes=limits.memory_bytes,
                                  processes=limits.processes)
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.control = ours
        program = [sys.executable, "-I", "-S", launch.SANDBOX_RUNNER, launch.site_packages(), "--serve"]
        argv, env = launch.command(self.kind, program, self.limits, template=True)
        self._errors = tempfile.TemporaryFile()
        setup = launch.preexec(self.kind, self.limits, None, self.group.procs_files)

        def child_setup():
            os.dup2(theirs.fileno(), CONTROL_FD)
            os.set_inheritable(CONTROL_FD, True)
            setup()
        try:
            self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=self._errors,
                                            stderr=subprocess.STDOUT, pass_fds=(CONTROL_FD,),
                                            preexec_fn=child_setup, close_fds=True)
        except (OSError, subprocess.SubprocessError) as exc:
            raise TemplateError(f"could not start ({type(exc).__name__}: {exc})") from None
        finally:
            theirs.close()
        self.control.send(json.dumps({"tmpfs_bytes": int(self.limits.tmpfs_bytes)}).encode())
        ready = self._receive(START_SECONDS)
        if ready.get("ready") is not True:
            raise TemplateError("its forks cannot isolate themselves here (nested user namespaces refused?)")
        self.known = set(self.group.pids())   # bubblewrap's processes and the template

    def _receive(self, seconds):
        if not select.select([self.control], [], [], seconds)[0]:
            raise TemplateError(f"no answer within {seconds:g} s")
        data = self.control.recv(4096)
        if not data:
            self._errors.seek(0)
            said = self._errors.read(300).decode("utf-8", "replace").strip().splitlines()
            raise TemplateError(f"it ended ({said[-1] if said else 'no output'})")
        return json.loads(data)

    def fork(self, output: int, requests: int, replies: int) -> int:
        """Fork a submission's process with these three file descriptors as its stdout and stderr,
        request pipe and reply pipe; its host PID. It waits for the first request."""
        if self.process.poll() is not None:
            raise TemplateError(f"it exited (status {self.process.returncode})")
        order = {"tmpfs_bytes": int(self.limits.tmpfs_bytes), "rlimits": launch.rlimits(self.limits)}
        try:
            socket.send_fds(self.control, [json.dumps(order).encode()], [output, requests, replies])
        except OSError as exc:
            raise TemplateError(f"order not taken ({exc.strerror or exc})") from None
        inner = self._receive(ORDER_SECONDS).get("pid")
        if type(inner) is not int or inner <= 0:
            raise TemplateError("it could not fork")
        found, strays = None, []
        for pid in set(self.group.pids()) - self.known:
            if found is None and _innermost_pid(pid) == inner:
                found = pid
            else:
                strays.append(pid)   # an earlier fork never moved out: it never ran anything
        for pid in strays:
            _kill(pid)
        if found is None:
            raise TemplateError("its fork is not in its cgroup")
        return found

    def close(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is not None:
            launch.kill_group(self.process)
            self.process.wait()
            self.process = None
        if self.group is not None:
            self.group.close()
            self.group = None


def _innermost_pid(pid):
    """A process's PID in its own PID namespace (the last ``NSpid`` field), None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("NSpid:"):
                    return int(line.split()[-1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


_template = None
_failures: list = []          # one line per template that failed in this worker


def enabled(kind: Union[Isolation, str]) -> bool:
    return Isolation.of(kind).template and len(_failures) < MAX_FAILURES


def fork(kind: Isolation, limits: Limits, output: int, requests: int, replies: int) -> Optional[int]:
    """The host PID of a submission's process forked from this worker's template, or None when
    there is no working template: the caller then starts a fresh sandbox."""
    global _template
    if not enabled(kind):
        return None
    try:
        if _template is None or (_template.kind, _template.limits) != (kind, limits):
            close()
            _template = Template(kind, limits)
        return _template.fork(output, requests, replies)
    except (TemplateError, cgroup.CgroupError, launch.Unavailable, OSError, ValueError) as exc:
        _failures.append(f"{time.strftime('%H:%M:%S')} {type(exc).__name__}: {exc}")
        close()
        return None


def failed(why: str) -> None:
    """A fork could not isolate itself (or could not be moved into its cgroups), ``why`` in a line:
    this template is closed, and after MAX_FAILURES of them the worker starts fresh sandboxes only."""
    _failures.append(f"{time.strftime('%H:%M:%S')} a fork could not isolate itself: {str(why)[:200]}")
    close()


def close() -> None:
    global _template
    if _template is not None:
        template, _template = _template, None
        template.close()


atexit.register(close)
