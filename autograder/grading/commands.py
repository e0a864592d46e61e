"""What the CLI's commands do, as keyword-only functions: ``grade`` a class, ``merge`` result folders,
``report`` on them.

Both end in the same views of the results (JSON, CSV gradebook, Canvas file, feedback files, the
terminal table). A run grades one assignment (``choose.choose_assignment``). Errors the user can
fix raise ``UsageError`` with a one-line reason.
"""
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from autograder import assignments, messages, sandbox
from autograder.assignment import Assignment
from autograder.find import discover
from autograder.grading import batch, settings, shards
from autograder.grading.choose import choose_assignment
from autograder.errors import Incomplete, UsageError
from autograder.results import SubmissionResult
from autograder.views import feedback, gradebook, readable, terminal
from autograder.views import report as class_report


def _progress_bar(total: int, quiet: bool) -> tuple[Callable | None, Callable[[], None]]:
    if quiet or total == 0:
        return None, lambda: None
    # Only here: tqdm draws the bar and nothing else needs it (the Gradescope bundle, always
    # --quiet, does not install it).
    from tqdm import tqdm
    bar = tqdm(total=total, unit="submission", file=sys.stderr, dynamic_ncols=True,
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]")
    return (lambda result: bar.update(1)), bar.close


def _gradebook_options(roster, due):
    """The roster and due date of the gradebook views, or a UsageError saying what is wrong."""
    try:
        return (gradebook.read_roster(roster) if roster else None), (gradebook.parse_due(due) if due else None)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _assignment_for(paths: Sequence[str | Path], name: str | None, recorded: str | None,
                    results_dir: str | Path) -> Assignment:
    """The assignment to grade: ``name``, else what the submissions tell, else -- a student's folder
    holding every assignment, say -- the one the results folder holds. A folder holds one."""
    try:
        chosen = choose_assignment(paths, name)
    except UsageError:
        if name is not None or recorded is None:
            raise
        chosen = choose_assignment(paths, recorded)
    if recorded is not None and chosen.id != recorded:
        raise UsageError(f"{results_dir} holds the results of {recorded}, not {chosen.id}: one results folder per "
                         "assignment (give --results-dir)")
    return chosen


def grade(*, paths: Sequence[str | Path], assignment: str | None = None, json_path=None, csv_path=None,
          jobs: int | None = None, results_dir=None, force: bool = False, shard: tuple[int, int] | None = None,
          lang: str | None = None, feedback_dir=None, quiet: bool = False, limits: Sequence[str] = (), roster=None,
          due: str | None = None, canvas_path=None, canvas_name: str | None = None, report_dir=None,
          similarity: float | None = None, base_corpus: Sequence[Path] = (),
          out: TextIO = sys.stdout) -> list[SubmissionResult]:
    """Grade submissions and write the gradebook views; returns the collected results. Every view
    option left None is taken from what the results folder remembers (``settings``)."""
    if results_dir is None:
        results_dir = Path(json_path).with_suffix(".results") if json_path else Path("autograder-results")
    # A shard's folder may be shared by every shard of the class: the views are the merge's to write.
    recorded = settings.read(results_dir) if not shard else {}
    options, taken = settings.combine(
        dict(json_path=json_path, csv_path=csv_path, canvas_path=canvas_path,
             canvas_name=canvas_name, feedback_dir=feedback_dir, report_dir=report_dir, roster=roster, due=due,
             lang=lang, similarity=similarity), {k: v for k, v in recorded.items() if k != "assignment"})
    options["lang"] = options["lang"] or messages.DEFAULT
    json_path, csv_path, canvas_path, canvas_name, feedback_dir, report_dir, roster, due, recorded_lang, similarity = (
        options[k] for k in ("json_path", "csv_path", "canvas_path", "canvas_name", "feedback_dir", "report_dir",
                             "roster", "due", "lang", "similarity"))
    lang = str(recorded_lang)
    if similarity is not None and not report_dir:
        raise UsageError("--similarity is a section of the class report: give --report DIR too")
    if base_corpus and similarity is None:
        raise UsageError("--base-corpus is compared by --similarity: give --similarity T too")
    try:
        parsed = sandbox.parse_limits(limits)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    views = _gradebook_options(roster, due)
    chosen = _assignment_for(paths, assignment, recorded.get("assignment"), results_dir)
    try:
        submissions = discover.find(paths, chosen)
    except discover.DiscoveryError as exc:
        raise UsageError(str(exc)) from None
    whole_class = submissions
    if shard:
        submissions = shards.shard(submissions, *shard)
    todo = batch.pending(submissions, results_dir, chosen, force=force)
    pinned = sandbox.isolation()     # chosen once: batch.run pins it for every worker
    refused = sandbox.unsandboxed_problem(pinned, chosen.reference, whole_class)
    if refused:
        raise UsageError(refused)
    print(sandbox.describe(pinned, parsed), file=sys.stderr)
    if taken:
        print(settings.taken_line(results_dir, taken), file=sys.stderr)
    print(f"{chosen.id}: {len(submissions)} submissions, {len(submissions) - len(todo)} already graded "
          f"(results in {results_dir}{'' if force else '; --force regrades'})", file=sys.stderr)
    if shard:
        shards.write_run(results_dir, whole_class, shard, done=False)
    progress, close = _progress_bar(len(todo), quiet)
    try:
        batch.run(todo, results_dir, assignment=chosen, jobs=jobs, lang=lang, limits=limits, progress=progress)
    finally:
        close()
    if shard:
        shards.write_run(results_dir, whole_class, shard)
    # The results folder is the gradebook: results of earlier runs in it (the rest of the class, when
    # one student is regraded) stay in the views, updated only where this run graded. Read once.
    stored = batch.read_folder(results_dir)
    collected = batch.collect(submissions, results_dir, chosen, stored=stored)
    graded_now = {r.id for r in collected}
    earlier, _ = batch.merge([results_dir], read={results_dir: stored})
    others = sorted({r.assignment for r in earlier if r.assignment != chosen.id})
    if others:
        raise UsageError(f"{results_dir} also holds results of {', '.join(others)}: one results folder per "
                         "assignment (give --results-dir)")
    earlier = [r for r in earlier if r.id not in graded_now]
    if earlier:
        print(f"{len(earlier)} more results from earlier runs in {results_dir} are in the gradebook "
              "(delete a result file there to drop it)", file=sys.stderr)
    collected = sorted(collected + earlier, key=lambda r: r.id)
    write_views(collected, chosen, json_path=json_path, csv_path=csv_path, feedback_dir=feedback_dir, lang=lang,
                out=out, results_dir=results_dir, pinned=pinned, views=views, canvas_path=canvas_path,
                canvas_name=canvas_name, jobs=jobs)
    if not shard:
        settings.remember(results_dir, {**options, "assignment": chosen.id})
    if report_dir:
        class_report.run(collected=collected, assignment=chosen, out=report_dir, lang=lang,
                         feedback_dirs=[feedback_dir] if feedback_dir else [], similarity=similarity,
                         submissions=paths, base_corpus=base_corpus, result_dirs=[results_dir], stream=out)
    return collected


def write_views(collected: list[SubmissionResult], assignment: Assignment, *, json_path=None, csv_path=None,
                feedback_dir=None, lang: str = "zh", out: TextIO = sys.stdout, results_dir=None, pinned=None,
                views=(None, None), canvas_path=None, canvas_name: str | None = None,
                jobs: int | None = None) -> None:
    """Write every view of ``collected`` asked for, then the terminal table and summary on ``out``."""
    roster, due = views
    if roster:
        strangers = [r.id for r in collected if r.id not in roster]
        if strangers:
            print(f"autograder: warning: {len(strangers)} submissions are not in the roster (first: "
                  f"{readable.show_id(strangers[0])}); their rows have no name", file=sys.stderr)
    if json_path:
        gradebook.write_json(collected, json_path)
    if csv_path:
        gradebook.write_csv(collected, csv_path, assignment, roster=roster, due=due)
    if canvas_path:
        gradebook.write_canvas(collected, canvas_path, assignment, roster=roster, name=canvas_name)
        print(gradebook.canvas_matched(roster), file=sys.stderr)
    if feedback_dir:
        # Only the students whose result changed (or whose file is gone), in parallel; index.json maps them.
        written, kept = feedback.write(collected, feedback_dir, lang, results_dir, jobs=jobs)
        print(f"feedback: {written} files written, {kept} unchanged, in {feedback_dir} (index: "
              f"{Path(feedback_dir) / feedback.INDEX})", file=sys.stderr)
    stats = batch.summary(collected, assignment)
    print(terminal.table(collected, assignment), file=out)
    print(terminal.summary_text(stats), file=out)
    gaps = terminal.roster_text(collected, roster, due)
    if gaps:
        print(gaps, file=out)
    attention = terminal.attention_text(collected)
    if attention:
        print(attention, file=out)
    print(terminal.isolation_text(stats, pinned), file=out)


def merge(*, result_dirs: Sequence[str | Path], json_path=None, csv_path=None, feedback_dir=None,
          lang: str | None = None, roster=None, due: str | None = None, canvas_path=None,
          canvas_name: str | None = None, out: TextIO = sys.stdout) -> list[SubmissionResult]:
    """Join results folders (shards, reruns) into one gradebook: every view, as ``grade`` writes them;
    options left None as the first folder remembers them (``settings``)."""
    for folder in result_dirs:
        if not Path(folder).is_dir():
            raise UsageError(f"{folder}: no such results folder")
    options, taken = settings.combine(
        dict(json_path=json_path, csv_path=csv_path, canvas_path=canvas_path, canvas_name=canvas_name,
             feedback_dir=feedback_dir, roster=roster, due=due, lang=lang), settings.read(result_dirs[0]))
    json_path, csv_path, canvas_path, canvas_name, feedback_dir, roster, due, lang = (
        options[k] for k in ("json_path", "csv_path", "canvas_path", "canvas_name", "feedback_dir", "roster", "due",
                             "lang"))
    lang = lang or messages.DEFAULT
    if taken:
        print(settings.taken_line(result_dirs[0], taken), file=sys.stderr)
    views = _gradebook_options(roster, due)
    collected, problems = batch.merge(result_dirs)
    for problem in problems:
        print(f"autograder: warning: {problem}", file=sys.stderr)
    ids = sorted({r.assignment for r in collected})
    if len(ids) > 1:
        raise UsageError(f"the folders hold results of {' and '.join(ids)}: merge one assignment at a time")
    if not ids:
        raise UsageError("no results in " + ", ".join(str(f) for f in result_dirs))
    write_views(collected, assignments.get(ids[0]), json_path=json_path, csv_path=csv_path,
                feedback_dir=feedback_dir, lang=lang, out=out, results_dir=result_dirs, views=views,
                canvas_path=canvas_path, canvas_name=canvas_name)
    gaps = shards.gaps(result_dirs, {r.id: r for r in collected})
    if gaps:
        raise Incomplete(f"the class is incomplete ({len(gaps)} shard problem{'s' if len(gaps) > 1 else ''}, "
                         "warned above); the views hold what there is: rerun the tasks named, then merge again")
    return collected


def report(*, result_dirs: Sequence[str | Path], report_dir: str | Path, assignment: str | None = None,
           lang: str = "zh", feedback_dirs: Sequence[str | Path] = (), similarity: float | None = None,
           submissions: Sequence[str] = (), base_corpus: Sequence[str] = (), out: TextIO = sys.stdout) -> Path:
    """The class report of the results in ``result_dirs`` (merged as ``merge`` merges them), in
    ``report_dir``; returns the path of its page."""
    class_report.check_options(similarity, base_corpus)
    for folder in result_dirs:
        if not Path(folder).is_dir():
            raise UsageError(f"{folder}: no such results folder")
    collected, problems = batch.merge(result_dirs)
    ids = sorted({r.assignment for r in collected})
    if assignment:
        try:
            chosen = assignments.get(assignment)
        except assignments.UnknownAssignment as exc:
            raise UsageError(str(exc)) from None
        collected = [r for r in collected if r.assignment == chosen.id]
    elif len(ids) > 1:
        raise UsageError(f"the folders hold results of {' and '.join(ids)}: give --assignment NAME")
    elif not ids:
        raise UsageError("no results in " + ", ".join(str(f) for f in result_dirs))
    else:
        chosen = assignments.get(ids[0])
    return class_report.run(collected=collected, assignment=chosen, out=report_dir, lang=lang,
                            feedback_dirs=feedback_dirs, problems=problems, similarity=similarity,
                            submissions=submissions, base_corpus=base_corpus, result_dirs=result_dirs, stream=out)
