"""A fork of the template puts itself in the submission's own namespaces (``isolate``) before any
student code runs: the layout bubblewrap gives a fresh sandbox, set up with system calls through ctypes.
The constants of what both kinds of sandbox mask in /proc live here too (``launch`` reads them)."""
import ctypes
import fcntl
import os
import signal
import socket
import struct

SANDBOX_FOLDER = "/grader"      # where the child's code is inside bubblewrap (the runner's folder)
# A procfs with nothing bound over it, which the template's sandbox has here and which only a fork
# setting itself up sees: the kernel lets a process mount a fresh /proc (one that shows its own PID
# namespace) only where such a procfs is in sight. Each fork covers it once its own /proc is there.
TEMPLATE_PROC = f"{SANDBOX_FOLDER}/proc"
# Files of /proc that count what the whole machine did (processes forked, load, memory, interrupts,
# idle time): one submission could move them for the next to read. Both kinds of sandbox cover them
# with /dev/null, unreadable there (nodev), so a read fails the same way wherever a submission runs.
MASKED_PROC = ("stat", "loadavg", "uptime", "vmstat", "meminfo", "zoneinfo", "buddyinfo", "pagetypeinfo",
               "interrupts", "softirqs", "schedstat", "diskstats", "keys", "key-users", "timer_list",
               "sched_debug", "latency_stats", "kallsyms", "locks", "cgroups", "sys/fs/dentry-state",
               "sys/fs/inode-nr", "sys/fs/inode-state", "sys/fs/file-nr")
MASKED_PROC_FOLDERS = ("pressure",)     # the same, for folders: an empty read-only tmpfs over them
CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
SETUP_FAILED = 70       # exit status of a fork that could not isolate itself (before any student code)


def load_libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        raise OSError(ctypes.get_errno(), f"{what}: {os.strerror(ctypes.get_errno())}")


def _drop_capabilities(libc: ctypes.CDLL) -> None:
    """No capabilities left in the submission's own user namespace (it had all of them there)."""

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]
    _check(libc.capset(ctypes.byref(Header(0x20080522, 0)), (Data * 2)()), "capset")


def isolate(tmpfs_bytes: int) -> None:
    """Called in a fresh fork of the template, already in the submission's cgroups: new user, mount,
    PID, network, IPC, UTS and cgroup namespaces; a fresh ``/tmp`` and ``/dev/shm`` of ``tmpfs_bytes``
    each; a ``/proc`` of its own PID namespace with ``/proc/sys`` read-only; no user namespace of its
    own to make; no capabilities. Nothing an earlier fork did can be read here: not its files, its
    sockets, its processes, nor how many PIDs it used. Returns in the process that runs the
    submission (PID 2 of its namespace, under a reaper at PID 1, as bubblewrap lays it out); the
    processes above it exit with its status and never return."""
    libc = load_libc()
    uid, gid = os.getuid(), os.getgid()
    _check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS
                        | CLONE_NEWCGROUP), "unshare")
    # Forks of the template are not dumpable, and /proc/self of a process that is not is not its own
    # to write. In its own namespaces now, nothing of the template can reach it any more.
    libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)
    for role in ("init", "runner"):
        pid = os.fork()
        if pid:
            _wait_and_exit(pid, reap_all=role == "runner")
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if role == "init":
            _check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
            options = f"size={int(tmpfs_bytes)},mode=0755".encode()
            for target in (b"/tmp", b"/dev/shm"):
                _check(libc.mount(b"tmpfs", target, b"tmpfs", MS_NOSUID | MS_NODEV, options), "mount tmpfs")
            _own_proc(libc)
            _loopback_up()
            # PID 1 of a PID namespace gets from inside only the signals it handles: none, then
            # (Python's own SIGINT handler would let the submission end it as a "failed setup").
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            for cap in range(64):       # the bounding set too, as bubblewrap leaves a fresh sandbox
                libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
            _drop_capabilities(libc)
            os.chdir("/tmp")


def _own_proc(libc: ctypes.CDLL) -> None:
    """PID 1 of the fork's namespaces: mount its /proc, forbid new user namespaces below this one,
    make /proc/sys read-only, mask MASKED_PROC as bubblewrap does, and cover the template's procfs."""
    _check(libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")
    with open("/proc/sys/user/max_user_namespaces", "w") as f:
        f.write("0")
    _check(libc.mount(b"/proc/sys", b"/proc/sys", None, MS_BIND | MS_REC, None), "bind /proc/sys")
    _check(libc.mount(None, b"/proc/sys", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                      None), "remount /proc/sys read-only")
    for name in MASKED_PROC:
        target = f"/proc/{name}".encode()
        if os.path.exists(target):
            _check(libc.mount(b"/dev/null", target, None, MS_BIND, None), f"mask /proc/{name}")
            _check(libc.mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                              None), f"mask /proc/{name} read-only")
    for name in MASKED_PROC_FOLDERS:
        target = f"/proc/{name}".encode()
        if os.path.isdir(target):
            _check(libc.mount(b"tmpfs", target, b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                              b"size=4096,mode=0555"), f"mask /proc/{name}")
    _check(libc.mount(b"tmpfs", TEMPLATE_PROC.encode(), b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                      b"size=4096,mode=0"), "cover " + TEMPLATE_PROC)


def _loopback_up() -> None:
    """Bring up the new network namespace's loopback, as bubblewrap does in a fresh sandbox."""
    IFF_UP, IFF_LOOPBACK, IFF_RUNNING, SIOCSIFFLAGS = 0x1, 0x8, 0x40, 0x8914
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", IFF_UP | IFF_LOOPBACK | IFF_RUNNING))


def _wait_and_exit(pid: int, reap_all: bool) -> None:
    """Wait for ``pid`` (reaping every orphan meanwhile when this is the namespace's PID 1), then
    exit with its status. PID 1 exiting ends every process left in the namespace, as bubblewrap's
    does: a daemon the submission left cannot keep its pipes open once its runner is gone."""
    status = 1
    while True:
        try:
            done, raw = os.waitpid(-1 if reap_all else pid, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if done == pid:
            status = os.waitstatus_to_exitcode(raw)
            break
    os._exit(status if status >= 0 else 128 - status)
