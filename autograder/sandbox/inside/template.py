"""The template (fork server): one per worker, in its own bubblewrap sandbox. numpy is imported once
here, and each submission is a fork of this process that puts itself in new namespaces
(``namespaces.isolate``) before any student code runs; see ``autograder/sandbox/forkserver.py`` for
the parent's side and for what keeps submissions apart."""
import fcntl
import gc
import json
import os
import resource
import select
import signal
import socket
import struct
import sys
import traceback
from typing import Callable

from .namespaces import PR_SET_DUMPABLE, PR_SET_PDEATHSIG, SETUP_FAILED, isolate, load_libc
from .wire import HEADER, REPLY_FD, REQUEST_FD

CONTROL_FD = 5          # the template's end of the socket the parent sends orders on


def _reap(*_: object) -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _probe_isolation(tmpfs_bytes: int) -> bool:
    """Whether a fork can isolate itself here (nested user namespaces may be disabled)."""
    pid = os.fork()
    if pid == 0:
        try:
            isolate(tmpfs_bytes)
            os._exit(0)
        except BaseException:  # noqa: B902
            os._exit(SETUP_FAILED)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def serve(main: Callable[[], None]) -> None:
    """The template: announce itself, then fork one process per order received on CONTROL_FD. An
    order is ``{"tmpfs_bytes", "rlimits": [[resource, value], ...]}`` with three file descriptors:
    output, requests, replies. The fork runs ``main`` isolated; the template replies its PID."""
    libc = load_libc()
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)   # no process of a submission may read or trace it
    gc.freeze()   # numpy and the runner, shared with every fork: no collection there copies their pages
    control = socket.socket(fileno=CONTROL_FD)
    first = json.loads(control.recv(4096) or b"{}")
    control.send(json.dumps({"ready": _probe_isolation(first.get("tmpfs_bytes", 1 << 20))}).encode())
    # Only now: a handler that reaps any child would race the probe's own waitpid (and, inherited,
    # the waits inside isolate()); forks set it back to the default first thing.
    signal.signal(signal.SIGCHLD, _reap)
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 1 << 16, 3)
        except OSError:
            return
        if not data:
            return
        order = json.loads(data)
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            control.send(b'{"pid": 0}')
            continue
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                control.close()
                libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
                os.setsid()
                # Above every target first: a received descriptor may itself be 3 or 4.
                output, request_fd, reply_fd = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds)
                for source, target in ((output, 1), (output, 2), (request_fd, REQUEST_FD), (reply_fd, REPLY_FD)):
                    os.dup2(source, target)
                os.closerange(CONTROL_FD, os.sysconf("SC_OPEN_MAX"))
                for name, value in order["rlimits"]:
                    resource.setrlimit(getattr(resource, name), (value, value))
                signal.signal(signal.SIGPIPE, signal.SIG_DFL)
                # The parent moves this process into the submission's cgroups, then sends the first
                # request: nothing is started, and no student code runs, before that.
                select.select([REQUEST_FD], [], [])
                isolate(order["tmpfs_bytes"])
            except BaseException as exc:  # noqa: B902 -- never run a submission half isolated
                try:   # the parent then grades it in a sandbox of its own
                    data = json.dumps({"setup_failed": f"{type(exc).__name__}: {exc}"[:200]}).encode()
                    os.write(REPLY_FD, struct.pack(HEADER, len(data)) + data)
                finally:
                    os._exit(SETUP_FAILED)
            status = 0
            try:
                main()
            except SystemExit as exc:
                status = exc.code if type(exc.code) is int else 1
            except BaseException:  # noqa: B902 -- as an interpreter would: say why, exit 1
                traceback.print_exc()
                status = 1
            finally:
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except Exception:  # noqa: BLE001
                        pass
                os._exit(status)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())

