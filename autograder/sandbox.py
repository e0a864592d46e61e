"""How a submission's child process is started: bubblewrap where available, limits always.

Student code never holds host privilege: a grader running as root starts every child as the
unprivileged ``nobody`` (``unprivileged.py``), so bubblewrap runs unprivileged too, and every child
starts with a seccomp filter that refuses the kernel keyring calls (``seccomp.py``).

With bubblewrap the child sees a read-only system (``/proc/sys`` included), the Python installation
and the venv's site-packages, a private empty ``/tmp`` as home and working directory, no network, its
own PID namespace (every process it starts dies with it) and nothing of the repository: not
``solutions/``, not the checks, not other submissions. The submission's code reaches it over a pipe,
not as a file. Its only writable places are ``/tmp`` and ``/dev/shm``, two tmpfs of
``Limits.tmpfs_bytes`` each (``/`` and ``/dev`` are remounted read-only).

Without bubblewrap the child runs with the same resource limits in its own session (process group),
with ``python -I -S`` so the venv's ``.pth`` file does not put the repository on its path -- but it
can read whatever files ``nobody`` (or, for a grader that is not root, the grading user) can.

Where the grader may make cgroups (v1, see ``cgroup.py``), each sandbox also gets its own group:
total memory (tmpfs files included), processes, a fair CPU share, and time limits in CPU seconds.

The isolation a run uses is chosen once, by the process that starts it, and pinned for all its
workers (``pinned_env``): a worker that can no longer provide it raises ``Unavailable`` (a
grader-error result), never grades with less. ``isolation()`` names it, ``describe()`` explains it.
"""
import dataclasses
import functools
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from . import cgroup, runner, seccomp, unprivileged

RUNNER = Path(__file__).with_name("runner.py")
# Set by the process that starts a run, read by its workers: the isolation every submission gets.
ISOLATION_ENV, BWRAP_ENV = "AUTOGRADER_ISOLATION", "AUTOGRADER_BWRAP"
TEMPLATE_ENV = "AUTOGRADER_TEMPLATE"   # "0": no template sandbox per worker (forkserver.py)
BUBBLEWRAP, LIMITS_ONLY = "bubblewrap", "limits-only"
SANDBOX_RUNNER = "/grader/runner.py"
TEMPLATE_PROC = runner.TEMPLATE_PROC     # the template's clean procfs, for its forks' own /proc
NOBODY = unprivileged.SANDBOX_UID
ENV = {
    # One BLAS thread: the same submission always gets the same result, and fork() stays safe.
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
    "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
}


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

    def wall_seconds(self, seconds, cpu_measured):
        """The wall-clock limit that goes with a limit of ``seconds``."""
        return seconds * self.wall_factor if cpu_measured else seconds


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
        if name == "wall_factor" and value < 1:
            raise ValueError(f"--limit {item}: must be at least 1 (the backstop never ends a limit early)")
        values[name] = int(value) if fields[name] in (int, "int") else value
    return Limits(**values)


class Unavailable(Exception):
    """The isolation pinned for this run cannot be provided any more: the submission is not graded
    (a grader-error result with this one-line reason), never graded with less."""


def bwrap_path():
    """The bubblewrap binary: the one pinned for this run, else the one on PATH (None if none)."""
    return os.environ.get(BWRAP_ENV) or shutil.which("bwrap")


_detected = None
_bwrap_problem = ""   # why an installed bubblewrap is not used: "" when it is, or when there is none


def _numpy_probe():
    return [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.append({site_packages()!r}); import numpy"]


def bwrap_works():
    """"" when bubblewrap can start a sandbox here, as the user sandboxes run as, that imports numpy;
    else its one-line complaint (containers often forbid the user namespaces it needs: "No
    permissions to creating new namespace")."""
    return _probe_problem(BUBBLEWRAP, _numpy_probe())


def _probe_problem(kind, program):
    try:
        done = run(kind, program, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
    if done.returncode == 0:
        return ""
    lines = (done.stderr or done.stdout or "").strip().splitlines()
    return (lines[-1] if lines else f"exit status {done.returncode}")[:200]


def _detect():
    global _detected, _bwrap_problem
    if _detected is None:
        base = LIMITS_ONLY
        if bwrap_path() and os.environ.get("AUTOGRADER_NO_BWRAP") != "1":
            _bwrap_problem = bwrap_works()
            base = LIMITS_ONLY if _bwrap_problem else BUBBLEWRAP
        controllers = cgroup.usable()
        _detected = f"{base}+cgroups({','.join(controllers)})" if controllers else base
    return _detected


def isolation():
    """What grading children get, e.g. ``bubblewrap+cgroups(memory,pids,cpu,cpuacct)`` or
    ``limits-only``: pinned by the run's first process (``pinned_env``), else found out once here."""
    return os.environ.get(ISOLATION_ENV) or _detect()


def pinned_env():
    """Environment for a run's workers: the isolation and the bubblewrap binary chosen now."""
    kind = isolation()
    env = {ISOLATION_ENV: kind}
    if uses_bubblewrap(kind):
        env[BWRAP_ENV] = bwrap_path() or ""
    return env


def uses_bubblewrap(kind=None):
    return (kind or isolation()).split("+")[0] == BUBBLEWRAP


def uses_template(kind=None):
    """Whether workers start submissions from a template sandbox (forkserver.py): it needs bubblewrap
    and cgroups, and ``AUTOGRADER_TEMPLATE=0`` turns it off."""
    kind = kind or isolation()
    return uses_bubblewrap(kind) and bool(cgroup_controllers(kind)) and os.environ.get(TEMPLATE_ENV, "1") != "0"


def cgroup_controllers(kind=None):
    """The cgroup controllers in ``kind``: ``("memory", "pids", "cpu", "cpuacct")`` or fewer."""
    kind = kind or isolation()
    if "+cgroups(" not in kind:
        return ()
    return tuple(c for c in kind.split("+cgroups(", 1)[1].rstrip(")").split(",") if c in cgroup.CONTROLLERS)


def _size(n):
    return f"{n / 1024 ** 3:g} GiB" if n >= 1024 ** 3 else f"{n / 1024 ** 2:g} MiB"


def describe(kind=None, limits=None):
    """What protects the machine and the other submissions from one submission, precisely."""
    kind, limits = kind or isolation(), limits or Limits()
    controllers = cgroup_controllers(kind)
    user = f"as user 'nobody' (uid {NOBODY})" if drop_to_nobody() else f"as the grading user (uid {os.getuid()})"
    if uses_bubblewrap(kind):
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
    if uses_template(kind):
        lines.append("  start: each worker imports numpy once, in a template sandbox; each submission is a fork "
                     "of it in new namespaces of its own, with its own empty /tmp and /dev/shm and its own cgroups")
    if "memory" in controllers:
        lines.append(f"  memory: at most {_size(limits.memory_bytes)} per submission, its tmpfs files included (memory cgroup)")
    else:
        lines.append(f"  memory: {_size(limits.memory_bytes)} of address space per process only (RLIMIT_AS); "
                     "files in a RAM-backed /tmp or /dev/shm are not counted")
    if "pids" in controllers:
        lines.append(f"  processes: at most {limits.processes} per submission (pids cgroup)")
    else:
        lines.append(f"  processes: RLIMIT_NPROC, {limits.processes} beyond the user's current count")
    refused = ", ".join(seccomp.REFUSED)
    lines.append(f"  system calls: {refused} refused (seccomp)" if seccomp.program() is not None
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


def site_packages():
    import numpy
    return str(Path(numpy.__file__).resolve().parent.parent)


def _bwrap_command(python, program, limits, template=False):
    # The sandbox's only writable places are two sized tmpfs; / and /dev (tmpfs that bwrap makes, as
    # large as the host's RAM) are remounted read-only once everything is in place.
    tmpfs = str(int(limits.tmpfs_bytes))
    command = [bwrap_path(), "--unshare-all", "--die-with-parent", "--new-session",
               "--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY),
               "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys",
               "--dev", "/dev", "--size", tmpfs, "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
               "--size", tmpfs, "--tmpfs", "/tmp", "--chdir", "/tmp", "--clearenv"]
    # A fresh sandbox makes no user namespace of its own; the template's forks need one each, and
    # each fork takes the right away from itself (runner.isolate).
    command += ["--proc", TEMPLATE_PROC] if template else ["--disable-userns"]
    for name in runner.MASKED_PROC:
        if os.path.exists(f"/proc/{name}"):
            command += ["--ro-bind", "/dev/null", f"/proc/{name}"]
    for top in ("/bin", "/lib", "/lib64", "/lib32", "/sbin"):
        if os.path.islink(top):
            command += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            command += ["--ro-bind", top, top]
    for path in _install_paths(python):
        command += ["--ro-bind", path, path]
    command += ["--ro-bind", str(RUNNER), SANDBOX_RUNNER]
    for key, value in {**ENV, "HOME": "/tmp", "MPLCONFIGDIR": "/tmp", "TMPDIR": "/tmp"}.items():
        command += ["--setenv", key, value]
    return command + ["--remount-ro", "/"] + list(program)


@functools.lru_cache(maxsize=None)
def _install_paths(python):
    """The interpreter, its standard library and the venv's packages -- and nothing else of the venv's
    parent (the repository, when the venv lives inside it)."""
    seen = []
    for path in (sys.base_prefix, sys.prefix, site_packages(), str(Path(python).resolve().parent)):
        path = str(Path(path).resolve())
        if path.startswith("/usr/") or any(path == s or path.startswith(s + "/") for s in seen):
            continue
        seen.append(path)
    venv_bin = str(Path(python).parent)
    if venv_bin not in seen and not venv_bin.startswith("/usr/"):
        seen.append(venv_bin)
    return tuple(seen)


def command(kind=None, program=None, limits=None, template=False):
    """The argv that starts a child, and the environment it gets; start it with ``preexec`` (or use
    ``run``), which makes it unprivileged. ``program`` (an argv starting with this interpreter)
    replaces the runner, e.g. to probe the sandbox; inside bubblewrap it sees the runner at
    SANDBOX_RUNNER. ``Unavailable`` when ``kind`` needs a bubblewrap that is gone."""
    python = sys.executable
    if uses_bubblewrap(kind):
        path = bwrap_path()
        if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
            raise Unavailable(f"bubblewrap ({path or 'bwrap'}), chosen for this run, is no longer available; "
                              "this submission was not graded (regrade it)")
        # bwrap itself gets the clean environment too: it stays in the sandbox as PID 1, and its
        # /proc/1/environ is readable from inside (--clearenv only cleans what it starts).
        return _bwrap_command(python, program or [python, "-I", "-S", SANDBOX_RUNNER, site_packages()],
                              limits or Limits(), template), dict(ENV)
    # The runner's source goes in the command line, not its path: a child running as 'nobody' need
    # not be able to read the kit (a Gradescope image locks /autograder/source to root).
    bootstrap = "import sys; exec(compile(sys.argv.pop(1), 'runner.py', 'exec'))"
    return list(program or [python, "-I", "-S", "-c", bootstrap, RUNNER.read_text(encoding="utf-8"),
                            site_packages()]), dict(ENV)


def _reach(kind):
    """What a child of ``kind`` opens by path before it is sandboxed (bubblewrap's bind sources, or the
    interpreter and its packages), and the folders above them that ``nobody`` cannot enter."""
    python = sys.executable
    paths = list(_install_paths(python)) + [python]
    if uses_bubblewrap(kind):
        paths += [str(RUNNER), bwrap_path() or "/usr/bin/bwrap"]
    return paths, unprivileged.blockers(paths)


@functools.lru_cache(maxsize=None)
def refusal():
    """"" when children can be started without host privilege here; else the one-line reason no
    submission is graded (the grader never runs student code as root, nor without its filter)."""
    if seccomp.program() is None:
        return f"student code cannot be sandboxed here: {seccomp.problem()}"
    if not unprivileged.needed():
        return ""
    why = _probe_problem(LIMITS_ONLY, _numpy_probe())
    if why:
        return (f"student code would run as root: as uid {NOBODY} ('nobody') this Python cannot import numpy "
                f"({why}); install Python and the packages where 'nobody' may read them, or grade as a user "
                "that is not root")
    return ""


def drop_to_nobody():
    """Whether children give up the grader's uid for 'nobody' (the grader is root)."""
    return unprivileged.needed()


def rlimits(limits):
    """The resource limits every process of a submission starts with, as ``(name, value)``."""
    return [("RLIMIT_AS", int(limits.memory_bytes)), ("RLIMIT_CPU", int(limits.cpu_seconds)),
            ("RLIMIT_FSIZE", int(limits.file_bytes)), ("RLIMIT_CORE", 0)]


def _processes_of(uid):
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid == uid:
                count += 1
        except OSError:
            pass
    return count


def preexec(limits, workdir, cgroup_procs=(), kind=None):
    """Runs in the child between fork and exec: its cgroups (joined first, so everything it starts
    is in them), own session, resource limits, then 'nobody' (when the grader is root) and the
    seccomp filter, so that bubblewrap and everything after it run without host privilege."""
    kind = kind or isolation()
    drop = unprivileged.needed()
    paths, blocked = _reach(kind) if drop else ((), ())
    uid = NOBODY if drop else os.getuid()
    count_processes = "pids" not in cgroup_controllers(kind)
    install = seccomp.installer()

    def apply():
        for path in cgroup_procs:
            with open(path, "w") as f:
                f.write(str(os.getpid()))
        os.setsid()
        for name, value in rlimits(limits):
            resource.setrlimit(getattr(resource, name), (value, value))
        if count_processes:
            # RLIMIT_NPROC counts every process of the user, so it is relative to what runs now.
            resource.setrlimit(resource.RLIMIT_NPROC, (_processes_of(uid) + limits.processes,) * 2)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        if drop:
            unprivileged.make_reachable(paths, blocked)
            unprivileged.drop()
        install()
        if workdir:
            os.chdir(workdir)
    return apply


def run(kind, program, limits=None, *, timeout=60):
    """Run ``program`` once in a sandbox of ``kind``, as a submission's child would run (a probe);
    its CompletedProcess (text output)."""
    argv, env = command(kind, program, limits)
    workdir = None if uses_bubblewrap(kind) else "/"
    return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=preexec(limits or Limits(), workdir, (), kind), close_fds=True)


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
