"""The worker's template sandbox (autograder/forkserver.py): submissions start as forks of one
process that imported numpy once, and still cannot see, keep or touch anything of each other."""
import os
import subprocess
import sys

import numpy as np
import pytest

from autograder.sandbox import cgroup, forkserver
from autograder import sandbox
from autograder.assignments.backprop_basics import reference

from .probes import REFERENCE, process, run_probe

FULL = sandbox.isolation()
pytestmark = [pytest.mark.serial, pytest.mark.skipif(
    not (FULL.bubblewrap and FULL.controllers),
    reason=f"the template needs bubblewrap and cgroups; here: {FULL} ({cgroup.unusable_reason() or 'no bwrap'})")]


@pytest.fixture(autouse=True)
def _template_on():
    """Each test starts with the template on (earlier tests in this process may have worn it out)."""
    forkserver._failures.clear()
    yield
    forkserver._failures.clear()


def template_pid():
    return forkserver._template.process.pid if forkserver._template else None


def state(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def test_submissions_are_forks_of_one_template_and_graded_as_before(tmp_path, monkeypatch):
    forkserver.close()
    values = []
    for n in range(3):
        child = process(tmp_path, REFERENCE, f"s{n}.py")
        try:
            reply = child.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X)
            assert isinstance(child.process, forkserver.Forked)
            values.append(reply.value["out"])
            if n == 0:
                first = template_pid()
        finally:
            child.close()
        assert template_pid() == first, "one template serves the worker"
    assert all(np.array_equal(v, reference.sigmoid(reference.XOR_X)) for v in values)
    monkeypatch.setenv(forkserver.ENABLE_ENV, "0")
    child = process(tmp_path, REFERENCE, "off.py")
    try:
        assert child.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X).ok
        assert not isinstance(child.process, forkserver.Forked), "AUTOGRADER_TEMPLATE=0: a sandbox of its own"
    finally:
        child.close()


def test_a_fork_can_write_only_its_own_two_small_tmpfs(tmp_path):
    found, reply, _ = run_probe(tmp_path, '''
written = {"before": sorted(os.listdir("/tmp")) + sorted(os.listdir("/dev/shm"))}
for place in ("/", "/dev", "/tmp", "/dev/shm", "/grader"):
    n = 0
    try:
        for i in range(64):
            fd = os.open(f"{place}/f{i}", os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.posix_fallocate(fd, 0, 4 << 20)
            finally:
                os.close(fd)
            n += 4
    except OSError:
        pass
    written[place] = n
written["pid"] = os.getpid()
print(json.dumps(written))
''', tmpfs_bytes=32 * 1024 ** 2)
    assert reply.ok, reply.error
    assert found == {"before": [], "/": 0, "/dev": 0, "/tmp": 32, "/dev/shm": 32, "/grader": 0,
                     "pid": found["pid"]}
    assert found["pid"] > 2, "the part's process, under the submission's zygote (PID 2) and reaper (PID 1)"


LEAVE_BEHIND = '''
import ctypes, signal, time
libc = ctypes.CDLL(None, use_errno=True)
for place in ("/tmp", "/dev/shm"):
    with open(place + "/planted", "w") as f:
        f.write("from the last submission")
r, w = os.pipe()
if os.fork() == 0:                      # a daemon that outlives the submission, if it can
    os.setsid()
    daemon = os.fork()
    if daemon == 0:
        os.execv("/bin/sleep", ["template-test-daemon", "3600"])
    os.write(w, str(daemon).encode())
    os._exit(0)
os.wait()
daemon = int(os.read(r, 32))
seen, opened, signalled, traced = [], [], [], []
for pid in sorted(int(p) for p in os.listdir("/proc") if p.isdigit()):
    seen.append(pid)
    for name, mode in (("mem", "r+b"), ("environ", "rb"), ("fd/5", "rb")):
        try:
            with open(f"/proc/{pid}/{name}", mode):
                opened.append([pid, name])
        except OSError:
            pass
    if libc.ptrace(16, pid, None, None) == 0:      # PTRACE_ATTACH
        traced.append(pid)
        libc.ptrace(17, pid, None, None)            # PTRACE_DETACH
mine = {os.getpid(), os.getppid(), 1, 2, daemon}
for pid in range(1, 4096):                          # every PID this namespace can name
    if pid not in mine:
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            try:
                os.kill(pid, sig)
                signalled.append(pid)
            except OSError:
                pass
os.kill(daemon, 0)                                  # still there when this submission ends
print(json.dumps({"seen": seen, "opened": opened, "signalled": signalled, "traced": traced, "daemon": daemon,
                  "mine": sorted(mine)}))
'''

LOOK_AROUND = '''
names = {}
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            names[pid] = f.read().replace(b"\\0", b" ").decode()
    except OSError:
        pass
print(json.dumps({"tmp": sorted(os.listdir("/tmp")), "shm": sorted(os.listdir("/dev/shm")),
                  "processes": sorted(names.values())}))
'''


def test_what_one_submission_leaves_behind_or_attempts_never_reaches_the_next(tmp_path):
    """A plants files, leaves a daemon, tries to open, trace and signal every process it can see.
    The next submission of the worker starts clean, and the template is untouched."""
    run_probe(tmp_path, "pass", "warm.py")
    template = template_pid()
    template_host_pids = set(forkserver._template.known)
    hostile, reply, _ = run_probe(tmp_path, LEAVE_BEHIND, "a.py")
    assert reply.ok, reply.error
    assert template_pid() == template and state(template) in "SR", "the template neither killed nor stopped"
    # A's /proc is its own PID namespace's: the template is not in it, so there is nothing of it to
    # open, trace or signal; A could open its own processes' files.
    assert set(hostile["seen"]) <= set(hostile["mine"]), hostile
    assert {name for _, name in hostile["opened"]} == {"mem", "environ"}, "its own processes' files it could open"
    neighbour, reply, handle = run_probe(tmp_path, LOOK_AROUND, "b.py")
    assert reply.ok and np.allclose(reply.value["out"], reference.sigmoid(reference.XOR_X))
    assert isinstance(handle, forkserver.Forked) and template_pid() == template
    assert neighbour["tmp"] == [] and neighbour["shm"] == []
    assert not any("template-test-daemon" in p for p in neighbour["processes"]), neighbour["processes"]
    assert set(forkserver._template.known) == template_host_pids
    assert not any("template-test-daemon" in _cmdline(p) for p in os.listdir("/proc") if p.isdigit())


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline") as f:
            return f.read()
    except OSError:   # gone meanwhile
        return ""


FORGE_SETUP_FAILURE = REFERENCE.replace("class Sigmoid:", '''
import os as _os, struct as _struct
_data = b'{"setup_failed": "forged"}'
_sent = _os.write(62, _struct.pack(">I", len(_data)) + _data)

class Sigmoid:
    _forged = _sent''', 1)


def test_a_forged_setup_failure_only_buys_a_sandbox_of_its_own(tmp_path):
    """The fork reports an isolation it could not set up as ``setup_failed``; student code can write
    the same. Either way that submission is graded in a fresh sandbox, and the next one is served."""
    run_probe(tmp_path, "pass", "warm.py")
    failures = len(forkserver._failures)
    child = process(tmp_path, FORGE_SETUP_FAILURE)
    try:
        child.ensure_loaded()
        assert child.process is not None and not isinstance(child.process, forkserver.Forked)
    finally:
        child.close()
    assert len(forkserver._failures) == failures + 1
    _, reply, handle = run_probe(tmp_path, "pass", "next.py")
    assert reply.ok and isinstance(handle, forkserver.Forked)


DAEMON_THEN_EXIT = REFERENCE.replace("class Sigmoid:", '''
import os as _os
import time as _time


def _daemon_then_exit():
    if _os.fork() == 0:
        _os.setsid()
        if _os.fork() == 0:
            _time.sleep(60)          # holds every descriptor it inherited, the reply pipe too
        _os._exit(0)
    _os.wait()
    _os._exit(3)


_started = _daemon_then_exit()


class Sigmoid:
    _needs = _started''', 1)


@pytest.mark.parametrize("template", ["1", "0"])
def test_a_daemon_does_not_outlive_the_runner_that_left(tmp_path, monkeypatch, template):
    """The definitions leave a daemon holding the pipes, then end the runner: the load has exited
    (not timed out) at once, with the template as in a sandbox of its own -- PID 1 of the namespace
    goes with the runner and takes the daemon along."""
    monkeypatch.setenv(forkserver.ENABLE_ENV, template)
    forkserver.close()
    child = process(tmp_path, DAEMON_THEN_EXIT, load_seconds=20.0)
    try:
        assert child.ensure_loaded() is False
    finally:
        child.close()
    assert (forkserver._template is not None) == (template == "1")
    assert child.load_error == "load-exited"        # not load-timeout: nothing waited for the daemon


def test_the_template_starts_and_forks_under_load(tmp_path):
    """Eight processes spinning on the one CPU the grader may use: the template still starts (its
    probe of nested namespaces once lost a race with its own SIGCHLD handler here) and forks."""
    cpu, affinity = min(os.sched_getaffinity(0)), os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True) for _ in range(8)]
    try:
        for n in range(3):
            forkserver.close()
            _, reply, handle = run_probe(tmp_path, "pass", f"load{n}.py")
            assert reply.ok and isinstance(handle, forkserver.Forked), forkserver._failures
            assert forkserver._failures == []
    finally:
        os.sched_setaffinity(0, affinity)
        for hog in hogs:
            hog.kill()
            hog.wait()
