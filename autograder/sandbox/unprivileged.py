"""Student code never runs with host privilege: a grader running as root starts every sandboxed
process as a host uid of its own (``sandbox_uid``), and bubblewrap then runs unprivileged.

As root, bubblewrap's sandbox uid maps to the caller's uid, 0: the kernel checks files, sysctls
(``/proc/sys``), keyrings and ``/proc/<pid>`` by that host uid, capabilities or not. So the uid is
changed before bubblewrap starts, between fork and exec (``drop``).

The sandbox still needs the Python installation and the venv, which may lie under a folder that
such a uid cannot enter (pyenv's ``/root/.pyenv``: ``/root`` is 0700). ``blockers`` finds those
folders; ``make_reachable`` then gives the starting process a mount namespace of its own in which
each blocker is an empty tmpfs holding only the paths the sandbox needs, bound from where they are.
Nothing changes on the host, and the rest of the blocker (root's home) stays out of sight.
"""
import ctypes
import os
import stat
from typing import Iterable

# Host uids no account uses: one per grading process (each worker of each run), so that what the
# kernel counts or allows per user -- processes, inotify instances, pending signals, /proc access,
# ownership of a sandbox's user namespace -- is never shared by two workers or two runs.
UID_BASE, UID_SPAN = 2_100_000_000, 1_000_000
CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 0x1, 0x2, 0x4, 0x1000, 0x4000, 0x40000
O_PATH = getattr(os, "O_PATH", 0o10000000)


def sandbox_uid() -> int:
    """The host uid (and gid) this grading process's sandboxes run as."""
    return UID_BASE + os.getpid() % UID_SPAN


def needed() -> bool:
    """Whether this process must drop its uid before starting a sandbox (it is root)."""
    return os.getuid() == 0


def _traversable(info, uid, gid):
    mode = info.st_mode
    if info.st_uid == uid:
        return bool(mode & stat.S_IXUSR)
    if info.st_gid == gid:
        return bool(mode & stat.S_IXGRP)
    return bool(mode & stat.S_IXOTH)


def blockers(paths: Iterable[str | os.PathLike[str]], uid: int, gid: int) -> list:
    """The outermost folders above ``paths`` (not the paths themselves) that ``uid`` cannot enter."""
    found: list = []
    for path in paths:
        parts = os.path.abspath(path).split(os.sep)[1:-1]
        folder = ""
        for part in parts:
            folder += os.sep + part
            try:
                info = os.stat(folder)
            except OSError:
                break
            if not _traversable(info, uid, gid):
                if not any(folder == b or folder.startswith(b + os.sep) for b in found):
                    found = [b for b in found if not b.startswith(folder + os.sep)] + [folder]
                break
    return sorted(found)


def _check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def can_read(path: str | os.PathLike[str], uid: int, gid: int) -> bool:
    """Whether ``uid`` may read ``path`` by its mode bits and those of the folders above it."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    if blockers([path], uid, gid):
        return False
    bits = (stat.S_IRUSR if info.st_uid == uid else stat.S_IRGRP if info.st_gid == gid else stat.S_IROTH)
    return bool(info.st_mode & bits)


def make_reachable(paths: Iterable[str], folders: Iterable[str]) -> None:
    """In a process about to drop its uid (root, between fork and exec): a private mount namespace in
    which each of ``folders`` (``blockers(paths)``) is a tmpfs holding only the ``paths`` below it."""
    if not folders:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    os.umask(0o022)
    _check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    for folder in folders:
        inside = sorted({os.path.abspath(p) for p in paths if os.path.abspath(p).startswith(folder + os.sep)})
        # Opened before the folder is covered: the bind mounts below take them from these.
        handles = [(path, os.open(path, O_PATH)) for path in inside]
        _check(libc.mount(b"tmpfs", folder.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755,size=65536"),
               f"mount tmpfs on {folder}")
        for path, handle in handles:
            is_dir = stat.S_ISDIR(os.fstat(handle).st_mode)
            os.makedirs(path if is_dir else os.path.dirname(path), mode=0o755, exist_ok=True)
            if not is_dir and not os.path.exists(path):
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
            _check(libc.mount(f"/proc/self/fd/{handle}".encode(), path.encode(), None, MS_BIND | MS_REC, None),
                   f"bind {path}")
            os.close(handle)


def drop(uid: int, gid: int) -> None:
    """Become ``uid`` for good: no supplementary groups, real, effective and saved ids changed."""
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise OSError(f"could not become uid {uid}")
