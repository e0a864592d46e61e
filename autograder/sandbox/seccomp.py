"""The system calls a submission may not make: a seccomp filter every sandboxed process starts with.

Each entry of ``REFUSED`` (and of ``REFUSED_WITH``, for some argument values) fails with EPERM; a
system call of another architecture (32-bit or x32 calls from a 64-bit process) kills the process.
The filter is compiled once per grading process by libseccomp (through the ``pyseccomp`` wrapper;
libseccomp2 is part of Debian's and Ubuntu's base
system) and installed between fork and exec (``install``), so it holds for bubblewrap, everything it
starts and every fork of a template sandbox: filters are inherited and can only be added to.
"""
import ctypes
import errno
import functools
import tempfile
from typing import Callable, Optional

# Each refused call, and why a submission may not make it. Everything they touch is shared with other
# submissions -- the machine's kernel keyrings, the page cache and locks of the files every sandbox
# reads, kernel facilities far from what a numpy exercise needs -- so each could carry a reference a
# submission was handed to the next one (tests/files/hostile: keyring_*, pagecache_*, flock_*).
REFUSED = {
    # Keyrings belong to a host user id, not to a sandbox.
    "add_key": "keyrings", "keyctl": "keyrings", "request_key": "keyrings",
    # Which pages of a file are in memory is one state for the whole machine: evicting or loading
    # chosen pages writes it, asking for them without waiting reads it.
    "fadvise64": "page cache", "readahead": "page cache", "mincore": "page cache", "cachestat": "page cache",
    # Locks and change notifications on files every sandbox sees.
    "flock": "file locks", "inotify_init": "file notifications", "inotify_init1": "file notifications",
    "fanotify_init": "file notifications",
    # Kernel facilities no exercise needs, each a wide attack surface.
    "io_uring_setup": "io_uring", "io_uring_enter": "io_uring", "io_uring_register": "io_uring",
    "userfaultfd": "userfaultfd", "perf_event_open": "performance counters", "bpf": "bpf",
}
# The same, for some values of one argument: (system call, argument index, values, why).
F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW = 5, 6, 7, 36, 37, 38
F_SETLEASE, F_GETLEASE, F_NOTIFY = 1024, 1025, 1026
MADV_WILLNEED, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ, MADV_POPULATE_WRITE = 3, 20, 21, 22, 23
REFUSED_WITH = [
    ("fcntl", 1, (F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_SETLEASE, F_GETLEASE, F_NOTIFY),
     "file locks and notifications"),
    ("madvise", 2, (MADV_WILLNEED, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ, MADV_POPULATE_WRITE), "page cache"),
]
RWF_NOWAIT = 0x8      # preadv2/pwritev2 flag (argument 5): fails instead of waiting for pages not in memory
NOWAIT_CALLS = ("preadv2", "pwritev2")

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


@functools.lru_cache(maxsize=None)
def program() -> Optional[bytes]:
    """The compiled filter (BPF instructions), or None with ``problem()`` saying why there is none."""
    try:
        import pyseccomp   # here: a missing or broken libseccomp is a reason to report, not a failed import
        rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        refuse = pyseccomp.ERRNO(errno.EPERM)
        for name in REFUSED:
            _add(rules, refuse, name)
        for name, index, values, _ in REFUSED_WITH:
            for value in values:
                _add(rules, refuse, name, pyseccomp.Arg(index, pyseccomp.EQ, value))
        for name in NOWAIT_CALLS:
            _add(rules, refuse, name, pyseccomp.Arg(5, pyseccomp.MASKED_EQ, RWF_NOWAIT, RWF_NOWAIT))
        with tempfile.TemporaryFile() as f:
            rules.export_bpf(f)
            f.seek(0)
            return f.read()
    except (ImportError, OSError, RuntimeError, AttributeError, ValueError):
        return None


def _add(rules, action, name, *args):
    """One rule; a call this system's libseccomp does not know (``cachestat`` is recent) is left out:
    a kernel too old to have it refuses it anyway."""
    try:
        rules.add_rule(action, name, *args)
    except ValueError:
        if name != "cachestat":
            raise


@functools.lru_cache(maxsize=None)
def problem() -> str:
    """"" when the filter can be built here, else a one-line reason."""
    if program() is not None:
        return ""
    try:
        import pyseccomp  # noqa: F401 -- here, to say why program() found none
    except (ImportError, OSError) as exc:
        return (f"the seccomp filter cannot be built ({type(exc).__name__}: {exc}; "
                "pip install pyseccomp, apt-get install libseccomp2)")
    return "libseccomp could not compile the filter"


def installer() -> Callable[[], None]:
    """A function that installs the filter in the calling process (no_new_privs first, as an
    unprivileged process must); made in the parent so that the forked child only calls ``prctl``."""
    code = program()
    if code is None:
        raise OSError(errno.ENOSYS, problem())
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)

    def install():
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
                libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "seccomp filter not installed")
    install.keep = (buffer, fprog)  # type: ignore[attr-defined]  # the child reads them after fork: keep them alive
    return install
