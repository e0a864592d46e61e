"""How long ``grade --feedback`` takes on a rerun with nothing to grade; a measurement, not a test.

    python bench/feedback_rerun.py --students 200 [--keep DIR]

Builds a class of ``--students`` notebooks from the release (``sample.filled_notebook``: the
reference, each typical mistake, an untouched release, a syntax error, in turn) in nbgrader's
layout, grades it once, then times, each as its own ``python -m autograder grade`` command:
the first ``--feedback`` run (every file written), a rerun with ``--feedback`` (nothing to grade;
only changed students' feedback is written), and a rerun without ``--feedback``.
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(folder, students):
    from autograder.assignments.backprop_basics import sample
    variants = ["reference", *sample.MISTAKES, "release", "syntax-error"]
    notebooks = {v: sample.filled_notebook(v) for v in variants}
    for k in range(students):
        sample.write_notebook(notebooks[variants[k % len(variants)]],
                              folder / f"s{k:04d}" / "01_backprop_basics" / "backprop_basics.ipynb")


def timed(label, args, cwd):
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True)
    seconds = time.monotonic() - started
    if done.returncode:
        raise SystemExit(f"{label} failed:\n{done.stderr[-2000:]}")
    said = [line for line in done.stderr.splitlines() if line.startswith("feedback:")]
    print(f"{label:<28} {seconds:7.2f} s  {said[0] if said else ''}", flush=True)
    return seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", type=int, default=200)
    p.add_argument("--keep", type=Path, help="build the class here and keep it (default: a temporary folder)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="feedback-bench-") as tmp:
        where = args.keep or Path(tmp)
        build(where / "submitted", args.students)
        grade = ["grade", where / "submitted", "--assignment", "01_backprop_basics", "--results-dir",
                 where / "results", "--quiet"]
        timed("grade (first)", grade, ROOT)
        timed("--feedback (first)", [*grade, "--feedback", where / "feedback"], ROOT)
        timed("--feedback (rerun)", [*grade, "--feedback", where / "feedback"], ROOT)
        timed("no --feedback (rerun)", grade, ROOT)


if __name__ == "__main__":
    main()
