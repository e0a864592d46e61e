"""What Slurm itself costs per array task: submit → start → end of an (almost) empty task, for arrays
of 1, 10 and 50 tasks, on a private single-node cluster (tests/slurm.py) with this machine's CPUs.

A measurement, not a test: it prints a table and writes ``bench/output/slurm_overhead.json``. It needs
root and the Debian packages slurm-wlm and munge. Times come from slurmctld's own log (millisecond
stamps: submit, allocate, job complete) and from each task, which writes the time its script started.

    .venv/bin/python bench/slurm_overhead.py [--sizes 1,10,50] [--repeat 2] [--conf 'SchedulerParameters=...']
"""
import argparse
import math
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from common import ROOT, cores, loadavg, say, write_json

sys.path.insert(0, str(ROOT))
from tests.slurm import SlurmUnavailable, slurm_cluster_running  # noqa: E402

TASK = """#!/bin/sh
date +%s.%N > "{stamps}/start-$SLURM_ARRAY_TASK_ID"
"""
# slurmctld's log lines (info level) that mark a task's life; stamps are local time with milliseconds.
SUBMITTED = re.compile(r"^\[(\S+)\] _slurm_rpc_submit_batch_job: JobId=(\d+) ")
ALLOCATED = re.compile(r"^\[(\S+)\] (?:sched: Allocate|sched/backfill: _start_job: Started) JobId=(\d+)_(\d+)\(")
COMPLETED = re.compile(r"^\[(\S+)\] _job_complete: JobId=(\d+)_(\d+)\(\d+\) done")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="1,10,50", help="array sizes, comma-separated (default 1,10,50)")
    p.add_argument("--repeat", type=int, default=2, help="runs per size (default 2)")
    p.add_argument("--conf", action="append", default=[], help="a line to add to slurm.conf (repeatable)")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    extra = "".join(line + "\n" for line in args.conf)
    try:
        with slurm_cluster_running(extra_conf=extra) as cluster:
            runs, facts = measure(cluster, sizes, args.repeat)
    except SlurmUnavailable as exc:
        sys.exit(f"bench/slurm_overhead.py: no Slurm cluster here: {exc}")
    facts["conf_added"] = args.conf
    path = write_json({"machine": facts, "runs": runs}, "slurm_overhead.json")
    table(runs, facts)
    say(f"\nwritten: {path.relative_to(ROOT)}")


def measure(cluster, sizes, repeat):
    version = subprocess.run(["sinfo", "--version"], env=cluster.env, capture_output=True, text=True).stdout.strip()
    facts = {"slurm": version, "node_cpus": cluster.cpus, "cores": cores(), "loadavg_at_start": loadavg(),
             "started": datetime.now().isoformat(timespec="seconds")}
    runs = []
    with tempfile.TemporaryDirectory(prefix="slurm-overhead-") as tmp:
        for n in sizes:
            for r in range(repeat):
                stamps = Path(tmp) / f"{n}-{r}"
                stamps.mkdir()
                before = time.time()
                job = cluster.sbatch(f"--array=1-{n}", "--time=1", "--output=/dev/null", f"--chdir={stamps}",
                                     script=TASK.format(stamps=stamps))
                sbatch_s = time.time() - before
                states = {t.state for t in cluster.wait(job)[job]}
                runs.append(summarise(cluster, job, n, stamps, sbatch_s, states))
                say(f"  {n} tasks, run {r + 1}: {runs[-1]['makespan_s']:.2f} s")
    facts["loadavg_at_end"] = loadavg()
    facts["scheduler_parameters"] = next((line.split("SchedulerParameters=", 1)[1].strip()
                                          for line in (cluster.root / "log" / "slurmctld.log").open()
                                          if "SchedulerParameters=" in line), None)
    return runs, facts


def summarise(cluster, job, n, stamps, sbatch_s, states):
    """One run's figures: each task's allocate, script start and completion, relative to the submit."""
    submitted, allocated, completed = None, {}, {}
    for line in (cluster.root / "log" / "slurmctld.log").read_text().splitlines():
        if (m := SUBMITTED.match(line)) and m[2] == job:
            submitted = stamp(m[1])
        elif (m := ALLOCATED.match(line)) and m[2] == job:
            allocated[int(m[3])] = stamp(m[1])
        elif (m := COMPLETED.match(line)) and m[2] == job:
            completed[int(m[3])] = stamp(m[1])
    started = {int(f.name.split("-")[1]): float(f.read_text()) for f in stamps.glob("start-*")}
    tasks = sorted(started)
    waves = math.ceil(n / cluster.cpus)
    makespan = max(completed.values()) - submitted
    return {
        "tasks": n, "job": job, "states": sorted(states), "waves": waves, "sbatch_s": sbatch_s,
        "first_start_s": min(started.values()) - submitted, "last_start_s": max(started.values()) - submitted,
        "makespan_s": makespan, "per_task_s": makespan / n, "per_wave_s": makespan / waves,
        "allocate_to_script_ms": statistics.median(1000 * (started[k] - allocated[k]) for k in tasks),
        "script_to_complete_ms": statistics.median(1000 * (completed[k] - started[k]) for k in tasks),
    }


def stamp(text):
    return datetime.fromisoformat(text).timestamp()


def table(runs, facts):
    say(f"\n{facts['slurm']}, one node of {facts['node_cpus']} CPUs (a task takes one); "
        f"load average {facts['loadavg_at_start']} → {facts['loadavg_at_end']}")
    say(f"SchedulerParameters (slurmctld's view): {facts['scheduler_parameters']}")
    if facts["conf_added"]:
        say(f"added to slurm.conf: {'; '.join(facts['conf_added'])}")
    head = ("tasks", "waves", "sbatch s", "1st start s", "last start s", "all done s", "s/task", "s/wave",
            "alloc→script ms", "script→done ms")
    say("\n| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for r in runs:
        say(f"| {r['tasks']} | {r['waves']} | {r['sbatch_s']:.2f} | {r['first_start_s']:.2f} | "
            f"{r['last_start_s']:.2f} | {r['makespan_s']:.2f} | {r['per_task_s']:.2f} | {r['per_wave_s']:.2f} | "
            f"{r['allocate_to_script_ms']:.0f} | {r['script_to_complete_ms']:.0f} |")
    say("\nSeconds are from slurmctld's submit of the array; 'all done' is its last task's completion. "
        "A wave is one task per CPU.")


if __name__ == "__main__":
    main()
