"""Command line: ``python -m autograder {grade,merge,report,list,rubric,gradescope,course,demo}``.

The CLI only parses arguments and calls one keyword-only function per command (``grading``,
``views.report``, ``gradescope_bundle``, ``course``, ``demo``); errors the user can fix (a path that
does not exist, a bad --shard, an unknown assignment) end it with a one-line reason and exit status 2; a
merge of a sharded class some of whose shards are missing or unfinished writes what it has and exits 3.
"""
import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from autograder import assignments, messages
from autograder.assignment import Assignment
from autograder.grading import Incomplete, UsageError, grade, merge, report
from autograder.routes import gradescope_bundle, schedulers


def _shard(text):
    """``K/N``, or ``auto/N`` (the scheduler's task index is K: ``routes.schedulers``)."""
    first, _, count = text.partition("/")
    try:
        n = int(count)
        k = None if first == "auto" else int(first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--shard takes K/N or auto/N, e.g. 2/8 (got {text!r})") from None
    if n < 1 or (k is not None and not 1 <= k <= n):
        raise argparse.ArgumentTypeError(f"--shard {text}: K must be between 1 and N")
    return ("auto" if k is None else k), n


def _slot(shard):
    """``(K, N)`` of ``--shard``: an ``auto`` K read from the scheduler's environment, said on stderr."""
    if shard is None or shard[0] != "auto":
        return shard
    try:
        found = schedulers.slot(shard[1])
    except schedulers.SchedulerError as exc:
        raise UsageError(str(exc)) from None
    print(f"autograder: {found.says()}", file=sys.stderr)
    return found.index, found.count


def _gradebook_arguments(p):
    p.add_argument("--roster", metavar="ROSTER.csv",
                   help="join names and e-mails by student id (a CSV with an id/student_id column); "
                        "roster students without a submission get a 'missing' row")
    p.add_argument("--due", metavar="DATE",
                   help="due date with its offset from UTC (ISO 8601, e.g. 2026-11-30T23:59+08:00): the CSV "
                        "says how late each nbgrader submission was (no penalty)")
    p.add_argument("--canvas", dest="canvas_path", metavar="OUT.csv", help="also write a Canvas gradebook import file")
    p.add_argument("--canvas-name", metavar="NAME",
                   help="the Canvas assignment's column as Canvas exports it, e.g. 'Backprop basics (12345)' "
                        "(default: the assignment's id, which Canvas imports as a new assignment)")


def _threshold(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--similarity takes a number between 0 and 1 (got {text!r})") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"--similarity {text}: the threshold must be in (0, 1]")
    return value


def _report_arguments(p, flag, required=False):
    p.add_argument(flag, dest="report_dir", type=Path, metavar="DIR", required=required,
                   help="write the class report (index.html, PNG figures, CSV and JSON) into DIR")
    p.add_argument("--similarity", type=_threshold, default=None, metavar="T",
                   help="in the report, flag pairs of submissions whose own code is at least T similar (e.g. 0.8), "
                        "and each submission at least T similar to the reference solution")
    p.add_argument("--base-corpus", action="append", default=[], type=Path, metavar="DIR",
                   help="with --similarity: also compare each submission with these earlier terms' submissions "
                        "(a class folder as grade takes it; repeatable)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m autograder",
                                description="The exercise kit's autograder: grade a class, build the bundles, "
                                            "list the assignments.")
    sub = p.add_subparsers(dest="command", required=True)
    which = "the assignment (see `list`); told by the submissions when omitted"

    g = sub.add_parser("grade", help="grade submissions (files, folders, or nbgrader's submitted/ layout)")
    g.add_argument("paths", nargs="+", metavar="PATH")
    g.add_argument("--assignment", metavar="NAME", help=which)
    g.add_argument("--json", dest="json_path", metavar="OUT.json", help="results, one object per submission")
    g.add_argument("--csv", dest="csv_path", metavar="OUT.csv", help="gradebook, one row per submission")
    g.add_argument("--jobs", type=int, default=None, help="parallel workers (default: CPU cores)")
    g.add_argument("--results-dir", type=Path, help="per-submission results (default: OUT.results/)")
    g.add_argument("--force", action="store_true", help="regrade submissions that already have a result")
    g.add_argument("--shard", type=_shard, metavar="K/N",
                   help="grade only the K-th of N slices of the class; auto/N takes K from a Slurm, Kubernetes or "
                        "AWS Batch array task's index (docs/SCHEDULERS.md)")
    g.add_argument("--lang", choices=messages.LANGUAGES, default=None,
                   help="feedback language (default: as the results folder remembers it, else zh)")
    g.add_argument("--feedback", dest="feedback_dir", type=Path, help="write one Markdown feedback file per student")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    g.add_argument("--limit", dest="limits", action="append", default=[], metavar="NAME=VALUE",
                   help="override a sandbox limit, e.g. request_seconds=30 or memory_bytes=4e9 (see README)")
    _gradebook_arguments(g)
    _report_arguments(g, "--report")

    m = sub.add_parser("merge", help="join results folders (e.g. from shards) into one gradebook")
    m.add_argument("result_dirs", nargs="+", metavar="RESULTS_DIR")
    m.add_argument("--json", dest="json_path", metavar="OUT.json")
    m.add_argument("--csv", dest="csv_path", metavar="OUT.csv")
    m.add_argument("--feedback", dest="feedback_dir", type=Path)
    m.add_argument("--lang", choices=messages.LANGUAGES, default=None,
                   help="feedback language (default: as the first folder remembers it, else zh)")
    _gradebook_arguments(m)

    c = sub.add_parser("report", help="the class report: what the class got wrong (HTML, PNG, CSV, JSON)")
    c.add_argument("result_dirs", nargs="+", type=Path, metavar="RESULTS_DIR",
                   help="results folders (grade --results-dir; shards are merged)")
    c.add_argument("--assignment", metavar="NAME", help="the assignment (default: the one the results are of)")
    c.add_argument("--lang", choices=messages.LANGUAGES, default="zh", help="report language (default zh, 繁體中文)")
    c.add_argument("--feedback", dest="feedback_dirs", type=Path, action="append", default=[], metavar="DIR",
                   help="feedback folder(s) written by grade --feedback, to link each student's feedback")
    c.add_argument("--submissions", action="append", default=[], metavar="PATH",
                   help="a class folder as given to grade (repeatable; for --similarity; "
                        "default: each result's submission path)")
    _report_arguments(c, "--out", required=True)

    sub.add_parser("list", help="the assignments, with their parts and points")
    r = sub.add_parser("rubric", help="print an assignment's points table (Markdown)")
    r.add_argument("--assignment", metavar="NAME", help="the assignment (default: all, one table each)")
    r.add_argument("--readme", type=Path, metavar="README.md",
                   help="write each table between <!-- rubric:ID:start --> and <!-- rubric:ID:end --> in this file")

    z = sub.add_parser("gradescope", help="build the Gradescope autograder bundle of one assignment")
    z.add_argument("--assignment", metavar="NAME", help="the assignment (see `list`); required")
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

    d = sub.add_parser("demo", help="run each solved notebook and grade its bundled sample class")
    d.add_argument("--assignment", metavar="NAME", help="only this assignment (default: all)")
    d.add_argument("--out", type=Path, default=Path("demo-output"))
    return p


def _assignment(name: str) -> Assignment:
    try:
        return assignments.get(name)
    except assignments.UnknownAssignment as exc:
        raise UsageError(str(exc)) from None


def readme_block(assignment: Assignment) -> str:
    """The assignment's points table between the markers ``write_tables`` finds."""
    return f"<!-- rubric:{assignment.id}:start -->\n{assignment.markdown_table()}\n<!-- rubric:{assignment.id}:end -->"


def write_tables(path: Path, chosen: Iterable[Assignment]) -> None:
    """Put each assignment's points table into its block of ``path`` (the README): generated, never pasted."""
    text = path.read_text(encoding="utf-8")
    for assignment in chosen:
        pattern = re.compile(rf"<!-- rubric:{re.escape(assignment.id)}:start -->\n.*?"
                             rf"<!-- rubric:{re.escape(assignment.id)}:end -->", re.S)
        if not pattern.search(text):
            raise UsageError(f"{path} has no block <!-- rubric:{assignment.id}:start --> ... "
                             f"<!-- rubric:{assignment.id}:end --> for its points table: add one")
        text = pattern.sub(lambda m: readme_block(assignment), text)
    path.write_text(text, encoding="utf-8")


def listing() -> str:
    """One block per assignment: its id, title, parts with their points, total."""
    lines = []
    for assignment in assignments.known().values():
        parts = ", ".join(f"{part} {points:g}" for part, points in assignment.part_points.items())
        lines.append(f"{assignment.id}  {assignment.title}\n    parts: {parts}; total {assignment.total_points:g}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status (2 for an error the user can fix)."""
    args = parser().parse_args(argv)
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        parser().error("--jobs must be at least 1")
    try:
        if args.command == "grade":
            args.shard = _slot(args.shard)
            grade(**{k: v for k, v in vars(args).items() if k != "command"})
        elif args.command == "merge":
            merge(**{k: v for k, v in vars(args).items() if k != "command"})
        elif args.command == "report":
            report(**{k: v for k, v in vars(args).items() if k != "command"})
        elif args.command == "list":
            print(listing())
        elif args.command == "rubric":
            chosen = [_assignment(args.assignment)] if args.assignment else list(assignments.known().values())
            if args.readme:
                write_tables(args.readme, chosen)
            else:
                print("\n\n".join(f"## {a.id}\n\n{a.markdown_table()}" if len(chosen) > 1 else a.markdown_table()
                                  for a in chosen))
        elif args.command == "gradescope":
            if args.assignment is None:
                raise UsageError("gradescope builds one assignment's bundle: give --assignment NAME (one of: "
                                 + ", ".join(assignments.known()) + ")")
            try:
                built = gradescope_bundle.build(args.out, _assignment(args.assignment), lang=args.lang,
                                                visibility=args.visibility)
                print(f"wrote {built}")
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        elif args.command == "course":
            # Only here: course/ (nbgrader's folder, the demo) is not in the Gradescope bundle.
            from autograder.course import folder as course
            try:
                names = course.create(args.folder, names=args.names, lang=args.lang, force=args.force)
            except course.CourseError as exc:
                raise UsageError(str(exc)) from None
            print(course.next_steps(args.folder, names))
        elif args.command == "demo":
            from autograder.course import demo   # not in the Gradescope bundle either (nbformat, nbclient)
            chosen = [_assignment(args.assignment)] if args.assignment else list(assignments.known().values())
            demo.main(chosen, out=args.out)
    except Incomplete as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 3
    except UsageError as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 2
    return 0
