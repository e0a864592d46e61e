"""A private single-node Slurm cluster for tests: ``with slurm_cluster_running() as cluster`` or the
session fixture ``slurm_cluster`` (registered in conftest.py).

Everything lives in one temporary folder: its own MUNGE key and ``munged`` (socket, pid, log and seed
files there, run as user ``munge``), a generated ``slurm.conf`` whose state, spool, pid and log paths
are inside the folder, ``slurmctld`` and ``slurmd`` in the foreground as children of this process (each
gets SIGTERM if this process dies), on two ports the kernel says are free. The node has the CPUs and
memory ``slurmd -C`` finds here. There is no slurmdbd: ``scontrol show job`` (``cluster.tasks``) is the
record of jobs, and ``log/jobcomp.txt`` (``sacct --completion``) the log of finished ones.

A test runs Slurm's clients with ``cluster.env`` (``SLURM_CONF``) or ``cluster.run``, submits with
``cluster.sbatch`` and waits with ``cluster.wait``, whose deadline comes from the jobs' own time limits.
On exit every job is cancelled, every daemon started here is stopped, any process still carrying this
cluster's ``SLURM_CONF`` is killed, and the folder is removed.

It needs root (slurmd starts jobs as their owner) and the Debian packages ``slurm-wlm`` and ``munge``;
without them the fixture skips, saying what is missing. Findings about Slurm: docs/notes-slurm.md.
"""
import contextlib
import ctypes
import itertools
import math
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

PROGRAMS = ("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel", "sinfo",
            "sacct")
# Daemons live in sbin, which a user's PATH may not name.
SBIN = ("/usr/local/sbin", "/usr/sbin", "/sbin")
# How long a daemon may take to come up, or to go once told to: start-up and teardown, not job speed.
DAEMON_WAIT_S = 60
# Seconds between SIGTERM and SIGKILL for a job past its limit or cancelled (slurm.conf KillWait, 30 by default).
KILL_WAIT_S = 5
# Added to a job's own time limit when waiting for it: slurmctld checks limits every 30 s, then waits
# KillWait; scheduling a wave takes a few seconds more.
JOB_SLACK_S = 30 + KILL_WAIT_S + 25
# The time limit of a job submitted without --time, in minutes.
DEFAULT_TIME_MIN = 5
POLL_S = 0.25
# Requeued jobs wait cred_expire seconds before they start again (slurm.conf AuthInfo); 120 by default.
CRED_EXPIRE_S = 5
# Keep finished jobs' records in slurmctld this long, so `scontrol show job` still sees them.
MIN_JOB_AGE_S = 3600
# States a job (or array task) leaves only if someone requeues it.
FINISHED_STATES = frozenset({"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
                             "BOOT_FAIL", "DEADLINE", "PREEMPTED"})
# Pending reasons that no amount of waiting changes: someone must act (scontrol update/release, scancel).
STUCK_REASONS = frozenset({"DependencyNeverSatisfied", "JobHeldUser", "JobHeldAdmin"})
# Variables of an enclosing Slurm job or a user's defaults, which would steer our clients elsewhere.
FOREIGN_PREFIXES = ("SLURM_", "SBATCH_", "SALLOC_", "SRUN_", "SQUEUE_", "SINFO_", "SACCT_", "SCONTROL_")
_CLUSTER_NUMBERS = itertools.count(1)   # two clusters of one process get distinct ClusterNames


class SlurmUnavailable(RuntimeError):
    """A private cluster cannot start here; the message is one line saying why."""


@dataclass(frozen=True)
class Task:
    """One job, or one task of an array job, as ``scontrol show job`` reports it.

    ``job_id`` is the array's job id for a task (``array_task_id`` set), ``exit_code`` the job's
    ``ExitCode`` (``"1:0"`` is exit status 1, signal 0), ``restarts`` how often it was requeued.
    """
    job_id: str
    array_task_id: str | None
    state: str
    reason: str
    exit_code: str
    time_limit_s: int | None
    start_time: str
    end_time: str
    restarts: int

    @property
    def name(self):
        """``123_4`` for a task of an array job, ``123`` otherwise."""
        return self.job_id if self.array_task_id is None else f"{self.job_id}_{self.array_task_id}"

    @property
    def finished(self):
        return self.state in FINISHED_STATES

    @property
    def settled(self):
        """Finished, or pending for a reason that will never go away by itself."""
        return self.finished or (self.state == "PENDING" and self.reason in STUCK_REASONS)


class SlurmCluster:
    """A running private cluster: ``env`` runs Slurm's clients against it, ``run`` does so."""

    def __init__(self, root, node, cpus, memory_mb):
        self.root = Path(root)
        self.conf = self.root / "slurm.conf"
        self.node, self.cpus, self.memory_mb = node, cpus, memory_mb
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN_PREFIXES)}
        self.env["SLURM_CONF"] = str(self.conf)
        self.daemons = {}   # name -> Popen, in start order

    def run(self, *args, check=True, timeout=DAEMON_WAIT_S, **kwargs):
        """Run a Slurm client (``"sbatch", "--parsable", ...``) against this cluster."""
        done = subprocess.run([str(a) for a in args], env=kwargs.pop("env", self.env), capture_output=True,
                              text=True, timeout=timeout, **kwargs)
        if check and done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)
        return done

    def sbatch(self, *args, script=None):
        """``sbatch --parsable ARGS`` (options, then a script file unless ``script`` holds its text); the job id."""
        out = self.run("sbatch", "--parsable", *args, input=script).stdout.strip()
        return out.split(";")[0]   # "id;cluster" on a federation

    def tasks(self, job_id):
        """Every record of ``job_id`` (one per array task once tasks started), sorted by task id."""
        done = self.run("scontrol", "--oneliner", "show", "job", job_id, check=False)
        if done.returncode != 0:
            raise LookupError(f"scontrol show job {job_id}: {done.stderr.strip()}")
        found = [_task(_fields(line)) for line in done.stdout.splitlines() if line.strip()]
        return sorted(found, key=lambda t: _task_order(t.array_task_id))

    def wait(self, *job_ids, timeout=None):
        """Wait until every task of ``job_ids`` is settled; return ``{job_id: [Task, ...]}``.

        Without ``timeout`` the deadline is the sum of the jobs' ``limit_s``: Slurm ends a task once its
        time limit is over, so reaching it means the cluster failed, not that it was slow.
        """
        if timeout is None:
            timeout = sum(self.limit_s(job_id) for job_id in job_ids)
        deadline = time.monotonic() + timeout
        while True:
            now = {job_id: self.tasks(job_id) for job_id in job_ids}
            if all(t.settled for ts in now.values() for t in ts):
                return now
            if time.monotonic() > deadline:
                busy = [f"{t.name} {t.state} ({t.reason})" for ts in now.values() for t in ts if not t.settled]
                raise TimeoutError(f"after {timeout:.0f} s (the jobs' own limits), still: {', '.join(busy)}; "
                                   f"logs in {self.root / 'log'}")
            time.sleep(POLL_S)

    def wait_running(self, job_id, array_task_id=None):
        """Wait until ``job_id`` (its task ``array_task_id``) runs, by the same deadline as ``wait``; the Task."""
        deadline = time.monotonic() + self.limit_s(job_id)
        while True:
            task = next((t for t in self.tasks(job_id) if t.array_task_id == array_task_id), None)
            if task is not None and task.state == "RUNNING":
                return task
            if (task is not None and task.settled) or time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} task {array_task_id} did not run: {task}")
            time.sleep(POLL_S)

    def limit_s(self, job_id):
        """By when Slurm itself ends every task of ``job_id``: its time limit for each wave of this
        node's CPUs the tasks need, plus JOB_SLACK_S. A wait that outlasts it found a broken cluster."""
        tasks = self.tasks(job_id)
        count = sum(_array_size(t.array_task_id) for t in tasks)
        limits = [t.time_limit_s for t in tasks if t.time_limit_s is not None]
        if not limits:
            raise ValueError(f"job {job_id} has no time limit to wait by: submit it with --time")
        return max(limits) * math.ceil(count / self.cpus) + JOB_SLACK_S

    def complaint(self, name):
        """What a daemon last complained of, in one line: its last ``fatal:`` line (with the ``error:``
        line just before it), else its last ``error:`` line, else its last line."""
        lines = []
        for path in (self.root / "log" / f"{name}.log", self.root / "log" / f"{name}.out"):
            with contextlib.suppress(OSError):
                lines += [line.strip() for line in path.read_text(errors="replace").splitlines() if line.strip()]
        fatal = [i for i, line in enumerate(lines) if "fatal:" in line]
        if fatal:
            i = fatal[-1]
            said = lines[i - 1: i + 1] if i and "error:" in lines[i - 1] else [lines[i]]
        else:
            said = [line for line in lines if "error:" in line][-1:] or lines[-1:] or ["(nothing in its log)"]
        return " / ".join(said)[-300:]


def why_unavailable():
    """Why no private cluster can start here (one line), or None."""
    missing = [p for p in PROGRAMS if _program(p) is None]
    if missing:
        return f"Slurm/MUNGE not installed (no {', '.join(missing)}): apt-get install slurm-wlm munge"
    if os.geteuid() != 0:
        return "a private Slurm cluster needs root (slurmd starts jobs as their owner)"
    try:
        pwd.getpwnam("munge")
    except KeyError:
        return "no user 'munge' to run munged as (the munge package creates it)"
    return None


@contextlib.contextmanager
def slurm_cluster_running(extra_conf="", keep=False):
    """Start a private single-node cluster, yield its ``SlurmCluster``, stop it and remove its folder.

    ``extra_conf`` is appended to the generated slurm.conf (e.g. ``"SchedulerParameters=...\\n"``);
    ``keep=True`` leaves the folder (logs, job output). Raises ``SlurmUnavailable`` (one line) when
    the cluster cannot start.
    """
    reason = why_unavailable()
    if reason:
        raise SlurmUnavailable(reason)
    root = Path(tempfile.mkdtemp(prefix="kit-slurm-"))
    root.chmod(0o755)   # munged runs as user munge and must reach its folder
    cluster = None
    try:
        node, cpus, memory_mb, hardware = _this_machine()
        cluster = SlurmCluster(root, node, cpus, memory_mb)
        _start(cluster, hardware, extra_conf)
        yield cluster
    finally:
        if cluster is not None:
            _stop(cluster)
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def slurm_cluster():
    """A private single-node Slurm cluster for the whole session; skips, saying why, where none can start."""
    try:
        with slurm_cluster_running() as cluster:
            yield cluster
    except SlurmUnavailable as exc:
        pytest.skip(str(exc))


def _program(name):
    """The absolute path of a Slurm or MUNGE program, or None."""
    return shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), *SBIN]))


def _this_machine():
    """``(node name, CPUs, RealMemory MB, the hardware part of a NodeName line)`` from ``slurmd -C``."""
    done = subprocess.run([_program("slurmd"), "-C"], capture_output=True, text=True)
    line = done.stdout.splitlines()[0] if done.stdout else ""
    fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
    if done.returncode != 0 or "NodeName" not in fields:
        raise SlurmUnavailable(f"slurmd -C could not describe this machine: {(done.stderr or line).strip()[:200]}")
    node = fields.pop("NodeName")
    hardware = " ".join(f"{k}={v}" for k, v in fields.items())
    return node, int(fields["CPUs"]), int(fields["RealMemory"]), hardware


def _die_with_us():
    """In a daemon about to start: get SIGTERM if the process that started it dies, even by SIGKILL."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_ports(count):
    """``count`` distinct TCP ports free right now (held open together, so the kernel cannot repeat one)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for s in socks:
            s.bind(("", 0))
        return [s.getsockname()[1] for s in socks]


def _start(cluster, hardware, extra_conf):
    root = cluster.root
    for sub in ("log", "run", "state", "spool"):
        (root / sub).mkdir(mode=0o755)
    munge_dir = root / "munge"             # key and seed: munge's alone
    munge_dir.mkdir(mode=0o700)
    munge_run = root / "munge-run"         # the socket: every client must reach it
    munge_run.mkdir(mode=0o755)
    munge_log = root / "log" / "munged.log"
    munge_log.touch(mode=0o600)
    for path in (munge_dir, munge_run, munge_log):
        shutil.chown(path, "munge", "munge")
    key, sock = munge_dir / "munge.key", munge_run / "munge.socket"
    _checked([_program("mungekey"), "--create", f"--keyfile={key}"], user="munge")
    cluster.daemons["munged"] = subprocess.Popen(
        [_program("munged"), "--foreground", f"--socket={sock}", f"--key-file={key}",
         f"--pid-file={munge_run / 'munged.pid'}", f"--seed-file={munge_dir / 'munged.seed'}",
         f"--log-file={munge_log}"],
        user="munge", group="munge", env=cluster.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, preexec_fn=_die_with_us)   # runs after the switch to munge, which would clear it
    _await(cluster, "munged", sock.exists)

    (root / "plugstack.conf").touch()   # not /etc/slurm's
    ctld_port, slurmd_port = _free_ports(2)
    cluster.conf.write_text(SLURM_CONF.format(
        cluster=f"kit{os.getpid()}n{next(_CLUSTER_NUMBERS)}", node=cluster.node, hardware=hardware, root=root,
        sock=sock, ctld_port=ctld_port, slurmd_port=slurmd_port, cred_expire=CRED_EXPIRE_S,
        min_job_age=MIN_JOB_AGE_S, kill_wait=KILL_WAIT_S, default_time=DEFAULT_TIME_MIN) + extra_conf)
    for name in ("slurmctld", "slurmd"):
        with open(root / "log" / f"{name}.out", "wb") as out:   # what a daemon says before its log opens
            cluster.daemons[name] = subprocess.Popen(
                [_program(name), "-D", "-f", str(cluster.conf)], env=cluster.env, stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT, preexec_fn=_die_with_us)
        if name == "slurmctld":
            _await(cluster, name, lambda: cluster.run("scontrol", "ping", check=False).returncode == 0)
    _await(cluster, "slurmd", lambda: _node_state(cluster) == "idle")


def _node_state(cluster):
    return cluster.run("sinfo", "--noheader", "--nodes", cluster.node, "--format=%T", check=False).stdout.strip()


def _await(cluster, name, ready):
    """Poll ``ready()`` until true; raise SlurmUnavailable if ``name`` exits or DAEMON_WAIT_S pass."""
    deadline = time.monotonic() + DAEMON_WAIT_S
    while not ready():
        code = cluster.daemons[name].poll()
        if code is not None or time.monotonic() > deadline:
            what = f"exited with code {code}" if code is not None else f"was not ready after {DAEMON_WAIT_S} s"
            raise SlurmUnavailable(f"{name} {what}: {cluster.complaint(name)}")
        time.sleep(POLL_S)


def _checked(args, **kwargs):
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise SlurmUnavailable(f"{' '.join(args[:2])} failed: {done.stderr.strip()[:200]}")


def _stop(cluster):
    """Cancel every job, stop the daemons in reverse order, kill whatever still carries our SLURM_CONF."""
    ctld = cluster.daemons.get("slurmctld")
    if ctld is not None and ctld.poll() is None:
        with contextlib.suppress(subprocess.SubprocessError):
            deadline = time.monotonic() + DAEMON_WAIT_S
            while time.monotonic() < deadline:
                queued = cluster.run("squeue", "--noheader", "--format=%F", check=False).stdout.split()
                if not queued:
                    break
                cluster.run("scancel", *sorted(set(queued)), check=False)
                time.sleep(POLL_S)
    for daemon in reversed(list(cluster.daemons.values())):
        if daemon.poll() is None:
            daemon.terminate()
        try:
            daemon.wait(DAEMON_WAIT_S)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
    for pid in processes_with(f"SLURM_CONF={cluster.conf}"):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def processes_with(variable):
    """Pids of live processes whose environment holds ``variable`` (``NAME=value``), this one excepted.

    Every daemon of a cluster (munged too), its slurmstepd and its jobs carry that cluster's ``SLURM_CONF``."""
    needle = variable.encode() + b"\0"
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if needle in (entry / "environ").read_bytes() + b"\0":
                    found.append(int(entry.name))
    return found


def _fields(line):
    """``Key=Value`` pairs of one ``scontrol --oneliner`` line (values may hold spaces)."""
    return dict(re.findall(r"(?:^|\s)([A-Za-z:/]+)=(.*?)(?=\s[A-Za-z:/]+=|$)", line.strip()))


def _task(f):
    array = f.get("ArrayJobId")
    return Task(job_id=array or f["JobId"], array_task_id=f.get("ArrayTaskId") if array else None,
                state=f["JobState"], reason=f.get("Reason", "None"), exit_code=f.get("ExitCode", ""),
                time_limit_s=_seconds(f.get("TimeLimit", "")), start_time=f.get("StartTime", ""),
                end_time=f.get("EndTime", ""), restarts=int(f.get("Restarts", 0)))


def _seconds(limit):
    """Slurm's ``[days-]hours:minutes:seconds`` as seconds; None for UNLIMITED or Partition_Limit."""
    m = re.fullmatch(r"(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)", limit)
    if not m:
        return None
    days, hours, minutes, seconds = (int(g or 0) for g in m.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def _array_size(spec):
    """How many tasks an ``ArrayTaskId`` covers: ``"3"`` → 1, ``"2-4,7"`` → 4, ``"1-9:2%1"`` → 5."""
    if spec is None:
        return 1
    total = 0
    for part in spec.split("%")[0].split(","):
        lo, _, rest = part.partition("-")
        hi, _, step = rest.partition(":")
        total += 1 if not hi else (int(hi) - int(lo)) // int(step or 1) + 1
    return total


def _task_order(spec):
    digits = re.match(r"\d+", spec or "")
    return int(digits.group()) if digits else -1


SLURM_CONF = """\
# Generated by tests/slurm.py: a private single-node cluster, every path inside {root}
ClusterName={cluster}
SlurmctldHost={node}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={sock},cred_expire={cred_expire}
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/run/slurmctld.pid
SlurmdPidFile={root}/run/slurmd.pid
SlurmctldLogFile={root}/log/slurmctld.log
SlurmdLogFile={root}/log/slurmd.log
PlugStackConfig={root}/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc={root}/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MinJobAge={min_job_age}
KillWait={kill_wait}
MailProg=/bin/true
NodeName={node} NodeAddr=127.0.0.1 {hardware} State=UNKNOWN
PartitionName=kit Nodes={node} Default=YES DefaultTime={default_time} MaxTime=INFINITE State=UP
"""
