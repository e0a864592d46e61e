"""How a submission's child process is started: bubblewrap where available, limits always.

With bubblewrap the child sees a read-only system, the Python installation and the venv's
site-packages, a private empty ``/tmp`` as home and working directory, no network, its own PID
namespace (every process it starts dies with it) and nothing of the repository: not ``solutions/``,
not the checks, not other submissions. The submission's code reaches it over a pipe, not as a file.

Without bubblewrap the child runs with the same resource limits in its own session (process group),
with ``python -I -S`` so the venv's ``.pth`` file does not put the repository on its path -- but it
can read whatever files the grading user can. ``describe()`` says which of the two is in force.
"""
import dataclasses
import functools
import os
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

RUNNER = Path(__file__).with_name("runner.py")
SANDBOX_RUNNER = "/grader/runner.py"
NOBODY = 65534
ENV = {
    # One BLAS thread: the same submission always gets the same result, and fork() stays safe.
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
    "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
}


@dataclasses.dataclass(frozen=True)
class Limits:
    """Resource limits of one submission's child (defaults documented in the README)."""

    memory_bytes: int = 2 * 1024 ** 3      # address space per process
    cpu_seconds: int = 120                 # CPU time per process (the zygote and each part)
    request_seconds: float = 10.0          # wall clock for one request (one call into student code)
    load_seconds: float = 20.0             # wall clock to execute the definitions
    submission_seconds: float = 90.0       # wall clock for all of one submission's requests
    file_bytes: int = 8 * 1024 ** 2        # largest file the child may write (its output included)
    output_bytes: int = 64 * 1024          # how much of what it prints is kept in feedback
    processes: int = 64                    # extra processes (enforced where the kernel can)


def parse_limits(assignments):
    """Limits from ``["request_seconds=30", "memory_bytes=4e9", ...]`` (the CLI's --limit); ValueError
    with a one-line reason for an unknown name or a value that is not a positive number."""
    values = {}
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
        values[name] = int(value) if fields[name] in (int, "int") else value
    return Limits(**values)


def bwrap_path():
    return shutil.which("bwrap")


def isolation():
    """'bubblewrap' or 'limits-only': which isolation grading children get on this machine."""
    return "bubblewrap" if bwrap_path() and os.environ.get("AUTOGRADER_NO_BWRAP") != "1" else "limits-only"


def describe(kind=None):
    kind = kind or isolation()
    if kind == "bubblewrap":
        return ("isolation: bubblewrap (no network, read-only system, private /tmp, "
                "no view of solutions/ or other submissions)")
    user = "as user 'nobody'" if drop_to_nobody() else "as the grading user"
    return (f"isolation: limits only, {user} -- bubblewrap (bwrap) not found; submissions can read files "
            "that user can read. Install it (Debian: apt-get install bubblewrap).")


def site_packages():
    import numpy
    return str(Path(numpy.__file__).resolve().parent.parent)


def _bwrap_command(python, program):
    command = [bwrap_path(), "--unshare-all", "--die-with-parent", "--new-session",
               "--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY),
               "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
               "--tmpfs", "/tmp", "--chdir", "/tmp", "--clearenv"]
    site = site_packages()
    for top in ("/bin", "/lib", "/lib64", "/lib32", "/sbin"):
        if os.path.islink(top):
            command += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            command += ["--ro-bind", top, top]
    # The interpreter, its standard library and the venv's packages -- and nothing else of the venv's
    # parent (the repository, when the venv lives inside it).
    seen = set()
    for path in (sys.base_prefix, sys.prefix, site, str(Path(python).resolve().parent)):
        path = str(Path(path).resolve())
        if path.startswith("/usr/") or any(path == s or path.startswith(s + "/") for s in seen):
            continue
        seen.add(path)
        command += ["--ro-bind", path, path]
    venv_bin = str(Path(python).parent)
    if venv_bin not in seen and not venv_bin.startswith("/usr/"):
        command += ["--ro-bind", venv_bin, venv_bin]
    command += ["--ro-bind", str(RUNNER), SANDBOX_RUNNER]
    for key, value in {**ENV, "HOME": "/tmp", "MPLCONFIGDIR": "/tmp", "TMPDIR": "/tmp"}.items():
        command += ["--setenv", key, value]
    return command + list(program)


def command(kind=None, program=None):
    """The argv that starts a child, and the environment it gets. ``program`` (an argv starting with
    this interpreter) replaces the runner, e.g. to probe the sandbox; inside bubblewrap it sees the
    runner at SANDBOX_RUNNER."""
    python = sys.executable
    if (kind or isolation()) == "bubblewrap":
        # bwrap itself gets the clean environment too: it stays in the sandbox as PID 1, and its
        # /proc/1/environ is readable from inside (--clearenv only cleans what it starts).
        return _bwrap_command(python, program or [python, "-I", "-S", SANDBOX_RUNNER, site_packages()]), dict(ENV)
    return list(program or [python, "-I", "-S", str(RUNNER), site_packages()]), dict(ENV)


@functools.lru_cache(maxsize=None)
def drop_to_nobody():
    """Without bubblewrap, a grader running as root runs children as 'nobody' -- if nobody can run
    this Python and import numpy (an interpreter under /root usually cannot be reached)."""
    if isolation() == "bubblewrap" or os.getuid() != 0:
        return False
    probe = [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.append({site_packages()!r}); import numpy"]

    def become_nobody():
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    try:
        return subprocess.run(probe, preexec_fn=become_nobody, capture_output=True, timeout=30, cwd="/").returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def preexec(limits, workdir):
    """Runs in the child between fork and exec: own session, resource limits, 'nobody' if we can."""
    as_nobody = drop_to_nobody()

    def apply():
        os.setsid()
        for name, value in ((resource.RLIMIT_AS, limits.memory_bytes),
                            (resource.RLIMIT_CPU, limits.cpu_seconds),
                            (resource.RLIMIT_FSIZE, limits.file_bytes),
                            (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(name, (value, value))
        if os.getuid() != 0 or as_nobody:
            # RLIMIT_NPROC counts every process of the user, so it is relative to what runs now.
            current = sum(1 for p in os.listdir("/proc") if p.isdigit())
            resource.setrlimit(resource.RLIMIT_NPROC, (current + limits.processes,) * 2)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        if workdir:
            os.chdir(workdir)
        if as_nobody:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
    return apply


def kill_group(process):
    """Kill the child and everything it started (its session; with bubblewrap, its PID namespace)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.kill()
    except ProcessLookupError:
        pass
