"""When a write or read across the boundary must have finished (``Deadline``), and ``ChildGone``:
the child did not answer, and why."""
import time
from typing import Optional

from autograder.sandbox.cgroup import Group
from autograder.sandbox.inside.kinds import Failure
from autograder.sandbox.limits import Limits


class ChildGone(Exception):
    """The child gave no usable answer: ``kind`` is TIMEOUT, EXITED or PROTOCOL."""

    def __init__(self, kind: Failure) -> None:
        super().__init__(kind.value)
        self.kind = kind


class Deadline:
    """When a write or read across the boundary must have finished.

    With a cpuacct cgroup, ``seconds`` is the submission's own time since the deadline was set: the
    CPU time of all its processes, plus the wall-clock time in which they used (almost) none and none
    of them was runnable -- it sleeps, or blocks on a pipe it filled. Time in which it was waiting for
    a CPU others had does not count, so load it did not cause never costs it a limit;
    ``limits.wall_factor`` times as many wall-clock seconds end it in any case. Without a cgroup the
    limit is wall clock."""

    CHECK_EVERY = 0.1     # seconds between reads of the cgroup's CPU time
    IDLE_SHARE = 0.05     # a check interval in which it used less CPU than this share of one core is idle

    def __init__(self, seconds: float, limits: Limits, group: Optional[Group] = None) -> None:
        self.seconds = seconds
        self.group = group if group is not None and group.cpu_seconds() is not None else None
        now = time.monotonic()
        self.wall_end = now + limits.wall_seconds(seconds, self.group is not None)
        self.last: tuple = (now, self.group.cpu_seconds() if self.group else 0.0)
        self.own = 0.0        # CPU seconds plus idle seconds so far
        self.clock: Optional[str] = None   # "cpu" (its own time, above) or "wall" (the backstop): what ended it

    def wait(self) -> float:
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
