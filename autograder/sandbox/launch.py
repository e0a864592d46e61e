"""Starting a submission's child: the command (bubblewrap's, or the bare interpreter's) and what
runs between fork and exec.

Student code never holds host privilege: a grader running as root starts every child as the
unprivileged ``nobody`` (``unprivileged.py``), so bubblewrap runs unprivileged too, and every child
starts with a seccomp filter that refuses the kernel keyring calls (``seccomp.py``).

With bubblewrap the child sees a read-only system (``/proc/sys`` included, the machine-wide counters
of ``/proc`` masked), the Python installation and the venv's site-packages, a private empty ``/tmp``
as home and working directory, no network, its own PID namespace (every process it starts dies with
it) and nothing of the repository: not ``solutions/``, not the checks, not other submissions. The
submission's code reaches it over a pipe, not as a file. Its only writable places are ``/tmp`` and
``/dev/shm``, two tmpfs of ``Limits.tmpfs_bytes`` each (``/`` and ``/dev`` are remounted read-only).

Without bubblewrap the child runs with the same resource limits in its own session (process group),
with ``python -I -S`` so the venv's ``.pth`` file does not put the repository on its path -- but it
can read whatever files ``nobody`` (or, for a grader that is not root, the grading user) can.
"""
import functools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

from autograder.sandbox import seccomp, unprivileged
from autograder.sandbox.inside.namespaces import MASKED_PROC, MASKED_PROC_FOLDERS, SANDBOX_FOLDER, TEMPLATE_PROC
from autograder.sandbox.modes import BUBBLEWRAP, LIMITS_ONLY, Isolation
from autograder.sandbox.limits import Limits

INSIDE = Path(__file__).with_name("inside")   # the child's code: every module of it, bound or sent
RUNNER = INSIDE / "runner.py"
BWRAP_ENV = "AUTOGRADER_BWRAP"         # the bubblewrap binary pinned for a run's workers
SANDBOX_RUNNER = f"{SANDBOX_FOLDER}/runner.py"
# Without bubblewrap: every module's source in the command line (a child running as another user
# need not be able to read the kit: a Gradescope image locks /autograder/source to root).
BOOTSTRAP = (f"import sys, json; SOURCES = json.loads(sys.argv.pop(1)); __file__ = {SANDBOX_RUNNER!r}; "
             "exec(compile(SOURCES['runner'], __file__, 'exec'))")
NOBODY = 65534          # the uid and gid student code sees inside bubblewrap; on the host it is sandbox_uid()
ENV = {
    # One BLAS thread: the same submission always gets the same result, and fork() stays safe.
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
    "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
}


class Unavailable(Exception):
    """The isolation pinned for this run cannot be provided any more: the submission is not graded
    (a grader-error result with this one-line reason), never graded with less."""


def bwrap_path() -> Optional[str]:
    """The bubblewrap binary: the one pinned for this run, else the one on PATH (None if none)."""
    return os.environ.get(BWRAP_ENV) or shutil.which("bwrap")


def _numpy_probe():
    return [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.append({site_packages()!r}); import numpy"]


def bwrap_works() -> str:
    """"" when bubblewrap can start a sandbox here, as the user sandboxes run as, that imports numpy;
    else its one-line complaint (containers often forbid the user namespaces it needs: "No
    permissions to creating new namespace")."""
    return _probe_problem(Isolation(BUBBLEWRAP), _numpy_probe())


def _probe_problem(kind, program):
    try:
        done = run(kind, program, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
    if done.returncode == 0:
        return ""
    lines = (done.stderr or done.stdout or "").strip().splitlines()
    return (lines[-1] if lines else f"exit status {done.returncode}")[:200]


def site_packages() -> str:
    """The folder numpy is installed in: the child's only packages."""
    import numpy   # here: commands that start no child need not import it
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
    # each fork takes the right away from itself (namespaces.isolate).
    command += ["--proc", TEMPLATE_PROC] if template else ["--disable-userns"]
    for name in MASKED_PROC:
        if os.path.exists(f"/proc/{name}"):
            command += ["--ro-bind", "/dev/null", f"/proc/{name}"]
    for name in MASKED_PROC_FOLDERS:
        if os.path.isdir(f"/proc/{name}"):
            command += ["--perms", "0555", "--tmpfs", f"/proc/{name}", "--remount-ro", f"/proc/{name}"]
    for top in ("/bin", "/lib", "/lib64", "/lib32", "/sbin"):
        if os.path.islink(top):
            command += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            command += ["--ro-bind", top, top]
    for path in _install_paths(python):
        command += ["--ro-bind", path, path]
    for path in inside_modules():
        command += ["--ro-bind", str(path), f"{SANDBOX_FOLDER}/{path.name}"]
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


def command(kind: Union[Isolation, str], program: Optional[list] = None, limits: Optional[Limits] = None,
            template: bool = False) -> tuple:
    """The argv that starts a child of ``kind`` (an Isolation or its text), and the environment it
    gets; start it with ``preexec`` (or use ``run``), which makes it unprivileged. ``program`` (an
    argv starting with this interpreter) replaces the runner, e.g. to probe the sandbox; inside
    bubblewrap it sees the runner at SANDBOX_RUNNER. ``Unavailable`` when ``kind`` needs a bubblewrap
    that is gone."""
    python = sys.executable
    if Isolation.of(kind).bubblewrap:
        path = bwrap_path()
        if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
            raise Unavailable(f"bubblewrap ({path or 'bwrap'}), chosen for this run, is no longer available; "
                              "this submission was not graded (regrade it)")
        # bwrap itself gets the clean environment too: it stays in the sandbox as PID 1, and its
        # /proc/1/environ is readable from inside (--clearenv only cleans what it starts).
        return _bwrap_command(python, program or [python, "-I", "-S", SANDBOX_RUNNER, site_packages()],
                              limits or Limits(), template), dict(ENV)
    sources = {path.stem: path.read_text(encoding="utf-8") for path in inside_modules()}
    return list(program or [python, "-I", "-S", "-c", BOOTSTRAP, json.dumps(sources), site_packages()]), dict(ENV)


def inside_modules() -> list:
    """The files of the child's code (the package's ``__init__`` is the parent's only)."""
    return sorted(path for path in INSIDE.glob("*.py") if path.name != "__init__.py")


def _reach(kind):
    """What a child of ``kind`` opens by path before it is sandboxed (bubblewrap's bind sources, or the
    interpreter and its packages), and the folders above them that ``nobody`` cannot enter."""
    python = sys.executable
    paths = list(_install_paths(python)) + [python]
    if kind.bubblewrap:
        paths += [str(path) for path in inside_modules()] + [bwrap_path() or "/usr/bin/bwrap"]
    uid = unprivileged.sandbox_uid()
    return paths, unprivileged.blockers(paths, uid, uid)


@functools.lru_cache(maxsize=None)
def refusal() -> str:
    """"" when children can be started without host privilege here; else the one-line reason no
    submission is graded (the grader never runs student code as root, nor without its filter)."""
    if seccomp.program() is None:
        return f"student code cannot be sandboxed here: {seccomp.problem()}"
    if not unprivileged.needed():
        return ""
    why = _probe_problem(Isolation(LIMITS_ONLY), _numpy_probe())
    if why:
        return (f"student code would run as root: as uid {unprivileged.sandbox_uid()} this Python cannot import numpy "
                f"({why}); install Python and the packages where any user may read them, or grade as a user "
                "that is not root")
    return ""


UNSANDBOXED_ENV = "AUTOGRADER_UNSANDBOXED"   # "1": grade without bubblewrap even where code could read others'


def unsandboxed_problem(kind: Union[Isolation, str], reference: Union[str, os.PathLike[str]],
                        submissions: list) -> str:
    """"" when the run may grade ``submissions`` with ``kind``; else why not, in one line. Without
    bubblewrap nothing hides files from student code: the run goes on only where it is one submission
    graded as a uid that cannot read the reference (Gradescope's container, whose ``setup.sh`` makes
    the bundle root's only), or when the instructor says so (``AUTOGRADER_UNSANDBOXED=1``)."""
    kind = Isolation.of(kind)
    if kind.bubblewrap or os.environ.get(UNSANDBOXED_ENV) == "1":
        return ""
    fix = ("install bubblewrap (Debian: apt-get install bubblewrap) where user namespaces are allowed, "
           f"or set {UNSANDBOXED_ENV}=1 to grade anyway")
    if not unprivileged.needed():
        return (f"without bubblewrap, student code would run as you (uid {os.getuid()}) "
                f"and could read what you can: {fix}")
    uid = unprivileged.sandbox_uid()
    if unprivileged.can_read(reference, uid, uid):
        return f"without bubblewrap, student code (uid {uid}) could read the reference {reference}: {fix}"
    if len(submissions) > 1:
        return (f"without bubblewrap, each of these {len(submissions)} submissions could read what the others can "
                f"(the host's /tmp, processes, files): {fix}")
    return ""


def drop_to_nobody() -> bool:
    """Whether children give up the grader's uid for a uid of their own (the grader is root)."""
    return unprivileged.needed()


def rlimits(limits: Limits) -> list:
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


def preexec(kind: Union[Isolation, str], limits: Limits, workdir: Optional[str] = None,
            cgroup_procs: Iterable[str] = ()) -> Callable[[], None]:
    """Runs in the child between fork and exec: its cgroups (joined first, so everything it starts
    is in them), own session, resource limits, then 'nobody' (when the grader is root) and the
    seccomp filter, so that bubblewrap and everything after it run without host privilege."""
    kind = Isolation.of(kind)
    drop = unprivileged.needed()
    paths, blocked = _reach(kind) if drop else ((), ())
    uid = unprivileged.sandbox_uid() if drop else os.getuid()
    count_processes = "pids" not in kind.controllers
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
            unprivileged.drop(uid, uid)
        install()
        if workdir:
            os.chdir(workdir)
    return apply


def run(kind: Union[Isolation, str], program: list, limits: Optional[Limits] = None, *,
        timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``program`` once in a sandbox of ``kind``, as a submission's child would run (a probe);
    its CompletedProcess (text output)."""
    kind = Isolation.of(kind)
    argv, env = command(kind, program, limits)
    return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=preexec(kind, limits or Limits(), None if kind.bubblewrap else "/"),
                          close_fds=True)


def kill_group(process: subprocess.Popen) -> None:
    """Kill the child and everything it started (its session; with bubblewrap, its PID namespace)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.kill()
    except ProcessLookupError:
        pass
