"""One cgroup (v1) per submission's sandbox: its memory, process count, CPU share and CPU time.

Resource limits (``RLIMIT_AS``) are per process and do not see files in a RAM-backed ``/tmp``; as root
``RLIMIT_NPROC`` does not apply; and a wall-clock time limit charges a submission for load that its
neighbours cause. A cgroup per submission fixes all three:

* ``memory``: ``memory.limit_in_bytes`` bounds everything the submission's processes hold, tmpfs
  pages included (they are charged to the cgroup that writes them);
* ``pids``: ``pids.max`` bounds its processes and threads at once, whoever runs them;
* ``cpu``: one group competes as one entity, so 400 spinning processes get the CPU share of one;
* ``cpuacct``: ``cpuacct.usage`` is the CPU time of all its processes, what time limits measure.

Groups are children of the grader's own cgroup in each hierarchy (``/proc/self/cgroup``), named
``autograder-<pid>-<start>-<n>`` after the process that made them. ``close`` kills whatever is left
in a group and removes it; ``sweep`` removes the groups of graders that are gone (a worker killed
with SIGKILL), and runs before a process makes its first group. cgroup v2 is not used: where only v2
(or nothing writable) is available, ``usable()`` is empty and ``unusable_reason()`` says why.
"""
import itertools
import os
import signal
import time
from typing import Any, Iterable, Optional

CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")
PREFIX = "autograder-"
_counter = itertools.count(1)
_swept = False


class CgroupError(Exception):
    """A cgroup could not be made, limited or joined (the message is a one-line reason)."""


def _mountinfo():
    """controller -> (mount point, mount root) of every cgroup v1 hierarchy mounted here."""
    found = {}
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return found
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or len(tail) < 3 or tail[0] != "cgroup":
            continue
        for option in tail[2].split(","):
            if option in CONTROLLERS:
                found.setdefault(option, (fields[4], fields[3]))
    return found


def _own_paths():
    """controller -> this process's cgroup path in that hierarchy (``/proc/self/cgroup``)."""
    found = {}
    try:
        with open("/proc/self/cgroup", encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return found
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(","):
                if controller in CONTROLLERS:
                    found[controller] = parts[2]
    return found


def parents() -> dict:
    """controller -> the folder of this process's own cgroup, for the controllers mounted (v1)."""
    mounts, own = _mountinfo(), _own_paths()
    found = {}
    for controller in CONTROLLERS:
        if controller not in mounts or controller not in own:
            continue
        point, root = mounts[controller]
        relative = os.path.relpath(own[controller], root) if own[controller].startswith(root) else None
        if relative is None or relative.startswith(".."):
            continue   # our cgroup is outside what is mounted here (another namespace): not usable
        found[controller] = os.path.normpath(os.path.join(point, relative))
    return found


def _probe(folder):
    """None when a child group can be made, limited and joined in ``folder``, else why not."""
    name = os.path.join(folder, f"{PREFIX}{_owner_tag()}-probe")
    try:
        os.mkdir(name)
    except FileExistsError:
        pass
    except OSError as exc:
        return f"cannot create a group in {folder} ({exc.strerror})"
    try:
        if not os.access(os.path.join(name, "cgroup.procs"), os.W_OK):
            return f"cannot move processes into groups under {folder}"
        return None
    finally:
        try:
            os.rmdir(name)
        except OSError:
            pass


_usable: Any = None       # (usable controllers, controller -> why not), once probed


def usable() -> tuple:
    """The controllers this process can give each submission a group of (probed once)."""
    global _usable
    if _usable is None:
        found, why = [], {}
        for controller, folder in parents().items():
            problem = _probe(folder)
            if problem is None:
                found.append(controller)
            else:
                why[controller] = problem
        _usable = (tuple(c for c in CONTROLLERS if c in found), why)
    return _usable[0]


def unusable_reason() -> str:
    """One line: why the controllers missing from ``usable()`` cannot be used here."""
    usable()
    missing = [c for c in CONTROLLERS if c not in _usable[0]]
    if not missing:
        return ""
    mounted = _mountinfo()
    if not mounted:
        v2 = os.path.exists("/sys/fs/cgroup/cgroup.controllers")
        return "only cgroup v2 is mounted (the grader uses cgroup v1)" if v2 else "no cgroup v1 hierarchy is mounted"
    reasons = []
    for controller in missing:
        if controller not in mounted:
            reasons.append(f"{controller}: not mounted")
        else:
            reasons.append(f"{controller}: {_usable[1].get(controller, 'not usable')}")
    return "; ".join(reasons)


# ------------------------------------------------------------------ owners
def _start_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def _owner_tag(pid=None):
    pid = pid or os.getpid()
    return f"{pid}-{_start_ticks(pid) or 0}"


def _owner_alive(name):
    """Whether the process named in ``autograder-<pid>-<start>-<n>`` still runs (same start time)."""
    try:
        pid, start = name[len(PREFIX):].split("-")[:2]
        return _start_ticks(int(pid)) == start
    except ValueError:
        return False


def _pids(folder):
    try:
        with open(os.path.join(folder, "cgroup.procs")) as f:
            return [int(p) for p in f.read().split()]
    except (OSError, ValueError):
        return []


def _empty_and_remove(folders, seconds=5.0):
    """SIGKILL every process in ``folders`` until none is left, then remove them. False if one stays."""
    deadline, pause = time.monotonic() + seconds, 0.001
    while True:
        pids = {pid for folder in folders for pid in _pids(folder)}
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        left = []
        for folder in folders:
            try:
                os.rmdir(folder)
            except FileNotFoundError:
                pass
            except OSError:
                left.append(folder)
        if not left:
            return True
        if time.monotonic() > deadline:
            return False
        folders = left
        time.sleep(pause)   # SIGKILLed processes leave within milliseconds, stopped ones take longer
        pause = min(2 * pause, 0.05)


def sweep() -> int:
    """Remove the groups of graders that no longer run (killed with SIGKILL, the machine's last run)."""
    removed = 0
    for folder in parents().values():
        try:
            names = [n for n in os.listdir(folder) if n.startswith(PREFIX)]
        except OSError:
            continue
        stale = [os.path.join(folder, n) for n in names if not _owner_alive(n)]
        if stale and _empty_and_remove(stale):
            removed += len(stale)
    return removed


# ------------------------------------------------------------------ one submission's group
class Group:
    """A submission's cgroup in each of ``controllers``: made and limited here, joined by the child
    between fork and exec (``procs_files``), emptied and removed by ``close``."""

    def __init__(self, controllers: Iterable[str], *, memory_bytes: int, processes: int) -> None:
        global _swept
        if not _swept:
            _swept = True
            sweep()
        available = parents()
        name = f"{PREFIX}{_owner_tag()}-{next(_counter)}"
        self.folders: dict = {}      # controller -> the group's folder in its hierarchy
        try:
            for controller in controllers:
                if controller not in available:
                    raise CgroupError(f"the {controller} cgroup hierarchy is not mounted any more")
                folder = os.path.join(available[controller], name)
                if folder in self.folders.values():   # co-mounted controllers (cpu,cpuacct) share a folder
                    self.folders[controller] = folder
                    continue
                os.mkdir(folder)
                self.folders[controller] = folder
            if "memory" in self.folders:
                self._write("memory", "memory.limit_in_bytes", memory_bytes)
                try:   # no swap here, or it counts too
                    self._write("memory", "memory.memsw.limit_in_bytes", memory_bytes)
                except OSError:
                    pass
            if "pids" in self.folders:
                self._write("pids", "pids.max", processes)
        except OSError as exc:
            self.close()
            raise CgroupError(f"cannot set up the submission's cgroup "
                              f"({exc.strerror or exc}: {exc.filename})") from None

    def _write(self, controller, name, value):
        with open(os.path.join(self.folders[controller], name), "w") as f:
            f.write(str(value))

    @property
    def procs_files(self) -> list:
        """The ``cgroup.procs`` files the child writes its pid to (once per distinct folder)."""
        return sorted({os.path.join(folder, "cgroup.procs") for folder in self.folders.values()})

    def pids(self) -> list:
        """The processes in the group now (host PIDs)."""
        return sorted({pid for folder in set(self.folders.values()) for pid in _pids(folder)})

    def add(self, pid: int) -> None:
        """Move process ``pid`` into the group (what it starts from then on is in it too)."""
        for path in self.procs_files:
            with open(path, "w") as f:
                f.write(str(pid))

    def cpu_seconds(self) -> Optional[float]:
        """CPU time used by every process that ever ran in the group (None without cpuacct)."""
        if "cpuacct" not in self.folders:
            return None
        try:
            with open(os.path.join(self.folders["cpuacct"], "cpuacct.usage")) as f:
                return int(f.read()) / 1e9
        except (OSError, ValueError):
            return None

    def runnable(self) -> bool:
        """Whether a thread of the group is running or waiting for a CPU (state R) right now."""
        folder = self.folders.get("cpuacct") or self.folders.get("pids") or next(iter(self.folders.values()), None)
        if folder is None:
            return False
        try:
            with open(os.path.join(folder, "tasks")) as f:
                tasks = f.read().split()
        except OSError:
            return False
        for tid in tasks:
            try:
                with open(f"/proc/{tid}/stat", "rb") as f:
                    if f.read().rsplit(b")", 1)[1].split()[0] == b"R":
                        return True
            except (OSError, IndexError):
                continue
        return False

    def memory_peak(self) -> Optional[int]:
        """The most memory the group ever held (None without a memory cgroup)."""
        if "memory" not in self.folders:
            return None
        try:
            with open(os.path.join(self.folders["memory"], "memory.max_usage_in_bytes")) as f:
                return int(f.read())
        except (OSError, ValueError):
            return None

    def oom_kills(self) -> Optional[int]:
        """Processes of the group the kernel killed for exceeding its memory limit (None without it)."""
        if "memory" not in self.folders:
            return None
        try:
            with open(os.path.join(self.folders["memory"], "memory.oom_control")) as f:
                fields = dict(line.split() for line in f if len(line.split()) == 2)
            return int(fields.get("oom_kill", 0))
        except (OSError, ValueError):
            return None

    def close(self) -> bool:
        """Kill every process still in the group and remove it (True when it is gone)."""
        folders = sorted(set(self.folders.values()))
        self.folders = {}
        return _empty_and_remove(folders) if folders else True
