"""A submission's first sandboxed process (the zygote) and everything that belongs to it: its
cgroup, the protocol channel, the file its output goes to, its working folder. ``start`` makes it (a
fork of the worker's template, or a fresh sandbox); ``close`` kills every process of the submission,
wherever it escaped to, and keeps the output readable."""
import ctypes
import os
import signal
import subprocess
import tempfile
from typing import IO, Optional, Union

from autograder.sandbox import cgroup, forkserver, launch, unprivileged
from autograder.sandbox.channel import Channel
from autograder.sandbox.deadline import ChildGone, Deadline
from autograder.sandbox.inside import wire
from autograder.sandbox.inside.kinds import Failure
from autograder.sandbox.limits import Limits
from autograder.sandbox.modes import Isolation

PR_SET_CHILD_SUBREAPER = 36
# Children this process started on purpose and has not closed yet; any other child is a stray.
_LIVE_CHILDREN: set = set()


def _become_subreaper() -> None:
    """Orphans of a submission (double-forked daemons) are re-parented to us, so we can kill them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Zygote:
    """One submission's sandboxed first process, started again after each ``close`` when needed."""

    def __init__(self, kind: Isolation, limits: Limits) -> None:
        self.kind, self.limits = kind, limits
        self.process: Optional[Union[subprocess.Popen, forkserver.Forked]] = None
        self.group: Optional[cgroup.Group] = None      # the sandbox's cgroup (kind.controllers)
        self.channel: Optional[Channel] = None         # the protocol pipes
        self.output: Optional[IO[bytes]] = None   # the file its output goes to (read after close too)
        self._output_pos = 0           # how far ``new_output`` has read it
        self.last_timeout: Optional[dict] = None   # {"clock": "cpu" | "wall", "seconds": limit} of the latest
        self._workdir: Optional[str] = None

    def start(self, template: bool = True) -> None:
        """Start the zygote; ``launch.Unavailable`` when the isolation chosen for the run cannot be had."""
        _become_subreaper()
        refused = launch.refusal()
        if refused:
            raise launch.Unavailable(refused)
        argv, env = launch.command(self.kind, limits=self.limits)    # Unavailable: not graded with less
        controllers = self.kind.controllers
        if controllers:
            try:
                self.group = cgroup.Group(controllers, memory_bytes=self.limits.memory_bytes,
                                          processes=self.limits.processes)
            except cgroup.CgroupError as exc:
                raise launch.Unavailable(f"{exc}; chosen for this run, so this submission was not graded "
                                          "(regrade it)") from None
        req_read, req_write = os.pipe()
        rep_read, rep_write = os.pipe()
        self.channel = Channel(req_write, rep_read)
        self.output = output = tempfile.TemporaryFile()
        self._output_pos = 0
        workdir = tempfile.mkdtemp(prefix="autograder-child-") if not self.kind.bubblewrap else None
        if workdir and launch.drop_to_nobody():
            os.chown(workdir, unprivileged.sandbox_uid(), unprivileged.sandbox_uid())
        self._workdir = workdir
        if (template and not workdir and self.group is not None
                and self._fork_from_template(self.group, output.fileno(), req_read, rep_write) is not None):
            return
        fds = {wire.REQUEST_FD: req_read, wire.REPLY_FD: rep_write}
        join = self.group.procs_files if self.group else ()
        setup = launch.preexec(self.kind, self.limits, workdir, join)   # prepared here, run after fork

        def child_setup() -> None:
            for target, source in fds.items():
                os.dup2(source, target)
                os.set_inheritable(target, True)
            setup()

        try:
            self.process = subprocess.Popen(
                argv, env=env, stdin=subprocess.DEVNULL, stdout=self.output, stderr=subprocess.STDOUT,
                pass_fds=(wire.REQUEST_FD, wire.REPLY_FD), preexec_fn=child_setup, close_fds=True)
        except (OSError, subprocess.SubprocessError) as exc:
            os.close(req_read)
            os.close(rep_write)
            self._close_channel()
            if self.group is not None:
                self.group.close()
                self.group = None
            raise launch.Unavailable(f"the sandbox could not be started ({type(exc).__name__}: {exc}); "
                                      "this submission was not graded (regrade it)") from None
        _LIVE_CHILDREN.add(self.process.pid)
        os.close(req_read)
        os.close(rep_write)

    def _fork_from_template(self, group: cgroup.Group, output: int, req_read: int,
                            rep_write: int) -> Optional[forkserver.Forked]:
        """The submission's first process forked from the worker's template and moved into the
        submission's cgroups (see forkserver.py); None when there is no working template."""
        pid = forkserver.fork(self.kind, self.limits, output, req_read, rep_write)
        if pid is None:
            return None
        try:
            group.add(pid)
        except OSError as exc:
            # Killed with the template's group, before it ran anything.
            forkserver.failed(f"not moved into its cgroups ({exc})")
            return None
        os.close(req_read)
        os.close(rep_write)
        self.process = forkserver.Forked(pid)
        return self.process

    @property
    def forked(self) -> bool:
        """Whether the running zygote is a fork of the worker's template."""
        return isinstance(self.process, forkserver.Forked)

    def first_output(self, size: int) -> bytes:
        """The first ``size`` bytes of its output."""
        if self.output is None:
            return b""
        self.output.seek(0)
        return self.output.read(size)

    def new_output(self, size: int) -> bytes:
        """At most ``size`` bytes of what it printed since the last call; the rest is skipped."""
        if self.output is None:
            return b""
        self.output.seek(self._output_pos)
        data = self.output.read(size)
        self.output.seek(0, os.SEEK_END)
        self._output_pos = self.output.tell()
        return data

    def send(self, message: dict) -> None:
        """Queue a request (``Channel.send``); nothing when the zygote is closed."""
        if self.channel is not None:
            self.channel.send(message)

    def receive(self, seconds: float) -> dict:
        """The next reply within ``seconds`` (``Deadline``); ChildGone, with the zygote closed, if none."""
        deadline = Deadline(seconds, self.limits, self.group)
        try:
            if self.process is None or self.channel is None:
                raise ChildGone(Failure.EXITED)
            return self.channel.receive(deadline)
        except ChildGone as gone:
            if gone.kind is Failure.TIMEOUT:
                self.last_timeout = {"clock": deadline.clock, "seconds": seconds}
            self.close()
            raise ChildGone(gone.kind) from None
        except Exception:  # noqa: BLE001 -- bad JSON, nesting too deep, an impossible array: a forged reply
            self.close()
            raise ChildGone(Failure.PROTOCOL) from None

    def oom_kills(self) -> Optional[int]:
        """How many of the sandbox's processes the kernel has killed for exceeding its memory cgroup
        (None without one): a part that ended with SIGKILL ran out of memory when this grew."""
        return self.group.oom_kills() if self.group is not None else None

    def _close_channel(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None

    def close(self) -> None:
        """Kill every process of the submission and remove what it was given (not its output)."""
        if self.process is None:
            if self.group is not None:
                self.group.close()
                self.group = None
            return
        self._close_channel()
        process, forked = self.process, self.forked
        if not isinstance(process, forkserver.Forked):
            launch.kill_group(process)
            process.wait()
            _LIVE_CHILDREN.discard(process.pid)
        if self.group is not None:
            # Every process of the submission, whatever session or namespace it escaped to.
            self.group.close()
            self.group = None
        if not forked:   # a fork's orphans stay inside the template's sandbox, in the cgroup just emptied
            _reap_orphans()
        self.process = None
        if self._workdir:
            subprocess.run(["rm", "-rf", self._workdir], check=False)
            self._workdir = None


def _reap_orphans() -> None:
    """Kill processes a submission left behind that were re-parented to us (we are a subreaper)."""
    me = str(os.getpid())
    for _ in range(5):
        strays = []
        for entry in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = stat.read().rsplit(")", 1)[1].split()[1]
            except (OSError, IndexError):
                continue
            if parent == me and int(entry) not in _LIVE_CHILDREN:
                strays.append(int(entry))
        if not strays:
            return
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
