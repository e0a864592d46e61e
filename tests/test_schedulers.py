"""The scheduler's index is the shard: Slurm, Kubernetes and AWS Batch tasks find their slice."""
import pytest

from autograder.routes.schedulers import SchedulerError, Slot, slot


@pytest.mark.parametrize("environ, expected", [
    ({"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "8"}, Slot(3, 8, "SLURM_ARRAY_TASK_ID", "Slurm")),
    # a task resubmitted alone keeps its number, whatever its array now looks like
    ({"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "4", "SLURM_ARRAY_TASK_COUNT": "1"}, Slot(4, 8, "SLURM_ARRAY_TASK_ID", "Slurm")),
    ({"JOB_COMPLETION_INDEX": "0"}, Slot(1, 8, "JOB_COMPLETION_INDEX", "Kubernetes")),
    ({"JOB_COMPLETION_INDEX": "7"}, Slot(8, 8, "JOB_COMPLETION_INDEX", "Kubernetes")),
    ({"AWS_BATCH_JOB_ARRAY_INDEX": "2"}, Slot(3, 8, "AWS_BATCH_JOB_ARRAY_INDEX", "AWS Batch")),
])
def test_each_scheduler_names_its_task_by_the_shard_it_grades(environ, expected):
    found = slot(8, environ)
    assert found == expected
    assert found.variable in found.says() and f"shard {expected.index}/8" in found.says()


@pytest.mark.parametrize("environ, words", [
    ({}, "no scheduler's task index"),
    ({"SLURM_ARRAY_TASK_ID": "0"}, "--array=1-8"),
    ({"SLURM_ARRAY_TASK_ID": "9"}, "must have 8 tasks"),
    ({"JOB_COMPLETION_INDEX": "8"}, "must have 8 tasks (0..7)"),
    ({"AWS_BATCH_JOB_ARRAY_INDEX": "x"}, "is not a task index"),
])
def test_an_index_that_does_not_fit_is_a_one_line_reason(environ, words):
    with pytest.raises(SchedulerError) as caught:
        slot(8, environ)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_says_the_value_it_read():
    assert slot(4, {"JOB_COMPLETION_INDEX": "1"}).says() == "shard 2/4 from Kubernetes's JOB_COMPLETION_INDEX=1"
    assert Slot(2, 4).says() == "shard 2/4"
