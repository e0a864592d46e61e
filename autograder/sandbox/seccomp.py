"""The system calls a submission may not make: a seccomp filter every sandboxed process starts with.

Each entry of ``REFUSED`` fails with EPERM; a system call of another architecture (32-bit or x32
calls from a 64-bit process) kills the process. The filter is compiled once per grading process by
libseccomp (through the ``pyseccomp`` wrapper; libseccomp2 is part of Debian's and Ubuntu's base
system) and installed between fork and exec (``install``), so it holds for bubblewrap, everything it
starts and every fork of a template sandbox: filters are inherited and can only be added to.
"""
import ctypes
import errno
import functools
import tempfile

# Kernel keyrings belong to a host user id, not to a sandbox: every submission runs as the same
# unprivileged uid, so a key one of them stores could be read by the next.
REFUSED = ("add_key", "keyctl", "request_key")

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


@functools.lru_cache(maxsize=None)
def program():
    """The compiled filter (BPF instructions), or None with ``problem()`` saying why there is none."""
    try:
        import pyseccomp
        rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        for name in REFUSED:
            rules.add_rule(pyseccomp.ERRNO(errno.EPERM), name)
        with tempfile.TemporaryFile() as f:
            rules.export_bpf(f)
            f.seek(0)
            return f.read()
    except (ImportError, OSError, RuntimeError, AttributeError, ValueError):
        return None


@functools.lru_cache(maxsize=None)
def problem():
    """"" when the filter can be built here, else a one-line reason."""
    if program() is not None:
        return ""
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"the seccomp filter cannot be built ({type(exc).__name__}: {exc}; pip install pyseccomp, apt-get install libseccomp2)"
    return "libseccomp could not compile the filter"


def installer():
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
    install.keep = (buffer, fprog)   # the child reads them after fork: keep them alive
    return install
