"""The scheduler's index is the shard: which slice of a class one task of an array job grades.

A university's scheduler already hands each task of an array an index; the kit grows no queue of
its own. ``--shard auto/N`` reads that index from the task's environment (``slot``) and says which
variable it used, so the instructor's job script needs no shell arithmetic:

* Slurm job array (``sbatch --array=1-N``): ``SLURM_ARRAY_TASK_ID``, which is the shard number itself;
  an array that starts at 0 is refused, so that a task resubmitted alone (``--array=4``) is still
  shard 4 (its ``SLURM_ARRAY_TASK_MIN``, ``_MAX`` and ``_COUNT`` then describe the resubmission, not
  the class: N always comes from the command line);
* Kubernetes Indexed Job: ``JOB_COMPLETION_INDEX``, 0-based;
* AWS Batch array job: ``AWS_BATCH_JOB_ARRAY_INDEX``, 0-based.

docs/SCHEDULERS.md shows a job script for each; Slurm's is tested on a real cluster
(tests/test_slurm_grading.py).
"""
import dataclasses
import os
from collections.abc import Mapping

# (variable, scheduler, the index of the first task): the first one set wins.
SCHEDULERS = (
    ("SLURM_ARRAY_TASK_ID", "Slurm", 1),
    ("JOB_COMPLETION_INDEX", "Kubernetes", 0),
    ("AWS_BATCH_JOB_ARRAY_INDEX", "AWS Batch", 0),
)


class SchedulerError(ValueError):
    """The task's environment names no shard, or one that does not fit (a one-line reason)."""


@dataclasses.dataclass(frozen=True)
class Slot:
    """One task's slice of the class: shard ``index`` (1-based) of ``count``, read from ``variable``."""

    index: int
    count: int
    variable: str = ""
    scheduler: str = ""

    def says(self) -> str:
        """How the slice was chosen, for the task's log."""
        if not self.variable:
            return f"shard {self.index}/{self.count}"
        return (f"shard {self.index}/{self.count} from {self.scheduler}'s {self.variable}="
                f"{self.index - 1 + self._first()}")

    def _first(self) -> int:
        return next(first for variable, _, first in SCHEDULERS if variable == self.variable)


def slot(count: int, environ: Mapping[str, str] | None = None) -> Slot:
    """The shard of ``count`` this task grades, from the first scheduler variable set in ``environ``."""
    environ = os.environ if environ is None else environ
    for variable, scheduler, first in SCHEDULERS:
        text = environ.get(variable)
        if text is None or text == "":
            continue
        try:
            raw = int(text)
        except ValueError:
            raise SchedulerError(f"--shard auto/{count}: {variable}={text!r} is not a task index") from None
        index = raw - first + 1
        if scheduler == "Slurm" and raw == 0:
            raise SchedulerError(f"--shard auto/{count}: {variable}=0; number the array's tasks from 1 "
                                 f"(sbatch --array=1-{count}), so that each task's number is its shard")
        if not 1 <= index <= count:
            raise SchedulerError(f"--shard auto/{count}: {variable}={raw} is task {index} of an array of "
                                 f"{count}; the array must have {count} tasks ({first}..{count - 1 + first})")
        return Slot(index, count, variable, scheduler)
    names = ", ".join(variable for variable, _, _ in SCHEDULERS)
    raise SchedulerError(f"--shard auto/{count}: no scheduler's task index in the environment (looked for {names}); "
                         f"give the shard as K/{count}")
