"""A class graded as a Slurm array job, as docs/SCHEDULERS.md says: three tasks run
`grade --shard auto/3` into one shared results folder, a merge job runs after them (afterany), and
the merged gradebook equals the class graded in one run, per student and per test. A task killed
while it grades is named by the merge (exit 3); submitting that one task again completes the class."""
import json
import shutil
import sys
import time

import pytest

from .conftest import ASSIGNMENT_01, FILES, ROOT, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.serial]

TIME = "--time=5"   # minutes: every job has a limit, so `wait` knows how long to wait
CORRECT = FILES / "corpus" / "correct"
# Sorted by id, shard K of 3 grades ids[K-1::3]: s2_slow and s5 are shard 2's.
CLASS = {"s1": CORRECT / "c01_split_abs.py", "s2_slow": None, "s3": CORRECT / "c03_where_masked.py",
         "s4": FILES / "corpus" / "mistakes" / "net-backward-skips-sigmoid.py",
         "s5": CORRECT / "c05_helpers_constants.py", "s6": CORRECT / "c02_tanh_cache_input.py"}
# A correct submission whose first Sigmoid.forward call sleeps 4 s: its task is still grading when the
# test kills it (its score is full all the same).
SLOW = "import time\nSLEPT = []\n" + (CORRECT / "c01_split_abs.py").read_text(encoding="utf-8").replace(
    "def forward(self, x):", "def forward(self, x):\n        if not SLEPT:\n            SLEPT.append(time.sleep(4))", 1)

GRADE = f"""#!/bin/sh
set -eu
exec {sys.executable} -m autograder grade "$CLASS" --assignment {ASSIGNMENT_01} --shard auto/3 \\
    --results-dir "$SHARED" --quiet
"""
MERGE = f"""#!/bin/sh
exec {sys.executable} -m autograder merge "$SHARED" --json "$OUT"
"""


@pytest.fixture
def course(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for sid, source in CLASS.items():
        if source is None:
            (folder / f"{sid}.py").write_text(SLOW, encoding="utf-8")
        else:
            shutil.copy(source, folder / f"{sid}.py")
    (tmp_path / "grade.sh").write_text(GRADE)
    (tmp_path / "merge.sh").write_text(MERGE)
    return tmp_path


def submit(cluster, course, script, out, *options):
    return cluster.sbatch(*options, TIME, f"--chdir={ROOT}", f"--output={course}/%x-%A_%a.out",
                          f"--export=ALL,CLASS={course / 'class'},SHARED={course / 'shared'},OUT={out}",
                          str(course / script))


def per_test(path):
    return {r["id"]: [(t["name"], t["score"], t["output"], t["tags"]) for t in r["tests"]]
            for r in json.loads(path.read_text(encoding="utf-8"))}


def test_an_array_job_grades_the_class_as_one_run_does(slurm_cluster, course):
    array = submit(slurm_cluster, course, "grade.sh", "-", "--array=1-3")
    merge = submit(slurm_cluster, course, "merge.sh", course / "merged.json", f"--dependency=afterany:{array}")
    done = slurm_cluster.wait(array, merge)
    assert all(t.state == "COMPLETED" and t.exit_code == "0:0" for t in done[array]), done
    assert [t.state for t in done[merge]] == ["COMPLETED"], done
    logs = {k: next(course.glob(f"grade.sh-{array}_{k}.out")).read_text() for k in (1, 2, 3)}
    for k, log in logs.items():
        assert f"shard {k}/3 from Slurm's SLURM_ARRAY_TASK_ID={k}" in log, log

    run_cli("grade", course / "class", "--json", course / "once.json", "--quiet")
    assert per_test(course / "merged.json") == per_test(course / "once.json")


def test_a_killed_task_is_named_by_the_merge_and_its_resubmission_completes_the_class(slurm_cluster, course):
    array = submit(slurm_cluster, course, "grade.sh", "-", "--array=1-3")
    slurm_cluster.wait_running(array, "2")
    record = course / "shared" / ".run-2-of-3.json"
    while not record.exists():            # the task has started grading (s2_slow sleeps in its first call)
        (task,) = [t for t in slurm_cluster.tasks(array) if t.array_task_id == "2"]
        assert not task.settled, f"task 2 ended ({task.state}) before it started grading"   # Slurm's own limit ends it
        time.sleep(0.1)
    slurm_cluster.run("scancel", f"{array}_2")
    merge = submit(slurm_cluster, course, "merge.sh", course / "gap.json", f"--dependency=afterany:{array}")
    done = slurm_cluster.wait(array, merge)
    states = {t.array_task_id: t.state for t in done[array]}
    assert states == {"1": "COMPLETED", "2": "CANCELLED", "3": "COMPLETED"}, done
    (merge_job,) = done[merge]
    assert (merge_job.state, merge_job.exit_code) == ("FAILED", "3:0"), merge_job
    said = next(course.glob(f"merge.sh-{merge}_*.out")).read_text()
    assert "shard 2/3 started" in said and "did not finish" in said and "rerun that task" in said, said

    # Resubmit the one task (its index is its shard), then merge again: the class is whole.
    again = submit(slurm_cluster, course, "grade.sh", "-", "--array=2")
    merge2 = submit(slurm_cluster, course, "merge.sh", course / "merged.json", f"--dependency=afterok:{again}")
    done = slurm_cluster.wait(again, merge2)
    assert [t.state for t in done[again]] == ["COMPLETED"] and [t.state for t in done[merge2]] == ["COMPLETED"]
    run_cli("grade", course / "class", "--json", course / "once.json", "--quiet")
    assert per_test(course / "merged.json") == per_test(course / "once.json")
