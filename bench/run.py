"""Benchmark of the autograder against nbgrader (``make bench``); a measurement, not a test.

Modes (one per run; see bench/README.md for what each number means):

* default -- a temporary nbgrader course with a class of ``--students`` (60) notebooks in nbgrader's
  ``submitted/<student>/01_backprop_basics/`` layout, graded by the kit with ``--jobs`` (CPU cores)
  and ``--jobs 1``, then by ``nbgrader autograde`` (first ``--nbgrader-sample`` students). Prints a
  table, writes ``bench/output/results.json``.
* ``--scale`` -- classes of 100 and 1000 notebooks (``--scale-sizes``) in a flat folder, graded by
  the kit only: wall time, submissions/s and peak memory of the grader's process tree. Writes
  ``bench/output/scale.json``.
* ``--profile`` -- where one worker's seconds go on ``--profile-count`` (10) submissions: start-up
  micro-measurements, then ``python -m cProfile -m pytest <assignment>/checks --submission-list ...``
  (the very command ``batch.worker_command`` runs). Writes ``bench/output/profile.{json,txt,prof}``.

Everything is built from the assignment's ``sample`` module (the real release notebook, filled in with the
reference solution or one typical mistake), in a temporary folder that is removed afterwards
(``--keep`` keeps it). Nothing outside ``bench/output/`` and that folder is written.

One file per mode: ``versus_nbgrader.py`` (default), ``scale.py``, ``worker_profile.py``; what they
share (building a class, measuring a process tree, machine facts) is in ``common.py``.
"""
import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import common
from common import assignments, say
from scale import scale_benchmark
from versus_nbgrader import class_benchmark
from worker_profile import profile_benchmark


# ---------------------------------------------------------------- main
def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--scale", action="store_true",
                      help="kit only: classes of --scale-sizes, wall time and peak memory")
    mode.add_argument("--profile", action="store_true", help="where a worker's seconds go (cProfile + start-up costs)")
    p.add_argument("--students", type=int, default=60, help="class size of the default mode (default 60)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="kit workers (default: CPU cores)")
    p.add_argument("--nbgrader-sample", type=int, default=None, metavar="K",
                   help="autograde only the first K students with nbgrader (default: all; 0 skips nbgrader)")
    p.add_argument("--scale-sizes", type=lambda s: [int(x) for x in s.split(",")], default=[100, 1000],
                   metavar="N,N", help="class sizes of --scale (default 100,1000)")
    p.add_argument("--profile-count", type=int, default=10, help="submissions in --profile (default 10)")
    p.add_argument("--assignment", default="01_backprop_basics",
                   help="the assignment whose sample class is graded (default 01_backprop_basics); --profile is 01's")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = p.parse_args(argv)
    if args.profile and args.assignment != "01_backprop_basics":
        p.error("--profile measures assignment 01's internals (its reference and checks); drop --assignment")
    try:
        common.use_assignment(args.assignment)
    except assignments.UnknownAssignment as exc:
        p.error(str(exc))
    tmp = Path(tempfile.mkdtemp(prefix="autograder-bench-"))
    try:
        if args.scale:
            scale_benchmark(args, tmp)
        elif args.profile:
            profile_benchmark(args, tmp)
        else:
            class_benchmark(args, tmp)
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

