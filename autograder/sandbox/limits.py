"""The resource limits of one submission's sandbox: each declared once, with its default.

Every field can be overridden per run with ``--limit NAME=VALUE`` (``parse_limits``); the README's
safety section lists them.
"""
import dataclasses
from typing import Iterable


@dataclasses.dataclass(frozen=True)
class Limits:
    """Resource limits of one submission's child (defaults documented in the README)."""

    # Address space per process; with a memory cgroup also everything one submission holds at once,
    # its processes and the files in its /tmp and /dev/shm together.
    memory_bytes: int = 2 * 1024 ** 3
    cpu_seconds: int = 120                 # CPU time per process (the zygote and each part)
    # One request (one call into student code) and executing the definitions: CPU seconds of the
    # submission's processes where a cpuacct cgroup measures them, else wall clock. A CPU-time limit
    # also ends after wall_factor times as many wall-clock seconds (a sleeping or starved child).
    request_seconds: float = 10.0
    load_seconds: float = 20.0
    wall_factor: float = 3.0
    submission_seconds: float = 90.0       # wall clock for all of one submission's requests
    file_bytes: int = 8 * 1024 ** 2        # largest file the child may write (its output included)
    tmpfs_bytes: int = 128 * 1024 ** 2     # size of the sandbox's /tmp and of its /dev/shm (bubblewrap)
    output_bytes: int = 64 * 1024          # how much of what it prints is kept in feedback
    # Processes and threads of one submission at once, its sandbox's own included (pids cgroup);
    # without one, processes beyond the user's current count (RLIMIT_NPROC, not as root).
    processes: int = 64

    def wall_seconds(self, seconds: float, cpu_measured: bool) -> float:
        """The wall-clock limit that goes with a limit of ``seconds``."""
        return seconds * self.wall_factor if cpu_measured else seconds


def parse_limits(assignments: Iterable[str]) -> Limits:
    """Limits from ``["request_seconds=30", "memory_bytes=4e9", ...]`` (the CLI's --limit); ValueError
    with a one-line reason for an unknown name or a value that is not a positive number."""
    values: dict = {}
    fields = {f.name: f.type for f in dataclasses.fields(Limits)}
    for item in assignments:
        name, _, text = item.partition("=")
        if name not in fields:
            raise ValueError(f"--limit {item}: unknown limit {name!r}; known: {', '.join(fields)}")
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"--limit {item}: {text!r} is not a number") from None
        if value <= 0:
            raise ValueError(f"--limit {item}: must be positive")
        if name == "wall_factor" and value < 1:
            raise ValueError(f"--limit {item}: must be at least 1 (the backstop never ends a limit early)")
        values[name] = int(value) if fields[name] in (int, "int") else value
    return Limits(**values)
