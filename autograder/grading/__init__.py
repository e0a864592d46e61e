"""What the CLI's commands do, as keyword-only functions: ``grade`` a class, ``merge`` result folders,
``report`` on them.

Both end in the same views of the results (JSON, CSV gradebook, Canvas file, feedback files, the
terminal table). A run grades one assignment: named with ``assignment``, or told by the submissions
(nbgrader's ``submitted/<student>/<assignment>/`` folders, else the notebooks' own metadata); a
folder that mixes two is an error naming both. Errors the user can fix raise ``UsageError`` with a
one-line reason.
"""
import json
import sys
from pathlib import Path

from autograder import assignments, sandbox
from autograder.grading import batch
from autograder.find import discover
from autograder.errors import UsageError
from autograder.views import gradebook, readable, terminal
from autograder.views import report as class_report


def _progress_bar(total, quiet):
    if quiet or total == 0:
        return None, lambda: None
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


def _notebook_assignment(path):
    """The assignment id a notebook's metadata carries (the release puts it there), or None."""
    try:
        data, _ = discover.read_regular(path, 20 * 1024 * 1024)
        metadata = json.loads(data).get("metadata", {})
        value = metadata.get("exercise_kit", {}).get("assignment")
        return value if isinstance(value, str) else None
    except (discover.Refused, ValueError, AttributeError, RecursionError, MemoryError):
        return None


def choose_assignment(paths, name=None):
    """The Assignment the submissions under ``paths`` are for: ``name`` if given, else nbgrader's
    assignment folders, else the notebooks' metadata. UsageError when they mix assignments or
    nothing tells (a folder of .py files without ``--assignment``)."""
    known = assignments.known()
    listing = ", ".join(known)
    if name is not None:
        try:
            return assignments.get(name)
        except assignments.UnknownAssignment as exc:
            raise UsageError(str(exc)) from None
    for given in paths:
        if not Path(given).exists():
            raise UsageError(f"{discover.name_text(given)}: no such file or folder")
    folders = discover.nbgrader_assignment_names(paths) & set(known)
    if len(folders) > 1:
        raise UsageError(f"the submissions mix assignments {' and '.join(sorted(folders))}: grade one at a time "
                         "with --assignment NAME")
    if folders:
        return known[folders.pop()]
    tagged = {}                 # assignment id -> the notebooks whose metadata names it
    for given in paths:
        path = Path(given)
        files = [path] if path.is_file() else [s.path for s in discover.entries(path) if not s.problem]
        for f in files:
            found = _notebook_assignment(f) if Path(f).suffix == ".ipynb" else None
            if found in known:
                tagged.setdefault(found, []).append(f)
    if len(tagged) > 1:
        # Name how many of each and one file, so a single odd notebook (or edited metadata) stands out.
        mix = " and ".join(f"{name} ({len(files)}, e.g. {discover.name_text(Path(files[0]).name)})"
                           for name, files in sorted(tagged.items(), key=lambda item: -len(item[1])))
        raise UsageError(f"the notebooks mix assignments {mix}: grade one at a time with --assignment NAME")
    if tagged:
        return known[next(iter(tagged))]
    raise UsageError(f"cannot tell which assignment these submissions are for; give --assignment NAME "
                     f"(one of: {listing})")


def grade(*, paths, assignment=None, json_path=None, csv_path=None, jobs=None, results_dir=None, force=False,
          shard=None, lang="zh", feedback_dir=None, quiet=False, limits=(), roster=None, due=None, canvas_path=None,
          report_dir=None, similarity=None, base_corpus=(), out=sys.stdout):
    """Grade submissions and write the gradebook views; returns the collected results."""
    if similarity is not None and not report_dir:
        raise UsageError("--similarity is a section of the class report: give --report DIR too")
    if base_corpus and similarity is None:
        raise UsageError("--base-corpus is compared by --similarity: give --similarity T too")
    try:
        parsed = sandbox.parse_limits(limits)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    views = _gradebook_options(roster, due)
    chosen = choose_assignment(paths, assignment)
    try:
        submissions = discover.find(paths, chosen)
    except discover.DiscoveryError as exc:
        raise UsageError(str(exc)) from None
    whole_class = submissions
    if shard:
        submissions = batch.shard(submissions, *shard)
    if results_dir is None:
        results_dir = Path(json_path).with_suffix(".results") if json_path else Path("autograder-results")
    todo = batch.pending(submissions, results_dir, chosen, force=force)
    pinned = sandbox.isolation()     # chosen once: batch.run pins it for every worker
    refused = sandbox.unsandboxed_problem(pinned, chosen.reference, whole_class)
    if refused:
        raise UsageError(refused)
    print(sandbox.describe(pinned, parsed), file=sys.stderr)
    print(f"{chosen.id}: {len(submissions)} submissions, {len(submissions) - len(todo)} already graded "
          f"(results in {results_dir}{'' if force else '; --force regrades'})", file=sys.stderr)
    progress, close = _progress_bar(len(todo), quiet)
    try:
        batch.run(todo, results_dir, assignment=chosen, jobs=jobs, lang=lang, limits=limits, progress=progress)
    finally:
        close()
    if shard:
        batch.write_run(results_dir, whole_class, shard)
    collected = batch.collect(submissions, results_dir, chosen)
    # The results folder is the gradebook: results of earlier runs in it (the rest of the class, when
    # one student is regraded) stay in the views, updated only where this run graded.
    graded_now = {r.id for r in collected}
    earlier, _ = batch.merge([results_dir])
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
                out=out, results_dir=results_dir, pinned=pinned, views=views, canvas_path=canvas_path, jobs=jobs)
    if report_dir:
        class_report.run(collected=collected, assignment=chosen, out=report_dir, lang=lang,
                         feedback_dirs=[feedback_dir] if feedback_dir else [], similarity=similarity,
                         submissions=paths, base_corpus=base_corpus, result_dirs=[results_dir], stream=out)
    return collected


def write_views(collected, assignment, *, json_path=None, csv_path=None, feedback_dir=None, lang="zh",
                out=sys.stdout, results_dir=None, pinned=None, views=(None, None), canvas_path=None, jobs=None):
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
        gradebook.write_canvas(collected, canvas_path, assignment, roster=roster)
    if feedback_dir:
        # Only the students whose result changed (or whose file is gone), in parallel; index.json maps them.
        from autograder.views import feedback
        written, kept = feedback.write(collected, feedback_dir, lang, results_dir, jobs=jobs)
        print(f"feedback: {written} files written, {kept} unchanged, in {feedback_dir} (index: "
              f"{Path(feedback_dir) / feedback.INDEX})", file=sys.stderr)
    stats = batch.summary(collected, assignment)
    print(terminal.table(collected, assignment), file=out)
    print(terminal.summary_text(stats), file=out)
    attention = terminal.attention_text(collected)
    if attention:
        print(attention, file=out)
    print(terminal.isolation_text(stats, pinned), file=out)


def merge(*, result_dirs, json_path=None, csv_path=None, feedback_dir=None, lang="zh", roster=None, due=None,
          canvas_path=None, out=sys.stdout):
    views = _gradebook_options(roster, due)
    for folder in result_dirs:
        if not Path(folder).is_dir():
            raise UsageError(f"{folder}: no such results folder")
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
                canvas_path=canvas_path)
    return collected


def report(*, result_dirs, report_dir, assignment=None, lang="zh", feedback_dirs=(), similarity=None,
           submissions=(), base_corpus=(), out=sys.stdout):
    """The class report of the results in ``result_dirs`` (merged as ``merge`` merges them), in
    ``report_dir``; returns the path of its page."""
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
