"""Grade many submissions: run the pytest checks in worker processes over a class (or a shard: ``shards``), resume.

Each worker is a real ``python -m pytest <the assignment's checks folder>`` over its share of the class; it writes
each submission's result file as soon as that submission is graded. This process

* reads each submission once, safely (``discover.read_regular``), into a private snapshot folder:
  workers grade those bytes and never open anything in the class folder; an entry discovery
  refused (a link, a pipe) or that cannot be read gets its load-error here, without a worker;
* pins the isolation for every worker (``sandbox.pinned_env``);
* watches the results folder (for the progress bar) and the workers: a worker that stops, or makes
  no progress for longer than one submission can take (``stall_seconds``), is replaced; the
  submission it was on gets a ``grader-error`` result naming the cause, the rest of its share is
  graded by the replacement -- so every submission gets a result, never a gap or a hang.
"""
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from autograder import assignments, results, sandbox
from autograder.assignment import Assignment
from autograder.find import discover, fingerprint
from autograder.find.notebook import MAX_BYTES
from autograder.grading import shards
from autograder.results import SubmissionResult
from autograder.sandbox import cgroup

WORKER_START_SECONDS = 60.0   # a worker's own start (pytest, numpy) before its first submission


def pending(submissions: Sequence[discover.Submission], results_dir: str | Path, assignment: Assignment,
            force: bool = False) -> list[discover.Submission]:
    """Submissions without an up-to-date result in ``results_dir`` (all of them with ``force``).
    A grader-error result, or one of another assignment, is never up to date: it is graded again."""
    if force:
        return list(submissions)
    grader = fingerprint.of_grader(assignment)
    todo = []
    for submission in submissions:
        done = results.load(results_dir, submission.id, assignment)
        if (done is None or done.status == results.GRADER_ERROR or done.assignment != assignment.id
                or done.fingerprint != fingerprint.of_submission(submission, grader)):
            todo.append(submission)
    return todo


def worker_command(list_file: Path, results_dir: Path, lang: str, assignment: Assignment,
                   limits: Sequence[str] = ()) -> list[str]:
    """The pytest command one worker runs over a list of submissions: the assignment's checks."""
    checks = str(assignment.checks)
    return [sys.executable, "-m", "pytest", checks, "--submission-list", str(list_file),
            "--results-dir", str(results_dir), "--lang", lang, "-q", "-p", "no:cacheprovider",
            "-p", "no:warnings", "--tb=line", "--rootdir", checks, "-c", os.devnull,
            *(arg for limit in limits for arg in ("--limit", limit))]


def stall_seconds(limits: sandbox.Limits) -> float:
    """The longest one submission can keep a worker busy without a result: its definitions, its
    request budget, and a last request that restarts the sandbox (definitions again, then the
    request), each at its wall-clock backstop, plus a margin. A worker's first submission also has
    WORKER_START_SECONDS for the worker itself to start."""
    cpu = sandbox.isolation().cpu_time
    load_wall = limits.wall_seconds(limits.load_seconds, cpu)
    return 2 * load_wall + limits.submission_seconds + limits.wall_seconds(limits.request_seconds, cpu) + 15.0


def _snapshot(submission, folder, grader):
    """(submission as the worker sees it, expected fingerprint), or (None, load-error result)."""
    if submission.problem:
        return None, submission.problem
    try:
        data = discover.read_regular(submission.path, MAX_BYTES)
    except discover.Refused as exc:
        return None, str(exc)
    folder.mkdir()
    # The loader names the file in its messages ("sub.py, line 3"): keep the name, as text.
    copy = folder / discover.name_text(submission.path.name)
    with open(copy, "wb") as f:
        f.write(data[0])
        if data[1] > len(data[0]):
            f.truncate(data[1])   # sparse: the loader reports the real size of a file too large to grade
    entry = {"id": submission.id, "path": str(copy), "given": submission.given,
             "duplicate_of": list(submission.duplicate_of), "submitted_at": submission.submitted_at}
    return entry, fingerprint.of_submission(submission, grader, data)


class _Worker:
    def __init__(self, number, entries, tmp, results_dir, lang, limits, env, assignment):
        self.number, self.entries = number, entries
        self.list_file = Path(tmp) / f"shard-{number}.json"
        self.list_file.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        self.log_path = results_dir / f".worker-{number}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(worker_command(self.list_file, results_dir, lang, assignment, limits), env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.progress_at = time.monotonic() + WORKER_START_SECONDS   # its own start is not a stall

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        if not self.log.closed:
            self.log.close()


def run(submissions: Sequence[discover.Submission], results_dir: str | Path, *, assignment: Assignment,
        jobs: int | None = None, lang: str = "zh", limits: Sequence[str] = (),
        progress: Callable[[SubmissionResult], object] | None = None) -> float | None:
    """Grade ``submissions`` of ``assignment`` into ``results_dir`` with ``jobs`` parallel workers;
    returns the seconds it took (None when there was nothing to grade)."""
    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    if not submissions:
        return None
    started = time.monotonic()
    grader = fingerprint.of_grader(assignment)
    kind = str(sandbox.isolation())
    stall = stall_seconds(sandbox.parse_limits(limits))
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", AUTOGRADER_FINGERPRINT=grader,
               **{k: v for k, v in sandbox.ENV.items() if k.endswith("NUM_THREADS")}, **sandbox.pinned_env())
    cgroup.sweep()
    with tempfile.TemporaryDirectory(prefix="autograder-batch-") as tmp:
        entries, expected, by_id = [], {}, {s.id: s for s in submissions}
        for number, submission in enumerate(submissions):
            entry, outcome = _snapshot(submission, Path(tmp) / f"s{number}", grader)
            if entry is None:
                result = results.ungraded(submission, results.LOAD_ERROR, outcome, kind, assignment=assignment)
                result.fingerprint = fingerprint.of_submission(submission, grader)
                results.save(result, results_dir)
                if progress:
                    progress(result)
                continue
            entries.append(entry)
            expected[submission.id] = outcome
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(entries) or 1))
        workers = [_Worker(k + 1, entries[k::jobs], tmp, results_dir, lang, limits, env, assignment)
                   for k in range(jobs) if entries[k::jobs]]
        owner = {e["id"]: w for w in workers for e in w.entries}
        waiting = {results.result_path(results_dir, sid).name: sid for sid in expected}
        done, spare = set(), len(workers)

        def read_fresh():
            # One directory listing per tick: results appear whole (os.replace), so only new names
            # need reading, and the loop stays linear in the class size.
            with os.scandir(results_dir) as listing:
                fresh = [e.name for e in listing if e.name in waiting]
            for name in fresh:
                sid = waiting[name]
                result = results.load(results_dir, sid, assignment)
                if result is not None and result.fingerprint == expected[sid]:
                    del waiting[name]
                    done.add(sid)
                    owner[sid].progress_at = time.monotonic()
                    if progress:
                        progress(result)

        try:
            while True:
                read_fresh()
                running = False
                for index, worker in enumerate(workers):
                    exited = worker.process.poll() is not None
                    if exited:
                        read_fresh()   # what it wrote just before it ended
                    left = [e for e in worker.entries if e["id"] not in done]
                    stalled = not exited and time.monotonic() - worker.progress_at > stall
                    if not exited and not stalled:
                        running = True
                        continue
                    worker.stop()
                    if not left:
                        continue
                    # A worker grades its list in order: the first without a result is where it stopped.
                    stuck = left[0]
                    why = (f"the grading worker made no progress for {stall:.0f} s on this submission and was "
                           "stopped" if stalled else
                           f"the grading worker stopped (exit status {worker.process.returncode}) while grading "
                           "this submission")
                    result = results.ungraded(by_id[stuck["id"]], results.GRADER_ERROR,
                                              f"{why}; see {worker.log_path}", kind, assignment=assignment)
                    result.fingerprint = ""   # always regraded on the next run
                    results.save(result, results_dir)
                    done.add(stuck["id"])
                    waiting.pop(results.result_path(results_dir, stuck["id"]).name, None)
                    if progress:
                        progress(result)
                    worker.entries = [stuck]
                    if left[1:]:
                        spare += 1
                        workers[index] = _Worker(spare, left[1:], tmp, results_dir, lang, limits, env, assignment)
                        owner.update({e["id"]: workers[index] for e in left[1:]})
                        running = True
                if not running:
                    break
                time.sleep(0.1)
        finally:
            for worker in workers:
                worker.stop()
            cgroup.sweep()
        for sid in expected:   # only if this process was interrupted: never a gap
            if sid not in done:
                reason = f"the grading worker stopped without a result for this submission; see {owner[sid].log_path}"
                result = results.ungraded(by_id[sid], results.GRADER_ERROR, reason, kind, assignment=assignment)
                result.fingerprint = ""
                results.save(result, results_dir)
    return time.monotonic() - started


def rubric_of(assignment_id: str) -> Assignment:
    """The assignment a stored result names; ValueError, as for any file this grader cannot use, when
    the kit has no such assignment."""
    try:
        return assignments.get(assignment_id)
    except assignments.UnknownAssignment as exc:
        raise ValueError(f"{exc} (graded by another version of the kit? regrade)") from None


# A results folder as read once: file name -> the result it holds, or why it holds none usable.
Stored = dict[str, SubmissionResult | Exception]


def read_folder(folder: str | Path) -> Stored:
    """Every result file in ``folder``, read once, each with the rubric of the assignment it names. A
    hidden file (a half-written ``.tmp-`` file of a killed run, ``.run.json``) is not a result."""
    stored: Stored = {}
    for path in sorted(Path(folder).glob("*.json")):
        if path.name.startswith("."):
            continue
        try:
            data = results.read_json(path)
            stored[path.name] = SubmissionResult.from_dict(data, rubric_of(data.get("assignment", "")))
        except results.UNREADABLE as exc:
            stored[path.name] = exc
    return stored


def _stored_result(stored: Stored, results_dir: str | Path, submission_id: str) -> SubmissionResult | None:
    """What ``results.load`` gives, from a folder already read: the result under this id's name, if it is this id's."""
    result = stored.get(results.result_path(results_dir, submission_id).name)
    if isinstance(result, SubmissionResult) and result.id == results.strict_text(submission_id):
        return result
    return None


def collect(submissions: Sequence[discover.Submission], results_dir: str | Path, assignment: Assignment,
            stored: Stored | None = None) -> list[SubmissionResult]:
    """The results of ``submissions``, in their (id-sorted) order; from ``stored`` (``read_folder``)
    when the folder has been read already."""
    collected = []
    for submission in submissions:
        if stored is None:
            result = results.load(results_dir, submission.id, assignment)
        else:
            result = _stored_result(stored, results_dir, submission.id)
        if result is None or result.assignment != assignment.id:
            result = results.ungraded(submission, results.GRADER_ERROR, "no result was recorded", assignment=assignment)
        collected.append(result)
    return collected


def merge(result_dirs: Sequence[str | Path],
          read: Mapping[str | Path, Stored] | None = None) -> tuple[list[SubmissionResult], list[str]]:
    """All results in ``result_dirs`` joined by id, sorted by id, and one line for each thing the
    instructor must know: a result file that could not be used (not a result of this grader, or not
    stored under its id's name); a student found in two folders (the newer result is kept, and the
    line says which and why); shards of a class that are missing, with how many submissions they
    held. A half-written ``.tmp-`` file of a killed run is not a result and is passed over silently.
    ``read`` holds the folders already read (``read_folder``)."""
    by_id: dict[str, SubmissionResult] = {}
    found_in: dict[str, list[tuple[str | Path, SubmissionResult]]] = {}
    problems: list[str] = []
    for folder in result_dirs:
        stored = read[folder] if read is not None and folder in read else read_folder(folder)
        for name, result in stored.items():
            path = Path(folder) / name
            if isinstance(result, Exception):
                problems.append(f"{path}: skipped, not a result of this grader "
                                f"({type(result).__name__}: {result})"[:300])
                continue
            if path.name != results.result_path(folder, result.id).name:
                problems.append(f"{path}: skipped, it holds the result of another id "
                                f"(expected file {results.result_path(folder, result.id).name})"[:300])
                continue
            found_in.setdefault(result.id, []).append((folder, result))
    for sid, copies in found_in.items():
        # the newest grading wins; on equal times, the folder named last
        order = sorted(range(len(copies)), key=lambda i: (copies[i][1].graded_at or "", i))
        kept_folder, kept = copies[order[-1]]
        by_id[sid] = kept
        if len(copies) > 1:
            others = ", ".join(f"{folder} (graded {r.graded_at or 'at an unknown time'})"
                               for folder, r in (copies[i] for i in order[:-1]))
            same = all(r.fingerprint == kept.fingerprint and r.score == kept.score for _, r in copies)
            problems.append(f"{discover.name_text(sid)}: in {len(copies)} folders; kept {kept_folder} "
                            f"(graded {kept.graded_at or 'at an unknown time'}, the newest), not {others}"
                            + (" -- the same result" if same
                               else f" -- scores differ: kept {results.display(kept.score)}"))
    problems += shards.gaps(result_dirs, by_id)
    return [by_id[k] for k in sorted(by_id)], problems


def summary(collected: Sequence[SubmissionResult], assignment: Assignment) -> dict:
    """The class in numbers for the terminal: counts, mean and median score, full marks per part, isolation."""
    graded = [r for r in collected if r.status == results.GRADED]
    scores = sorted(r.score for r in graded)
    passing = {part: sum(1 for r in graded if r.part_scores()[part] >= assignment.part_points[part])
               for part in assignment.parts}
    isolation: dict[str, int] = {}
    for r in collected:
        isolation[r.isolation or "none (not run)"] = isolation.get(r.isolation or "none (not run)", 0) + 1
    return {"submissions": len(collected), "graded": len(graded), "not_graded": len(collected) - len(graded),
            "mean": round(sum(scores) / len(scores), 2) if scores else 0.0,
            "median": statistics.median(scores) if scores else 0.0,
            "total_points": assignment.total_points,
            "full_marks_per_part": passing, "isolation": isolation,
            "grader_errors": [r for r in collected if r.status == results.GRADER_ERROR]}
