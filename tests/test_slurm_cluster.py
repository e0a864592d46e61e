"""The private Slurm cluster of tests/slurm.py, proved with real array jobs shaped like docs/SCHEDULERS.md's
sharded grading: tasks write shard-K, a dependent merge lists what it finds (tests/files/slurm/).
What these show about failed tasks, dependencies and requeue is written up in docs/notes-slurm.md."""
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import FILES, ROOT
from .slurm import DAEMON_WAIT_S, SlurmUnavailable, processes_with, slurm_cluster_running, why_unavailable

pytestmark = [pytest.mark.slow, pytest.mark.serial]

SHARD, MERGE = FILES / "slurm" / "shard.sh", FILES / "slurm" / "merge.sh"
TIME = "--time=1"   # minutes: every job has a limit, so `wait` knows how long to wait


def submit(cluster, shards, script, *options):
    """Submit a script of tests/files/slurm/ that works in the folder ``shards``."""
    return cluster.sbatch(*options, TIME, f"--chdir={shards}", f"--output={shards}/%x-%A_%a.out",
                          f"--export=ALL,SHARDS={shards}", script)


def shard(shards, k):
    """What task ``k`` wrote: ``{"job": "12", "task": "3", "count": "4", ..., "ended": "1700000000.1"}``."""
    return dict(re.findall(r"(\w+)=(\S+)", (shards / f"shard-{k}").read_text()))


def merged(shards, merge_id):
    """``(start time, [shard files seen])`` of the merge job ``merge_id``."""
    started, *seen = (shards / f"merged-{merge_id}").read_text().splitlines()
    return float(started.removeprefix("started=")), seen


def wait_for_file(cluster, job, task, path):
    """Task ``task`` of ``job`` writes ``path`` once its script runs; wait for that while the task lives."""
    while not path.exists():   # ends by the file, or by the task settling (Slurm ends it at its time limit)
        (now,) = [t for t in cluster.tasks(job) if t.array_task_id == task]
        assert not now.settled, f"{now.name} ended ({now.state}) without writing {path.name}"
        time.sleep(0.1)


def by_task(tasks):
    return {t.array_task_id: t for t in tasks}


@pytest.fixture
def shards(tmp_path):
    folder = tmp_path / "shards"
    folder.mkdir()
    return folder


def test_an_afterok_merge_runs_once_every_task_wrote_its_shard(slurm_cluster, shards):
    array = submit(slurm_cluster, shards, SHARD, "--array=1-4")
    merge = submit(slurm_cluster, shards, MERGE, f"--dependency=afterok:{array}")
    done = slurm_cluster.wait(array, merge)

    tasks = by_task(done[array])
    assert sorted(tasks) == ["1", "2", "3", "4"]
    assert all(t.state == "COMPLETED" and t.exit_code == "0:0" for t in tasks.values()), done
    (merge_job,) = done[merge]
    assert merge_job.state == "COMPLETED", merge_job
    started, seen = merged(shards, merge)
    assert seen == ["shard-1", "shard-2", "shard-3", "shard-4"]
    for k in "1234":
        written = shard(shards, k)
        assert (written["task"], written["count"], written["min"], written["max"]) == (k, "4", "1", "4")
        assert float(written["ended"]) < started
        assert tasks[k].end_time <= merge_job.start_time   # Slurm's own record, to the second


def test_a_failed_task_blocks_afterok_for_good_while_afterany_reports_the_gap(slurm_cluster, shards):
    (shards / "fail-3").touch()
    array = submit(slurm_cluster, shards, SHARD, "--array=1-4")
    merge_ok = submit(slurm_cluster, shards, MERGE, f"--dependency=afterok:{array}")
    merge_any = submit(slurm_cluster, shards, MERGE, f"--dependency=afterany:{array}")
    done = slurm_cluster.wait(array, merge_ok, merge_any)

    failed = by_task(done[array])["3"]
    assert (failed.state, failed.reason, failed.exit_code) == ("FAILED", "NonZeroExitCode", "3:0")
    (blocked,) = done[merge_ok]
    assert (blocked.state, blocked.reason) == ("PENDING", "DependencyNeverSatisfied")
    assert merged(shards, merge_any)[1] == ["shard-1", "shard-2", "shard-4"]   # ran, and can say what is missing

    # Requeue only the failed index: same job, same array environment, Restarts counts it.
    (shards / "fail-3").unlink()
    slurm_cluster.run("scontrol", "requeue", f"{array}_3")
    rerun = by_task(slurm_cluster.wait(array)[array])["3"]
    assert (rerun.state, rerun.exit_code, rerun.restarts) == ("COMPLETED", "0:0", 1)
    assert shard(shards, 3)["count"] == "4" and shard(shards, 3)["array_job"] == array

    # The afterok merge does not notice: the failure stays recorded in its dependency...
    (still,) = slurm_cluster.tasks(merge_ok)
    assert (still.state, still.reason) == ("PENDING", "DependencyNeverSatisfied")
    assert "(failed)" in slurm_cluster.run("scontrol", "show", "job", merge_ok).stdout
    # ...until someone clears it.
    slurm_cluster.run("scontrol", "update", f"JobId={merge_ok}", "Dependency=")
    (released,) = slurm_cluster.wait(merge_ok)[merge_ok]
    assert released.state == "COMPLETED"
    assert merged(shards, merge_ok)[1] == ["shard-1", "shard-2", "shard-3", "shard-4"]


def test_a_cancelled_task_is_gone_and_its_resubmission_is_a_smaller_array(slurm_cluster, shards):
    """A task cancelled while pending leaves no record; one cancelled while running is CANCELLED.
    Resubmitting the missing indices makes a new array whose SLURM_ARRAY_TASK_COUNT/MIN/MAX are its
    own: a shard script must take N from the class, not from Slurm."""
    (shards / "hang-1").touch()
    array = submit(slurm_cluster, shards, SHARD, "--array=1-4", "--hold")
    merge = submit(slurm_cluster, shards, MERGE, f"--dependency=afterany:{array}")
    slurm_cluster.run("scancel", f"{array}_4")
    slurm_cluster.run("scontrol", "release", array)
    slurm_cluster.wait_running(array, "1")
    wait_for_file(slurm_cluster, array, "1", shards / "hanging-1")   # its script runs: the cancel signals it
    slurm_cluster.run("scancel", f"{array}_1")
    done = slurm_cluster.wait(array, merge)

    tasks = by_task(done[array])
    assert sorted(tasks) == ["1", "2", "3"]   # no trace of 4
    # SIGTERM reaches the shell (0:15) or the shell sees its child die of it first and exits 128+15.
    assert tasks["1"].state == "CANCELLED" and tasks["1"].exit_code in {"0:15", "143:0"}, tasks["1"]
    assert merged(shards, merge)[1] == ["shard-2", "shard-3"]
    assert slurm_cluster.run("scontrol", "requeue", f"{array}_4", check=False).returncode != 0

    (shards / "hang-1").unlink()
    again = submit(slurm_cluster, shards, SHARD, "--array=1,4")
    assert all(t.state == "COMPLETED" for t in slurm_cluster.wait(again)[again])
    assert [shard(shards, k)["task"] for k in (1, 4)] == ["1", "4"]
    assert {(shard(shards, k)["count"], shard(shards, k)["min"], shard(shards, k)["max"]) for k in (1, 4)} == {
        ("2", "1", "4")}


def test_a_second_cluster_beside_the_first_shares_nothing_and_leaves_nothing(slurm_cluster, shards):
    with slurm_cluster_running() as other:
        assert other.conf != slurm_cluster.conf
        ports = {c: re.findall(r"^Slurm(?:ctld|d)Port=(\d+)$", c.conf.read_text(), re.M)
                 for c in (slurm_cluster, other)}
        assert not set(ports[slurm_cluster]) & set(ports[other])
        job = other.sbatch(TIME, f"--chdir={shards}", "--output=/dev/null", script="#!/bin/sh\nsleep 600\n")
        other.wait_running(job)
        assert other.run("squeue", "--noheader", "--format=%i").stdout.split() == [job]
        assert job not in slurm_cluster.run("squeue", "--noheader", "--format=%i").stdout.split()
        assert processes_with(f"SLURM_CONF={other.conf}")   # its daemons and the running job
        root, conf = other.root, other.conf
    assert processes_with(f"SLURM_CONF={conf}") == []
    assert not root.exists()


def test_a_test_run_killed_outright_takes_the_daemons_with_it(slurm_cluster):
    """No ``finally`` runs after SIGKILL: the daemons go because their parent did (PR_SET_PDEATHSIG).
    They get the time the helper gives a daemon to stop, DAEMON_WAIT_S."""
    keeper = subprocess.Popen([sys.executable, "-c", KEEP_A_CLUSTER], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    conf = keeper.stdout.readline().strip()
    assert conf.endswith("slurm.conf"), f"the cluster did not start: {keeper.communicate()}"
    assert processes_with(f"SLURM_CONF={conf}")
    keeper.kill()
    keeper.wait()
    try:
        # Each daemon's own exit, watched through a pidfd, given the stop time the helper gives a daemon.
        left = []
        for pid in processes_with(f"SLURM_CONF={conf}"):
            try:
                fd = os.pidfd_open(pid)
            except ProcessLookupError:
                continue
            try:
                poller = select.poll()
                poller.register(fd, select.POLLIN)
                if not poller.poll(DAEMON_WAIT_S * 1000):
                    left.append(pid)
            finally:
                os.close(fd)
        assert left == [], f"still running after their parent died: {left}"
    finally:
        shutil.rmtree(Path(conf).parent, ignore_errors=True)


KEEP_A_CLUSTER = """
import time
from tests.slurm import slurm_cluster_running
with slurm_cluster_running() as cluster:
    print(cluster.conf, flush=True)
    time.sleep(600)
"""


def test_a_cluster_that_cannot_start_says_why_in_one_line(slurm_cluster):
    with pytest.raises(SlurmUnavailable) as failed:
        with slurm_cluster_running(extra_conf="NoSuchSlurmOption=1\n"):
            pass
    assert "slurmctld" in str(failed.value) and "\n" not in str(failed.value)


@pytest.mark.parametrize("where, expected", [("no-packages", "apt-get install slurm-wlm munge"),
                                              ("not-root", "needs root")])
def test_where_no_cluster_can_start_the_reason_says_why_in_one_line(monkeypatch, where, expected):
    if where == "no-packages":
        monkeypatch.setenv("PATH", "/nonexistent")
    else:
        if why_unavailable() and "root" not in why_unavailable():
            pytest.skip(why_unavailable())
        monkeypatch.setattr(os, "geteuid", lambda: 1000)
    reason = why_unavailable()
    assert expected in reason and "\n" not in reason
