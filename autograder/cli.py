"""Command line: ``python -m autograder {grade,merge,gradescope,course,rubric,demo}``.

The CLI only parses arguments and calls one keyword-only function per command; errors the user can
fix (a path that does not exist, a bad --shard) end it with a one-line reason and exit status 2.
"""
import argparse
import sys
from pathlib import Path

from . import batch, discover, gradebook, messages, report, rubric, sandbox


class UsageError(Exception):
    pass


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


def grade(*, paths, json_path=None, csv_path=None, jobs=None, results_dir=None, force=False, shard=None,
          lang="zh", feedback_dir=None, quiet=False, limits=(), roster=None, due=None, canvas_path=None,
          out=sys.stdout):
    """Grade submissions and write the gradebook views; returns the collected results."""
    try:
        parsed = sandbox.parse_limits(limits)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    views = _gradebook_options(roster, due)
    try:
        submissions = discover.find(paths)
    except discover.DiscoveryError as exc:
        raise UsageError(str(exc)) from None
    whole_class = submissions
    if shard:
        submissions = batch.shard(submissions, *shard)
    if results_dir is None:
        results_dir = Path(json_path).with_suffix(".results") if json_path else Path("autograder-results")
    todo = batch.pending(submissions, results_dir, force=force)
    pinned = sandbox.isolation()     # chosen once: batch.run pins it for every worker
    print(sandbox.describe(pinned, parsed), file=sys.stderr)
    print(f"{len(submissions)} submissions, {len(submissions) - len(todo)} already graded "
          f"(results in {results_dir}{'' if force else '; --force regrades'})", file=sys.stderr)
    progress, close = _progress_bar(len(todo), quiet)
    try:
        batch.run(todo, results_dir, jobs=jobs, lang=lang, limits=limits, progress=progress)
    finally:
        close()
    if shard:
        batch.write_run(results_dir, whole_class, shard)
    collected = batch.collect(submissions, results_dir)
    # The results folder is the gradebook: results of earlier runs in it (the rest of the class, when
    # one student is regraded) stay in the views, updated only where this run graded.
    graded_now = {r.id for r in collected}
    earlier, _ = batch.merge([results_dir])
    earlier = [r for r in earlier if r.id not in graded_now]
    if earlier:
        print(f"{len(earlier)} more results from earlier runs in {results_dir} are in the gradebook "
              "(delete a result file there to drop it)", file=sys.stderr)
    collected = sorted(collected + earlier, key=lambda r: r.id)
    _write_views(collected, json_path, csv_path, feedback_dir, lang, out, results_dir, pinned,
                 views=views, canvas_path=canvas_path)
    return collected


def _write_views(collected, json_path, csv_path, feedback_dir, lang, out, results_dir=None, pinned=None,
                 views=(None, None), canvas_path=None):
    roster, due = views
    if roster:
        strangers = [r.id for r in collected if r.id not in roster]
        if strangers:
            print(f"autograder: warning: {len(strangers)} submissions are not in the roster (first: "
                  f"{report.visible(strangers[0])}); their rows have no name", file=sys.stderr)
    if json_path:
        report.write_json(collected, json_path)
    if csv_path:
        gradebook.write_csv(collected, csv_path, roster=roster, due=due)
    if canvas_path:
        gradebook.write_canvas(collected, canvas_path, discover.ASSIGNMENT, roster=roster)
    if feedback_dir:
        report.write_feedback(collected, feedback_dir, lang, results_dir)
    stats = batch.summary(collected)
    print(report.table(collected), file=out)
    print(report.summary_text(stats), file=out)
    print(report.isolation_text(stats, pinned), file=out)


def merge(*, result_dirs, json_path=None, csv_path=None, feedback_dir=None, lang="zh", roster=None, due=None,
          canvas_path=None, out=sys.stdout):
    views = _gradebook_options(roster, due)
    for folder in result_dirs:
        if not Path(folder).is_dir():
            raise UsageError(f"{folder}: no such results folder")
    collected, problems = batch.merge(result_dirs)
    for problem in problems:
        print(f"autograder: warning: {problem}", file=sys.stderr)
    _write_views(collected, json_path, csv_path, feedback_dir, lang, out, result_dirs, views=views,
                 canvas_path=canvas_path)
    return collected


def _shard(text):
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--shard takes K/N, e.g. 2/8 (got {text!r})") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"--shard {text}: K must be between 1 and N")
    return k, n


def _gradebook_arguments(p):
    p.add_argument("--roster", metavar="ROSTER.csv",
                   help="join names and e-mails by student id (a CSV with an id/student_id column); "
                        "roster students without a submission get a 'missing' row")
    p.add_argument("--due", metavar="DATE", help="due date (ISO 8601, e.g. 2026-11-30T23:59+08:00): the CSV "
                                                 "says how late each nbgrader submission was (no penalty)")
    p.add_argument("--canvas", dest="canvas_path", metavar="OUT.csv", help="also write a Canvas gradebook import file")


def parser():
    p = argparse.ArgumentParser(prog="python -m autograder",
                                description="Hidden autograder of the backprop exercise kit.")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("grade", help="grade submissions (files, folders, or nbgrader's submitted/ layout)")
    g.add_argument("paths", nargs="+", metavar="PATH")
    g.add_argument("--json", dest="json_path", metavar="OUT.json", help="results, one object per submission")
    g.add_argument("--csv", dest="csv_path", metavar="OUT.csv", help="gradebook, one row per submission")
    g.add_argument("--jobs", type=int, default=None, help="parallel workers (default: CPU cores)")
    g.add_argument("--results-dir", type=Path, help="per-submission results (default: OUT.results/)")
    g.add_argument("--force", action="store_true", help="regrade submissions that already have a result")
    g.add_argument("--shard", type=_shard, metavar="K/N", help="grade only the K-th of N slices of the class")
    g.add_argument("--lang", choices=messages.LANGUAGES, default="zh", help="feedback language (default zh)")
    g.add_argument("--feedback", dest="feedback_dir", type=Path, help="write one Markdown feedback file per student")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    g.add_argument("--limit", dest="limits", action="append", default=[], metavar="NAME=VALUE",
                   help="override a sandbox limit, e.g. request_seconds=30 or memory_bytes=4e9 (see README)")
    _gradebook_arguments(g)

    m = sub.add_parser("merge", help="join results folders (e.g. from shards) into one gradebook")
    m.add_argument("result_dirs", nargs="+", metavar="RESULTS_DIR")
    m.add_argument("--json", dest="json_path", metavar="OUT.json")
    m.add_argument("--csv", dest="csv_path", metavar="OUT.csv")
    m.add_argument("--feedback", dest="feedback_dir", type=Path)
    m.add_argument("--lang", choices=messages.LANGUAGES, default="zh")
    _gradebook_arguments(m)

    z = sub.add_parser("gradescope", help="build the Gradescope autograder bundle (autograder.zip)")
    z.add_argument("--out", type=Path, default=Path("autograder.zip"))
    z.add_argument("--lang", choices=messages.LANGUAGES, default="zh", help="feedback language (default zh)")
    z.add_argument("--visibility", action="append", default=[], metavar="PATTERN=VALUE",
                   help="per-test visibility on Gradescope, e.g. 'train_xor*=after_published' or 'Sigmoid=hidden' "
                        "(a test's name or part; VALUE: visible, hidden, after_due_date, after_published)")

    k = sub.add_parser("course", help="write an nbgrader course folder that uses the kit (config + source notebooks)")
    k.add_argument("folder", type=Path, metavar="DIR")
    k.add_argument("--assignment", dest="names", action="append", metavar="NAME",
                   help="only this assignment (repeatable; default: all)")
    k.add_argument("--lang", choices=messages.LANGUAGES, default="zh", help="feedback language (default zh)")
    k.add_argument("--force", action="store_true", help="overwrite an existing nbgrader_config.py")

    sub.add_parser("rubric", help="print the points table (Markdown)")
    d = sub.add_parser("demo", help="run the solved notebook and grade the bundled sample class")
    d.add_argument("--out", type=Path, default=Path("demo-output"))
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        parser().error("--jobs must be at least 1")
    try:
        if args.command == "grade":
            options = {k: v for k, v in vars(args).items() if k != "command"}
            grade(**options)
        elif args.command == "merge":
            merge(**{k: v for k, v in vars(args).items() if k != "command"})
        elif args.command == "gradescope":
            from . import gradescope
            try:
                print(f"wrote {gradescope.build(args.out, lang=args.lang, visibility=args.visibility)}")
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        elif args.command == "course":
            from . import course
            try:
                names = course.create(args.folder, names=args.names, lang=args.lang, force=args.force)
            except course.CourseError as exc:
                raise UsageError(str(exc)) from None
            print(course.next_steps(args.folder, names))
        elif args.command == "rubric":
            print(rubric.markdown_table())
        elif args.command == "demo":
            from . import demo
            demo.main(out=args.out)
    except UsageError as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 2
    return 0
