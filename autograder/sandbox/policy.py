"""Which isolation a run's submissions get, chosen once and pinned for every worker, and what it
means in words.

Where the grader may make cgroups (v1, see ``cgroup.py``), each sandbox also gets its own group:
total memory (tmpfs files included), processes, a fair CPU share, and time limits in CPU seconds.

The isolation a run uses is chosen once, by the process that starts it, and pinned for all its
workers (``pinned_env``): a worker that can no longer provide it raises ``Unavailable`` (a
grader-error result), never grades with less. ``isolation()`` names it, ``describe()`` explains it.
"""
import os
from typing import Optional, Union

from autograder.sandbox import cgroup, seccomp, unprivileged
from autograder.sandbox.modes import BUBBLEWRAP, LIMITS_ONLY, Isolation
from autograder.sandbox.launch import BWRAP_ENV, bwrap_path, bwrap_works, drop_to_nobody
from autograder.sandbox.limits import Limits

ISOLATION_ENV = "AUTOGRADER_ISOLATION"   # set by the process that starts a run, read by its workers
_detected = None
_bwrap_problem = ""   # why an installed bubblewrap is not used: "" when it is, or when there is none


def _detect():
    global _detected, _bwrap_problem
    if _detected is None:
        base = LIMITS_ONLY
        if bwrap_path() and os.environ.get("AUTOGRADER_NO_BWRAP") != "1":
            _bwrap_problem = bwrap_works()
            base = LIMITS_ONLY if _bwrap_problem else BUBBLEWRAP
        _detected = Isolation(base, cgroup.usable())
    return _detected


def isolation() -> Isolation:
    """What grading children get (``bubblewrap+cgroups(memory,pids,cpu,cpuacct)``, ``limits-only``):
    pinned by the run's first process (``pinned_env``), else found out once here."""
    pinned = os.environ.get(ISOLATION_ENV)
    return Isolation.parse(pinned) if pinned else _detect()


def pinned_env() -> dict:
    """Environment for a run's workers: the isolation and the bubblewrap binary chosen now."""
    kind = isolation()
    env = {ISOLATION_ENV: str(kind)}
    if kind.bubblewrap:
        env[BWRAP_ENV] = bwrap_path() or ""
    return env


def _size(n):
    return f"{n / 1024 ** 3:g} GiB" if n >= 1024 ** 3 else f"{n / 1024 ** 2:g} MiB"


def describe(kind: Union[Isolation, str, None] = None, limits: Optional[Limits] = None) -> str:
    """What protects the machine and the other submissions from one submission, precisely."""
    kind, limits = Isolation.of(kind or isolation()), limits or Limits()
    controllers = kind.controllers
    user = (f"as host uid {unprivileged.sandbox_uid()}, one of their own per grading process ('nobody' inside)"
            if drop_to_nobody() else f"as the grading user (uid {os.getuid()})")
    if kind.bubblewrap:
        lines = [f"isolation: {kind} -- bubblewrap: no network, read-only system (/proc/sys too), private /tmp "
                 f"and /dev/shm ({_size(limits.tmpfs_bytes)} each), own PID namespace, no view of solutions/ or "
                 f"other submissions; children run {user}"]
    else:
        if not bwrap_path():
            why = "bwrap not found; install it (Debian: apt-get install bubblewrap)"
        elif _bwrap_problem:
            why = f"bubblewrap is installed but cannot run here: {_bwrap_problem}"
        else:
            why = "disabled (AUTOGRADER_NO_BWRAP=1)"
        lines = [f"isolation: {kind} -- no bubblewrap ({why}): children run {user} and can read the files "
                 "that user can read; their /tmp is the host's."]
    if kind.template:
        lines.append("  start: each worker imports numpy once, in a template sandbox; each submission is a fork "
                     "of it in new namespaces of its own, with its own empty /tmp and /dev/shm and its own cgroups")
    if "memory" in controllers:
        lines.append(f"  memory: at most {_size(limits.memory_bytes)} per submission, "
                     "its tmpfs files included (memory cgroup)")
    else:
        lines.append(f"  memory: {_size(limits.memory_bytes)} of address space per process only (RLIMIT_AS); "
                     "files in a RAM-backed /tmp or /dev/shm are not counted")
    if "pids" in controllers:
        lines.append(f"  processes: at most {limits.processes} per submission (pids cgroup)")
    else:
        lines.append(f"  processes: RLIMIT_NPROC, {limits.processes} beyond the user's current count")
    kinds = sorted(set(seccomp.REFUSED.values()) | {why for *_, why in seccomp.REFUSED_WITH})
    lines.append(f"  system calls: refused for {', '.join(kinds)} (seccomp)" if seccomp.program() is not None
                 else f"  system calls: not filtered ({seccomp.problem()})")
    if "cpu" in controllers:
        lines.append("  CPU: each submission's processes share the CPU as one (cpu cgroup)")
    else:
        lines.append("  CPU: no fair share; a submission with many processes slows the others")
    if "cpuacct" in controllers:
        lines.append(f"  time limits: CPU seconds of the submission's processes (cpuacct cgroup), "
                     f"{limits.wall_factor:g}x as many wall-clock seconds at most")
    else:
        lines.append("  time limits: wall-clock seconds, so load from other processes counts against a submission")
    if not controllers or len(controllers) < len(cgroup.CONTROLLERS):
        why = cgroup.unusable_reason()
        if why:
            lines.append(f"  cgroups not used: {why}")
    return "\n".join(lines)
