"""Student code holds no host privilege, and nothing one submission does can be read by the next.

Each probe runs as a submission's own code, in every kind of sandbox this machine offers: a fork of
the worker's template, a fresh bubblewrap sandbox, and limits only (no bubblewrap). From inside it
tries what a process that is host root could do -- open a host setting for writing, use a kernel
keyring, make a user namespace -- and from outside the test reads the host uid of every process of
the submission. Then a sender leaves what it can (processes counted, sockets, IPC objects, a
hostname) and a receiver graded next reports what it sees: exactly what it sees alone.
"""
import errno
import json
import os
import sys
from pathlib import Path

import pytest

from autograder.sandbox import forkserver, seccomp, unprivileged
from autograder import sandbox

from .conftest import FILES, ROOT, run_cli
from .probes import FULL, run_probe

# The first folder under /tmp of each path the sandbox binds Python from (none for a checkout elsewhere).
BOUND_UNDER_TMP = {Path(p).resolve().parts[2] for p in (sys.prefix, sandbox.site_packages(), ROOT)
                   if len(Path(p).resolve().parts) > 2 and Path(p).resolve().parts[1] == "tmp"}

TEMPLATE, FRESH, LIMITS_ONLY = "template", "fresh bubblewrap", "limits only"
PATHS = [LIMITS_ONLY]
if FULL.bubblewrap:
    PATHS.append(FRESH)
    if FULL.controllers:
        PATHS.append(TEMPLATE)
SANDBOXED = [p for p in PATHS if p != LIMITS_ONLY]


@pytest.fixture
def path(request, monkeypatch):
    """The sandbox kind for one of PATHS, with the template on or off as it names."""
    which = request.param
    monkeypatch.setenv(forkserver.ENABLE_ENV, "1" if which == TEMPLATE else "0")
    forkserver.close()
    forkserver._failures.clear()
    yield FULL if which != LIMITS_ONLY else sandbox.Isolation(sandbox.LIMITS_ONLY)
    forkserver.close()


def each(paths):
    return pytest.mark.parametrize("path", paths, indirect=True)


def _host_uids(pid):
    """Real, effective, saved and filesystem uids of ``pid`` and every process below it, by host PID."""
    children = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = {}, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as f:
                line = next(line for line in f if line.startswith("Uid:"))
            found[current] = [int(u) for u in line.split()[1:]]
        except (OSError, StopIteration):
            continue
        todo += children.get(current, [])
    return found


@each(PATHS)
def test_student_code_never_runs_as_host_root(tmp_path, path):
    seen = {}

    def look(child):
        seen.update(_host_uids(child.process.pid))
        if child.group is not None:
            for pid in child.group.pids():
                seen.update(_host_uids(pid))

    found, reply, handle = run_probe(tmp_path, 'print(json.dumps({"uid": os.getuid(), "euid": os.geteuid()}))',
                                     kind=path, while_running=look)
    assert reply.ok, reply.error
    assert isinstance(handle, forkserver.Forked) == (path == FULL and os.environ[forkserver.ENABLE_ENV] == "1")
    expected = unprivileged.sandbox_uid() if os.getuid() == 0 else os.getuid()
    assert len(seen) >= 2, seen                       # the submission's process and the part it forked
    assert {uid for uids in seen.values() for uid in uids} == {expected}, seen
    inside = sandbox.NOBODY if path.bubblewrap else expected      # bubblewrap maps it to 'nobody'
    assert found == {"uid": inside, "euid": inside}


OPEN_SETTINGS = '''
writable, tried = [], 0
for top in ("/proc/sys", "/sys/fs/cgroup", "/sys/kernel"):
    for folder, _, files in os.walk(top):
        for name in files:
            tried += 1
            file = os.path.join(folder, name)
            try:
                fd = os.open(file, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                continue
            try:   # some files open for anyone and check the writer (ns_last_pid): write what is there
                with open(file, "rb") as f:
                    os.write(fd, f.read())
                writable.append(file)
            except OSError:
                pass
            finally:
                os.close(fd)
print(json.dumps({"writable": writable[:20], "tried": tried}))
'''


@each(PATHS)
def test_no_host_setting_can_be_written(tmp_path, path):
    """Every file of /proc/sys (and /sys's cgroup and kernel settings, where they are in sight): none
    opens for writing, or, where anyone may open it, takes a write of its own value back."""
    found, reply, _ = run_probe(tmp_path, OPEN_SETTINGS, kind=path)
    assert reply.ok, reply.error
    assert found["tried"] > 500, found               # /proc/sys was walked
    assert found["writable"] == []


KEYRING = '''
import ctypes, platform
numbers = {"x86_64": (248, 249, 250), "aarch64": (217, 218, 219)}[platform.machine()]
libc = ctypes.CDLL(None, use_errno=True)
add_key, request_key, keyctl = numbers
results = {}
for name, call in (("add_key", lambda: libc.syscall(add_key, b"user", b"leak", b"data", 4, ctypes.c_long(-4))),
                   ("request_key", lambda: libc.syscall(request_key, b"user", b"leak", None, ctypes.c_long(-4))),
                   ("keyctl", lambda: libc.syscall(keyctl, 0, ctypes.c_long(-4), 0))):
    ctypes.set_errno(0)
    results[name] = [call(), ctypes.get_errno()]
print(json.dumps(results))
'''


@each(PATHS)
def test_the_keyring_calls_are_refused(tmp_path, path):
    found, reply, _ = run_probe(tmp_path, KEYRING, kind=path)
    assert reply.ok, reply.error
    assert found == {name: [-1, errno.EPERM] for name in ("add_key", "request_key", "keyctl")}
    assert {"add_key", "request_key", "keyctl"} <= set(seccomp.REFUSED)


@each(SANDBOXED)
def test_no_user_namespace_can_be_made_and_no_host_process_is_in_sight(tmp_path, path):
    probe = '''
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
made = libc.unshare(0x10000000)
print(json.dumps({"userns": made, "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
                  "sys": os.path.exists("/sys/fs/cgroup")}))
'''
    found, reply, _ = run_probe(tmp_path, probe, kind=path)
    assert reply.ok, reply.error
    assert found["userns"] == -1
    assert found["pids"] == [1, 2, 3], "a reaper or bubblewrap, the submission's first process, this part"
    assert found["sys"] is False


# What a receiver reads that an earlier submission could have moved or left behind.
READINGS = '''
import ctypes, socket
def text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as exc:
        return f"{type(exc).__name__}"
libc = ctypes.CDLL(None, use_errno=True)
ipc = [libc.shmget(0x5eed, 0, 0), libc.msgget(0x5eed, 0), libc.semget(0x5eed, 0, 0)]
r, w = os.pipe()
child = os.fork()
if child == 0:
    os._exit(0)
os.waitpid(child, 0)
try:
    with socket.socket(socket.AF_UNIX) as s:
        s.connect("\\0autograder-leak")
        abstract = "connected"
except OSError as exc:
    abstract = type(exc).__name__
print(json.dumps({
    "pid": os.getpid(), "forked": child, "nspid": text("/proc/self/status").split("NSpid:")[1].split("\\n")[0].split(),
    "ns_last_pid": text("/proc/sys/kernel/ns_last_pid"), "cgroup": text("/proc/self/cgroup"),
    "hostname": socket.gethostname(), "ipc": ipc, "abstract": abstract,
    "net": {name: text(f"/proc/net/{name}").splitlines()[1:] for name in ("tcp", "tcp6", "udp", "unix")},
    "masked": {name: text(f"/proc/{name}") for name in ("stat", "loadavg", "uptime", "meminfo")},
    "tmp": sorted(os.listdir("/tmp")), "shm": sorted(os.listdir("/dev/shm")),
}))
'''

LEAVE_TRACES = '''
import ctypes, socket, time
libc = ctypes.CDLL(None, use_errno=True)
for _ in range(300):                                  # PIDs used: the counter the next one would read
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)
libc.shmget(0x5eed, 4096, 0o1666)                    # IPC_CREAT | 0666
libc.msgget(0x5eed, 0o1666)
libc.semget(0x5eed, 1, 0o1666)
libc.sethostname(b"leak", 4)
try:
    with open("/proc/sys/kernel/hostname", "w") as f:
        f.write("leak")
except OSError:
    pass
holder = socket.socket(socket.AF_UNIX)
holder.bind("\\0autograder-leak")
holder.listen()
try:                                                  # TIME_WAIT connections outlive every process
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    for _ in range(50):
        c = socket.create_connection(server.getsockname())
        a, _ = server.accept()
        a.close()
        c.close()
    sockets = "made"
except OSError as exc:
    sockets = type(exc).__name__
if os.fork() == 0:                                    # a daemon keeping the socket, if it can
    os.setsid()
    time.sleep(600)
    os._exit(0)
for place in ("/tmp", "/dev/shm"):
    with open(place + "/planted", "w") as f:
        f.write("left")
print(json.dumps({"sockets": sockets}))
'''


@each(SANDBOXED)
def test_a_submission_reads_the_same_whatever_was_graded_before_it(tmp_path, path):
    """The receiver's readings alone, then right after a sender that used 300 PIDs and left IPC
    objects, sockets, TIME_WAIT connections, a hostname, files and a daemon: identical."""
    alone, reply, _ = run_probe(tmp_path, READINGS, "alone.py", kind=path)
    assert reply.ok, reply.error
    sender, reply, _ = run_probe(tmp_path, LEAVE_TRACES, "sender.py", kind=path)
    assert reply.ok, reply.error
    after, reply, handle = run_probe(tmp_path, READINGS, "after.py", kind=path)
    assert reply.ok, reply.error
    assert after == alone
    assert alone["ipc"] == [-1, -1, -1] and alone["abstract"] != "connected"
    # /tmp is the sandbox's own: empty but for the folders the sandbox binds its Python in (a checkout
    # under /tmp, as `mktemp -d` makes one, has its venv bound at the same path)
    assert set(alone["tmp"]) <= BOUND_UNDER_TMP, alone["tmp"]
    assert all(value == "PermissionError" for value in alone["masked"].values()), alone["masked"]
    assert alone["cgroup"].strip().endswith(":/") and ":/autograder" not in alone["cgroup"]


@pytest.mark.slow
@pytest.mark.parametrize("template", ["1", "0"])
def test_a_reference_stored_in_a_keyring_reaches_no_later_submission(tmp_path, template):
    """keyring_a_leaker.py stores the reference it finds in train_xor's process in a keyring it finds
    in /proc/keys; keyring_b_cheater.py, graded next by the same worker, defines its classes from it
    (70/100 against a sandbox that was host root). Through the CLI, one worker, template on and off."""
    hostile = FILES / "hostile"
    out = tmp_path / "grades.json"
    run_cli("grade", hostile / "keyring_a_leaker.py", hostile / "keyring_b_cheater.py", "--jobs", "1", "--json", out,
            "--quiet", env={forkserver.ENABLE_ENV: template})
    scores = {r["id"]: r["score"] for r in json.loads(out.read_text(encoding="utf-8"))}
    assert scores == {"keyring_a_leaker": 100, "keyring_b_cheater": 0}


@pytest.mark.slow
@pytest.mark.parametrize("which", PATHS)
@pytest.mark.parametrize("assignment", ["01_backprop_basics", "02_layers"])
def test_the_reference_scores_full_marks_in_every_kind_of_sandbox(tmp_path, assignment, which):
    """What isolates student code changes nothing of what it scores (the runner once could not
    trace a backward when its source came in the command line, as it does without bubblewrap)."""
    from autograder import assignments
    reference = assignments.get(assignment).reference
    env = {forkserver.ENABLE_ENV: "1" if which == TEMPLATE else "0"}
    if which == LIMITS_ONLY:
        env.update({"AUTOGRADER_NO_BWRAP": "1", sandbox.UNSANDBOXED_ENV: "1"})
    out = tmp_path / "grades.json"
    run_cli("grade", reference, "--json", out, "--quiet", assignment=assignment, env=env)
    result, = json.loads(out.read_text(encoding="utf-8"))
    assert (result["score"], result["status"]) == (100, "graded"), [t["output"] for t in result["tests"]
                                                                     if t["score"] < t["max_score"]]
    assert result["isolation"].startswith("limits-only" if which == LIMITS_ONLY else "bubblewrap")


def test_without_bubblewrap_a_class_is_not_graded_where_code_could_read_the_reference(tmp_path):
    """Without bubblewrap nothing hides the reference (or the classmates) from student code: the
    run stops with one line saying so, unless the instructor sets AUTOGRADER_UNSANDBOXED=1. One
    submission alone is graded only where its uid cannot read the reference (wherever this checkout
    lies: a folder only root may enter, as `mktemp -d` makes, hides it)."""
    import shutil
    from autograder import assignments
    reference = assignments.get("01_backprop_basics").reference
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("a.py", "b.py"):
        shutil.copy(reference, folder / name)
    runs = {"class": folder, "one": reference}
    uid = unprivileged.sandbox_uid()
    for which, given in runs.items():
        done = run_cli("grade", given, "--quiet", "--results-dir", tmp_path / which, check=False,
                       env={"AUTOGRADER_NO_BWRAP": "1"})
        if which == "one" and not unprivileged.can_read(reference, uid, uid):
            assert done.returncode == 0, done.stderr
            continue
        assert done.returncode == 2, (which, done.stderr)
        assert "without bubblewrap" in done.stderr and sandbox.UNSANDBOXED_ENV in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        assert not (tmp_path / which).exists() or not list((tmp_path / which).glob("*.json"))
