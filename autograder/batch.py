"""Grade many submissions: split into shards, run the pytest checks in worker processes, resume.

Each worker is a real ``python -m pytest autograder/checks`` over its share of the class; it writes
each submission's result file as soon as that submission is graded. This process only watches the
results folder (for the progress bar) and, at the end, makes sure every submission has a result --
a worker that died leaves ``grader-error`` results naming it, never a gap.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import results, rubric, sandbox

CHECKS = Path(__file__).resolve().parent / "checks"


def shard(submissions, index, count):
    """The ``index``-th (1-based) of ``count`` deterministic slices of a class sorted by id."""
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: K must be between 1 and N")
    return [s for i, s in enumerate(submissions) if i % count == index - 1]


def pending(submissions, results_dir, force=False):
    """Submissions without an up-to-date result in ``results_dir`` (all of them with ``force``)."""
    if force:
        return list(submissions)
    grader = results.grader_fingerprint()
    todo = []
    for submission in submissions:
        done = results.load(results_dir, submission.id)
        if done is None or done.fingerprint != results.fingerprint(submission, grader):
            todo.append(submission)
    return todo


def worker_command(list_file, results_dir, lang, limits=()):
    """The pytest command one worker runs over a list of submissions (also used by the nbgrader bridge)."""
    return [sys.executable, "-m", "pytest", str(CHECKS), "--submission-list", str(list_file),
            "--results-dir", str(results_dir), "--lang", lang, "-q", "-p", "no:cacheprovider",
            "-p", "no:warnings", "--tb=line", "--rootdir", str(CHECKS), "-c", os.devnull,
            *(arg for limit in limits for arg in ("--limit", limit))]


def run(submissions, results_dir, *, jobs=None, lang="zh", limits=(), progress=None):
    """Grade ``submissions`` into ``results_dir`` with ``jobs`` parallel workers."""
    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    if not submissions:
        return
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(submissions)))
    grader = results.grader_fingerprint()
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", AUTOGRADER_FINGERPRINT=grader,
               **{k: v for k, v in sandbox.ENV.items() if k.endswith("NUM_THREADS")})
    workers, started = [], time.monotonic()
    with tempfile.TemporaryDirectory(prefix="autograder-batch-") as tmp:
        for k in range(jobs):
            share = shard(submissions, k + 1, jobs)
            list_file = Path(tmp) / f"shard-{k + 1}.json"
            list_file.write_text(json.dumps([{"id": s.id, "path": str(s.path), "given": s.given,
                                              "duplicate_of": list(s.duplicate_of)} for s in share]))
            log = open(results_dir / f".worker-{k + 1}.log", "w")
            process = subprocess.Popen(worker_command(list_file, results_dir, lang, limits), env=env,
                                       stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            workers.append((process, share, log))
        expected = {s.id: results.fingerprint(s, grader) for s in submissions}
        waiting = {results.result_path(results_dir, s.id).name: s.id for s in submissions}
        done = set()
        while True:
            running = [p for p, _, _ in workers if p.poll() is None]
            # One directory listing per tick: results appear whole (os.replace), so only new names
            # need reading, and the loop stays linear in the class size.
            with os.scandir(results_dir) as entries:
                fresh = [e.name for e in entries if e.name in waiting]
            for name in fresh:
                sid = waiting[name]
                result = results.load(results_dir, sid)
                if result is not None and result.fingerprint == expected[sid]:
                    del waiting[name]
                    done.add(sid)
                    if progress:
                        progress(result)
            if not running:
                break
            time.sleep(0.1)
        for process, share, log in workers:
            log.close()
            for submission in share:
                if submission.id not in done:
                    reason = (f"the grading worker stopped (exit status {process.returncode}) without a result "
                              f"for this submission; see {log.name}")
                    result = results.ungraded(submission, results.GRADER_ERROR, reason, sandbox.isolation())
                    result.fingerprint = ""   # always regraded on the next run
                    results.save(result, results_dir)
                    if progress:
                        progress(result)
    return time.monotonic() - started


def collect(submissions, results_dir):
    """The results of ``submissions``, in their (id-sorted) order."""
    collected = []
    for submission in submissions:
        result = results.load(results_dir, submission.id)
        if result is None:
            result = results.ungraded(submission, results.GRADER_ERROR, "no result was recorded")
        collected.append(result)
    return collected


def merge(result_dirs):
    """All results in ``result_dirs`` joined by id (a later folder wins a tie), sorted by id, and a
    one-line reason for each result file that could not be used (a half-written ``.tmp-`` file of a
    killed run is not a result and is passed over silently)."""
    by_id, problems = {}, []
    for folder in result_dirs:
        for path in sorted(Path(folder).glob("*.json")):
            if path.name.startswith("."):
                continue
            try:
                with open(path, encoding="utf-8") as f:
                    result = results.SubmissionResult.from_dict(json.load(f))
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
                problems.append(f"{path}: skipped, not a result of this grader ({type(exc).__name__}: {exc})"[:300])
                continue
            by_id[result.id] = result
    return [by_id[k] for k in sorted(by_id)], problems


def summary(collected):
    graded = [r for r in collected if r.status == results.GRADED]
    scores = sorted(r.score for r in graded)
    median = (scores[len(scores) // 2] if len(scores) % 2 else
              (scores[len(scores) // 2 - 1] + scores[len(scores) // 2]) / 2) if scores else 0.0
    passing = {part: sum(1 for r in graded if r.part_scores()[part] >= rubric.PART_POINTS[part])
               for part in rubric.PARTS}
    return {"submissions": len(collected), "graded": len(graded), "not_graded": len(collected) - len(graded),
            "mean": round(sum(scores) / len(scores), 2) if scores else 0.0, "median": median,
            "full_marks_per_part": passing}
