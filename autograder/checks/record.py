"""Each submission's result over one pytest run: opened when its code loads, finished with what loading
found, written (with its feedback plot's arrays) when its tests are done."""
import contextlib
import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from autograder import messages, results, sandbox
from autograder.assignment import Assignment
from autograder.checks.student import Student
from autograder.checks.where import load_report
from autograder.find import fingerprint, load
from autograder.find.discover import Submission
from autograder.results import SubmissionResult


@dataclasses.dataclass
class Grading:
    """What one pytest run grades, and the results of the submissions it has graded so far."""

    assignment: Assignment
    limits: sandbox.Limits
    results: dict[str, SubmissionResult] = dataclasses.field(default_factory=dict)
    order: list[str] = dataclasses.field(default_factory=list)   # submission ids, as graded


@contextlib.contextmanager
def submission_graded(submission: Submission, grading: Grading, *, lang: str, results_dir: str | None,
                      forget: bool) -> Iterator[Student | None]:
    """The submission's ``Student`` (None when its code cannot be loaded) while its tests run; then its
    result is finished and, with ``results_dir``, saved there (and, with ``forget``, dropped from memory)."""
    assignment = grading.assignment
    started = time.monotonic()
    kind = sandbox.isolation()
    grader = fingerprint.of_grader(assignment)
    record = results.SubmissionResult(submission=submission.given, id=submission.id, status=results.GRADED,
                                      assignment=assignment.id, isolation=str(kind),
                                      fingerprint=fingerprint.of_submission(submission, grader),
                                      submitted_at=submission.submitted_at, rubric=assignment)
    grading.results[submission.id] = record
    grading.order.append(submission.id)
    handle = program = None
    try:
        if submission.duplicate_of:
            raise load.LoadError(f"{len(submission.duplicate_of)} files claim the same student id: "
                                 + ", ".join(submission.duplicate_of))
        if submission.problem:   # a link, a pipe, a folder named like a notebook: never opened
            raise load.LoadError(submission.problem)
        program = load.load_path(submission.path, assignment.entry_points, assignment.course_modules)
        handle = Student(submission, program, grading.limits, kind, assignment, record)
        yield handle
    except load.LoadError as exc:
        status = results.DUPLICATE if submission.duplicate_of else results.LOAD_ERROR
        grading.results[submission.id] = results.ungraded(submission, status, str(exc), str(kind),
                                                          assignment=assignment)
        grading.results[submission.id].fingerprint = record.fingerprint
        yield None
    except Exception as exc:  # a bug of ours while loading: recorded as such, never an empty "graded"
        if handle is not None:
            raise
        grading.results[submission.id] = results.ungraded(
            submission, results.GRADER_ERROR, f"grader error while loading: {type(exc).__name__}: {exc}", kind,
            assignment=assignment)
        yield None
    finally:
        if handle is not None:
            handle.close()
            _say_what_loading_found(record, handle, handle.program, lang)
        final = grading.results[submission.id]
        final.execution_time = time.monotonic() - started
        order = [t.name for t in assignment.tests]
        final.tests.sort(key=lambda t: order.index(t.name))
        if results_dir:
            _save(final, handle, assignment, results_dir)
            if forget:
                del grading.results[submission.id]   # saved; a worker's memory stays flat over a class


def _say_what_loading_found(record: SubmissionResult, student: Student, program: load.Program,
                            lang: str) -> None:
    """The result's output: the load report; a submission of which nothing could be loaded is a load error."""
    process = student.process
    report = load_report(student, program.problems + (process.load_problems or []), lang)
    if process.load_error:
        report = "\n".join(x for x in (report, messages.say(process.load_error, lang,
                                                            seconds=process.limits.load_seconds)) if x)
    if student.cited_cells:
        report = "\n".join(x for x in (report, messages.say("cell-numbering", lang)) if x)
    record.output = report
    if record.status == results.GRADED and record.output and (
            process.load_error or ((program.problems or process.load_problems) and not process.defined)):
        # Nothing of the exercise could be loaded: say so, not just 0.
        record.status = results.LOAD_ERROR
        record.reason = record.output.splitlines()[0]


def _save(result: SubmissionResult, student: Student | None, assignment: Assignment, results_dir: str) -> None:
    """The result, and the arrays of its feedback plot (the assignment's ``plots.record``), in ``results_dir``."""
    figure = assignment.module("plots")
    arrays = figure.record(student) if figure is not None and student is not None else None
    if arrays:
        Path(results_dir).mkdir(parents=True, exist_ok=True)
        np.savez(results.plot_path(results_dir, result.id), **arrays)
    results.save(result, results_dir)
