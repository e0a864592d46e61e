"""What keeps one submission from the grader and from the others, with real child processes:
a submission's processes never hold the reference of a part still to be graded; no write or read
across the boundary outlives its deadline; the sandbox's memory (tmpfs files included), processes and
CPU are its own; the isolation pinned for a run is never silently replaced by less."""
import ast
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.sandbox import cgroup
from autograder.find import discover, load
from autograder.checks.student import Student
from autograder import sandbox
from autograder.assignments.backprop_basics import ASSIGNMENT, reference
from autograder.sandbox import zygote as zygote_module
from autograder.sandbox.child import StudentProcess

from .conftest import FILES


def student_for(tmp_path):
    path = tmp_path / "s.py"
    path.write_text(Path(ASSIGNMENT.reference).read_text(encoding="utf-8"), encoding="utf-8")
    submission = discover.Submission(id="s", path=path, given=str(path), duplicate_of=())
    return Student(submission, load.load_path(path, ASSIGNMENT.entry_points), sandbox.Limits(),
                          sandbox.isolation(), ASSIGNMENT)


def zygote(student):
    return student.process.process.pid


def train(student):
    return student.request("train_xor", "train", params=reference.initial_params(1), X=reference.XOR_X,
                           y=reference.XOR_Y, learning_rate=0.3, epochs=5)


def test_in_rubric_order_one_sandbox_serves_every_part(tmp_path):
    student = student_for(tmp_path)
    try:
        assert student.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X).ok
        first = zygote(student)
        assert student.request("TwoLayerNet", "net_structure", dims=[2, 8, 1]).ok
        assert train(student).ok
        assert zygote(student) == first
    finally:
        student.close()


def test_a_part_asked_for_after_its_reference_was_sent_gets_a_fresh_sandbox(tmp_path):
    student = student_for(tmp_path)
    try:
        assert train(student).ok                      # this sandbox has now seen the reference TwoLayerNet
        first = zygote(student)
        assert student.request("TwoLayerNet", "net_structure", dims=[2, 8, 1]).ok
        second = zygote(student)
        assert second != first
        assert student.request("TwoLayerNet", "net_structure", dims=[3, 5, 2]).ok
        assert zygote(student) == second              # nothing new revealed: no restart
    finally:
        student.close()


# ------------------------------------------------------------------ the wire, the sandbox, the cgroups
# Under each isolation this machine offers: the full one (bubblewrap and cgroups where present),
# bubblewrap alone, and limits only.
HOSTILE = FILES / "hostile"
CORRECT = FILES / "corpus" / "correct" / "c01_split_abs.py"
FULL = sandbox.isolation()
KINDS = sorted({str(FULL), "limits-only"} | ({"bubblewrap"} if FULL.bubblewrap else set()))
needs_cgroup = {c: pytest.mark.skipif(c not in FULL.controllers,
                                      reason=f"no writable {c} cgroup (v1) here: {cgroup.unusable_reason()}")
                for c in cgroup.CONTROLLERS}
needs_bwrap = pytest.mark.skipif(not FULL.bubblewrap, reason="bubblewrap is not installed")


def process(path, kind=FULL, **limits):
    """The child the grader starts for the file at ``path`` (as checks.student.Student does)."""
    program = load.load_path(Path(path), ASSIGNMENT.entry_points)
    return StudentProcess(program.chunks, operations=ASSIGNMENT.operations_source, schema=ASSIGNMENT.reply_schema,
                          limits=sandbox.Limits(**limits), kind=kind, entry_points=ASSIGNMENT.entry_points,
                          unused_imports=program.unused_imports)


def in_thread(function, seconds):
    """``function()`` in a daemon thread: (its value, seconds taken), or fail if it is still running
    after ``seconds`` -- a grader blocked in a system call must fail the test, not hang it."""
    box = {}

    def target():
        box["value"] = function()
    thread = threading.Thread(target=target, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still blocked after {seconds} s"
    return box["value"], time.monotonic() - started


@pytest.mark.parametrize("kind", KINDS)
def test_a_child_that_fills_the_request_pipe_times_out_and_never_blocks_the_grader(kind):
    """fill_request_pipe.py fills the request pipe and sleeps instead of reading: the grader's write
    has a deadline, the child is ended, and a correct submission graded next is served."""
    limits = dict(request_seconds=1.0, load_seconds=5.0)
    hostile = process(HOSTILE / "fill_request_pipe.py", kind, **limits)
    cpu = sandbox.Isolation.parse(kind).cpu_time
    one_try = hostile.limits.wall_seconds(5.0, cpu) + hostile.limits.wall_seconds(1.0, cpu)
    try:
        reply, took = in_thread(lambda: hostile.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X),
                                2 * one_try + 30)
        assert reply.error["kind"] == "timeout", reply.error
        assert hostile.process is None, "the child that ran out of time is ended"
        assert took < 2 * one_try + 10
        # later requests of the part fail at once, without a child: the worker is free
        again, _ = in_thread(lambda: hostile.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X), 60)
        assert again.error["kind"] == "timeout" and again.error["message"].endswith("(earlier call)")
        assert hostile.process is None
    finally:
        hostile.close()
    neighbour = process(CORRECT, kind)
    try:
        reply, _ = in_thread(lambda: neighbour.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X), 60)
        assert reply.ok and np.allclose(reply.value["out"], reference.sigmoid(reference.XOR_X))
    finally:
        neighbour.close()


@needs_bwrap
def test_the_sandbox_can_write_only_two_small_tmpfs(tmp_path):
    """/ and /dev (tmpfs bubblewrap makes, as large as the host's RAM) are read-only; /tmp and
    /dev/shm hold Limits.tmpfs_bytes each."""
    probe = ("import os\n"
             "for place in ('/', '/dev', '/tmp', '/dev/shm'):\n"
             "    n = 0\n"
             "    try:\n"
             "        for i in range(64):\n"
             "            fd = os.open(f'{place}/f{i}', os.O_WRONLY | os.O_CREAT, 0o600)\n"
             "            try:\n"
             "                os.posix_fallocate(fd, 0, 4 << 20)\n"
             "            finally:\n"
             "                os.close(fd)\n"
             "            n += 4\n"
             "    except OSError as exc:\n"
             "        pass\n"
             "    print(place, n)\n")
    limits = sandbox.Limits(tmpfs_bytes=32 * 1024 ** 2)
    done = sandbox.run(sandbox.Isolation(sandbox.BUBBLEWRAP), [sys.executable, "-I", "-S", "-c", probe], limits)
    assert done.returncode == 0, done.stderr
    written = dict(line.split() for line in done.stdout.splitlines())
    assert written == {"/": "0", "/dev": "0", "/tmp": "32", "/dev/shm": "32"}, done.stdout


def _shmem():
    with open("/proc/meminfo") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("Shmem:"))


@needs_cgroup["memory"]
def test_files_in_tmpfs_and_memfds_count_against_the_submissions_memory():
    """tmpfs_fill.py fills every RAM-backed place it finds and memfds, up to 4 GiB, and keeps them.
    With a 640 MiB limit the host's shared memory grows by less than that, and the group's own
    peak stays under it (the kernel ends the child that asks for more)."""
    limit = 640 * 1024 ** 2
    child = process(HOSTILE / "tmpfs_fill.py", memory_bytes=limit)
    peak, stop = [_shmem()], threading.Event()
    before = peak[0]

    def watch():
        while not stop.is_set():
            peak.append(_shmem())
            time.sleep(0.02)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        assert child.ensure_loaded()
        group = child.group
        reply, _ = in_thread(lambda: child.request("TwoLayerNet", "net_structure", dims=[2, 8, 1]), 120)
        memory_peak = group.memory_peak() if child.process is not None else None
        oom_kills = child.oom_kills() if child.process is not None else None
    finally:
        stop.set()
        watcher.join()
        child.close()
    assert not reply.ok
    grew = max(peak) - before
    assert grew < limit + 64 * 1024 ** 2, f"host shared memory grew by {grew / 1024 ** 2:.0f} MiB"
    if memory_peak is not None:
        assert memory_peak <= limit
        assert oom_kills >= 1, "the part that asked for more was ended by the kernel"


@needs_cgroup["pids"]
def test_a_submissions_processes_are_capped_and_all_killed_with_it():
    """spinning_neighbour.py starts 400 spinning processes, each in its own session."""
    child = process(HOSTILE / "spinning_neighbour.py", processes=24, load_seconds=10.0)
    try:
        assert child.ensure_loaded()
        folders = dict(child.group.folders)
        deadline = time.monotonic() + 10
        while len(cgroup._pids(folders["pids"])) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)   # one child of it starts the others
        time.sleep(0.5)
        pids = cgroup._pids(folders["pids"])
        assert 20 <= len(pids) <= 24, len(pids)
    finally:
        child.close()
    assert all(not os.path.exists(f) for f in folders.values()), "the group is removed"
    alive = [pid for pid in pids if os.path.exists(f"/proc/{pid}") and _state(pid) != "Z"]
    assert alive == [], "every process of the submission is killed with it"


def _state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


BUSY_SIGMOID = '''
import time
import numpy as np


class Sigmoid:
    def forward(self, x):
        started = time.process_time()
        while time.process_time() - started < {cpu}:
            pass
        return 1.0 / (1.0 + np.exp(-x))
'''


@needs_cgroup["cpuacct"]
@needs_cgroup["cpu"]
def test_time_limits_count_the_submissions_cpu_time_not_the_machines_load(tmp_path):
    """A forward that needs 0.4 s of CPU, under a 1 s limit, while spinning processes outside any
    submission's group, each in its own session (as the 400 spinners were), take most of its CPU:
    with CPU time it passes; measured in wall-clock seconds, as without a cpuacct cgroup, the same
    request runs out of time. (A generous wall_factor keeps the backstop out of the way here.)"""
    source = tmp_path / "busy.py"
    source.write_text(BUSY_SIGMOID.format(cpu=0.4), encoding="utf-8")
    # Everything on one CPU (children inherit the affinity), so the scheduler cannot leave the child
    # a core of its own: 8 hogs and the child share CPU 0.
    cpu, affinity = min(os.sched_getaffinity(0)), os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True) for _ in range(8)]
    zygote_module._LIVE_CHILDREN.update(h.pid for h in hogs)   # started on purpose: not strays to reap
    try:
        time.sleep(0.5)
        outcomes = {}
        for kind in (FULL, sandbox.Isolation(FULL.sandbox)):
            child = process(source, kind, request_seconds=1.0, wall_factor=20.0)
            try:
                assert child.ensure_loaded()
                started = time.monotonic()
                reply = child.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X)
                outcomes[kind] = (reply.ok, reply.error and reply.error["kind"], time.monotonic() - started)
            finally:
                child.close()
    finally:
        os.sched_setaffinity(0, affinity)
        for hog in hogs:
            hog.kill()
            hog.wait()
            zygote_module._LIVE_CHILDREN.discard(hog.pid)
    assert outcomes[FULL][0], outcomes
    assert outcomes[FULL][2] > 1.0, f"the machine was not loaded enough to show the difference: {outcomes}"
    assert outcomes[sandbox.Isolation(FULL.sandbox)][1] == "timeout", outcomes


@needs_cgroup["cpuacct"]
def test_a_child_that_sleeps_is_ended_by_its_own_limit_not_the_backstop(tmp_path):
    source = tmp_path / "sleepy.py"
    source.write_text("import time\nclass Sigmoid:\n    def forward(self, x):\n        time.sleep(30)\n", encoding="utf-8")
    child = process(source, request_seconds=1.0)
    try:
        assert child.ensure_loaded()
        reply, took = in_thread(lambda: child.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X), 20)
    finally:
        child.close()
    assert reply.error["kind"] == "timeout" and child.last_timeout == {"clock": "cpu", "seconds": 1.0}


@pytest.mark.skipif(not FULL.controllers, reason="no writable cgroup (v1) here")
def test_groups_of_a_worker_killed_with_sigkill_are_swept(tmp_path):
    """A worker killed with SIGKILL leaves its groups and their processes; the next sweep removes both."""
    code = ("import subprocess, sys, os, signal\n"
            "from autograder.sandbox import cgroup\n"
            f"group = cgroup.Group({FULL.controllers!r}, memory_bytes=1 << 30, processes=16)\n"
            "def join():\n"
            "    for path in group.procs_files:\n"
            "        open(path, 'w').write(str(os.getpid()))\n"
            "    os.setsid()\n"
            "sleeper = subprocess.Popen(['sleep', '300'], preexec_fn=join, stdin=subprocess.DEVNULL,\n"
            "                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "print(sleeper.pid, *sorted(set(group.folders.values())), flush=True)\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    sleeper, *folders = done.stdout.split()
    assert all(os.path.isdir(f) for f in folders)
    assert _state(int(sleeper)) not in ("gone", "Z")
    cgroup.sweep()
    assert not any(os.path.exists(f) for f in folders)
    deadline = time.monotonic() + 5
    while _state(int(sleeper)) not in ("gone", "Z") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _state(int(sleeper)) in ("gone", "Z")


def test_the_isolation_pinned_for_a_run_is_what_its_workers_get(tmp_path):
    code = "from autograder import sandbox; print(sandbox.isolation()); print(sandbox.isolation().bubblewrap)"
    env = dict(os.environ, **sandbox.pinned_env())
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == [str(FULL), str(FULL.bubblewrap)]
    env[sandbox.ISOLATION_ENV] = "limits-only"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.split() == ["limits-only", "False"]


@pytest.mark.parametrize("kind", ["bubblewrap+cgroups(memory,pids,cpu,cpuacct)", "bubblewrap", "limits-only"])
def test_describe_says_which_protections_are_in_force(kind):
    text = sandbox.describe(kind, sandbox.Limits())
    assert text.splitlines()[0].startswith(f"isolation: {kind} -- ")
    with_cgroups = "+cgroups" in kind
    assert ("per submission, its tmpfs files included (memory cgroup)" in text) == with_cgroups
    assert ("files in a RAM-backed /tmp or /dev/shm are not counted" in text) == (not with_cgroups)
    assert ("time limits: CPU seconds" in text) == with_cgroups
    assert ("time limits: wall-clock seconds" in text) == (not with_cgroups)
    assert ("private /tmp and /dev/shm (128 MiB each)" in text) == kind.startswith("bubblewrap")
    assert ("each submission is a fork of it in new namespaces" in text) == (kind.startswith("bubblewrap")
                                                                             and with_cgroups)


@needs_bwrap
def test_a_pinned_bubblewrap_that_is_gone_is_never_replaced_by_less(tmp_path, monkeypatch):
    monkeypatch.setenv(sandbox.BWRAP_ENV, str(tmp_path / "gone" / "bwrap"))
    child = process(CORRECT, "bubblewrap")
    with pytest.raises(sandbox.Unavailable, match="bubblewrap .*no longer available"):
        child.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X)
    child.close()


@needs_bwrap
def test_a_bubblewrap_that_cannot_start_any_more_is_the_graders_problem_not_the_students(tmp_path, monkeypatch):
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv(sandbox.BWRAP_ENV, str(fake))
    child = process(CORRECT, "bubblewrap")
    with pytest.raises(sandbox.Unavailable, match="cannot start a sandbox any more"):
        child.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X)
    child.close()


@needs_bwrap
def test_a_student_who_prints_like_bubblewrap_still_gets_a_load_error(tmp_path):
    """Only a probe that fails too makes it the grader's problem: the student's own exit stays theirs."""
    source = tmp_path / "liar.py"
    source.write_text("import os, sys\nprint('bwrap: No permissions to create new namespace', flush=True)\n"
                      "class Sigmoid:\n    os._exit(1)\n", encoding="utf-8")
    child = process(source, FULL)
    reply = child.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X)
    child.close()
    assert reply.error["kind"] is sandbox.Failure.LOAD_EXITED


# ------------------------------------------------------------------ the child's code
MAX_ARG_STRLEN = 32 * 4096      # the kernel's limit on one argument of a command line


def test_the_childs_code_imports_only_itself_the_standard_library_and_numpy():
    """Nothing of the grader's reaches the sandbox but autograder/sandbox/inside/."""
    allowed = set(sys.stdlib_module_names) | {"numpy", "autograder"}
    for path in sandbox.launch.inside_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
                assert not name.startswith("autograder") or name.startswith("autograder.sandbox.inside"), \
                    f"{path.name} imports {name}"


def test_without_bubblewrap_all_of_the_childs_code_comes_in_one_argument_well_under_the_kernels_limit():
    argv, _ = sandbox.command("limits-only")
    sources = argv[argv.index(sandbox.launch.BOOTSTRAP) + 1]
    assert set(json.loads(sources)) == {path.stem for path in sandbox.launch.inside_modules()}
    assert len(sources.encode()) < MAX_ARG_STRLEN // 2


@needs_bwrap
def test_with_bubblewrap_all_of_the_childs_code_is_bound_read_only_beside_the_runner():
    argv, _ = sandbox.command("bubblewrap")
    bound = {argv[i + 2] for i, arg in enumerate(argv) if arg == "--ro-bind" and argv[i + 1].startswith(
        str(sandbox.launch.INSIDE))}
    assert bound == {f"/grader/{path.name}" for path in sandbox.launch.inside_modules()}
    assert sandbox.SANDBOX_RUNNER in bound


def test_a_failure_kind_is_its_string_on_the_wire_and_in_stored_results():
    assert json.dumps({"kind": sandbox.Failure.LOAD_EXITED}) == '{"kind": "load-exited"}'
    assert f"{sandbox.Failure.TIMEOUT}" == str(sandbox.Failure.TIMEOUT) == "timeout"
    assert sandbox.Failure("timeout") is sandbox.Failure.TIMEOUT and {"timeout": 1}[sandbox.Failure.TIMEOUT] == 1
