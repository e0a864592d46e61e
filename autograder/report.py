"""Views of the results: the JSON list, the CSV gradebook, the terminal table, feedback files.

None of them computes anything: they read ``SubmissionResult``s, already sorted by id.

Ids, reasons and test outputs are student-controlled (a file name, printed text, an exception
message). The JSON keeps them exactly (it is data); every view made for people escapes them
(``readable``): ids shown unmistakably (``IdNames``, ``show_id``), other text ``visible``, every CSV
through ``readable.write_csv``, ``md_inline`` / ``md_fence`` in the Markdown feedback, and
``feedback_path`` for file names.
"""
import json
import re
import sys
from pathlib import Path

from . import results
from .readable import IdNames, short, show_id, visible
from .results import display, write_atomic

NAME_WIDTH = 40       # characters of an id in the terminal table (a longer one is cut, with a digest)


def _backtick_run(text):
    return max((len(run) for run in re.findall("`+", text)), default=0)


def md_inline(text):
    """Student-derived text inline in Markdown: a code span, so nothing in it is Markdown or HTML.

    Its delimiter is one backtick longer than the longest run in the text (CommonMark code spans end
    only at a run of the same length), on one line (control characters, newlines included, escaped)."""
    text = visible(text)
    ticks = "`" * (_backtick_run(text) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") or not text else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def md_fence(text):
    """Student-derived text as a fenced code block, as lines: the fence is longer than any run of
    backticks in the text, so no line of it can close the block (CommonMark)."""
    text = visible(str(text).replace("\r\n", "\n"), keep="\n\t")
    fence = "`" * max(3, _backtick_run(text) + 1)
    return [fence, text, fence]


def md_text(text):
    """Grader-written text that quotes values (a shape, a dtype): Markdown punctuation escaped."""
    return re.sub(r"([\\`*_\[\]<>&!|~#])", r"\\\1", visible(text))


def feedback_path(folder, submission_id):
    """The student's Markdown feedback file: named like their result file (``results.result_path``)."""
    return results.result_path(folder, submission_id, ".md")


def write_json(collected, path):
    write_atomic(path, [r.to_gradescope() for r in collected])


def table(collected, assignment, width=100):
    """The human summary: one line per submission."""
    parts = [f"{p} /{assignment.part_points[p]:g}" for p in assignment.parts]
    shown = IdNames(r.id for r in collected)
    names = [short(shown.show(r.id), NAME_WIDTH) for r in collected]
    name_width = max([len("student")] + [len(n) for n in names])
    lines = [f"{'student':<{name_width}}  {'total':>7}  " + "  ".join(f"{p:>15}" for p in parts) + "  status"]
    for r, name in zip(collected, names):
        scores = r.part_scores()
        status = visible(r.status if r.status == results.GRADED else f"{r.status}: {r.reason}")
        lines.append(f"{name:<{name_width}}  {display(r.score):>7}  "
                     + "  ".join(f"{display(scores[p]):>15}" for p in assignment.parts) + f"  {status[:width]}")
    return "\n".join(lines)


def summary_text(stats):
    parts = ", ".join(f"{p} {n}/{stats['graded']}" for p, n in stats["full_marks_per_part"].items())
    return (f"{stats['submissions']} submissions: {stats['graded']} graded, {stats['not_graded']} not graded; "
            f"mean {stats['mean']:g}, median {stats['median']:g} of {stats['total_points']:g}; "
            f"full marks per part: {parts}")


def isolation_text(stats, pinned=None, shown=5):
    """What the instructor must know about how the class was graded: the isolation of its results
    (and any that differ from this run's), and every submission the grader could not grade."""
    counts = stats.get("isolation", {})
    lines = ["isolation: " + "; ".join(f"{visible(kind)} ({n})" for kind, n in sorted(counts.items()))]
    if pinned:
        other = {k: n for k, n in counts.items() if k != pinned and k != "none (not run)"}
        if other:
            lines.append(f"WARNING: {sum(other.values())} results were graded with other isolation than this run's "
                         f"({visible(pinned)}), by an earlier run: "
                         + ", ".join(f"{visible(k)} ({n})" for k, n in sorted(other.items()))
                         + "; --force regrades them")
    errors = stats.get("grader_errors", [])
    if errors:
        lines.append(f"WARNING: {len(errors)} submissions were NOT graded (grader-error); rerun the same "
                     "command to grade them:")
        for r in errors[:shown]:
            lines.append(f"  {short(show_id(r.id), 60)}: {visible(r.reason)[:200]}")
        if len(errors) > shown:
            lines.append(f"  ... and {len(errors) - shown} more (status grader-error in the gradebook)")
    return "\n".join(lines)


def attention_text(collected, shown=20):
    """The ids to check before grades are imported (``IdNames.notes``): hidden characters, scripts
    mixed in a word, ids that look like another; empty when there are none."""
    names = IdNames(r.id for r in collected)
    flagged = names.flagged()
    if not flagged:
        return ""
    lines = [f"WARNING: {len(flagged)} ids need a look before grades are imported (they hide characters "
             "or look like another id; id_note in the gradebook):"]
    lines += [f"  {short(names.show(sid), 60)}: {names.note(sid)}" for sid in flagged[:shown]]
    if len(flagged) > shown:
        lines.append(f"  ... and {len(flagged) - shown} more (id_note in the gradebook)")
    return "\n".join(lines)


def _title(result, lang):
    return f"# {'評分回饋' if lang != 'en' else 'Feedback'}: {md_inline(show_id(result.id))}"


def feedback_markdown(result, lang="zh"):
    lines = [_title(result, lang), "",
             f"**{display(result.score)} / {result.rubric.total_points:g}**" + ("" if result.status == results.GRADED
                                                               else f" — {md_inline(f'{result.status}: {result.reason}')}"), ""]
    if result.output:
        lines += [*md_fence(result.output), ""]
    assignment = result.rubric
    for part in assignment.parts:
        tests = [t for t in result.tests if t.part == part]
        got = sum(t.score for t in tests)
        lines += [f"## {part} — {display(got)} / {assignment.part_points[part]:g}", ""]
        for t in tests:
            mark = "✓" if t.status == "passed" else "✗"
            # t.name is a rubric name (t.part above looked it up), never student text
            lines.append(f"### {mark} {t.name} — {display(t.score)} / {t.max_score:g}")
            if t.output:
                lines += ["", *md_fence(t.output)]
            lines.append("")
    return "\n".join(lines)


def _one_line(exc, limit=300):
    lines = str(exc).strip().splitlines()
    text = visible(f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": "))
    return text if len(text) <= limit else text[:limit] + " […]"


def _plot_section(result, path, lang, results_dir, warn):
    """The Markdown of the student's feedback plot (the assignment's ``plots``): the picture, or one
    line saying why there is none."""
    from . import plots
    figure = result.rubric.module("plots")
    if figure is None:
        return ""
    caption = figure.CAPTION[lang == "en"]
    png = path.with_suffix(".png")
    try:
        folders = [results_dir] if isinstance(results_dir, (str, Path)) else list(results_dir)
        found = [results.plot_path(d, result.id) for d in reversed(folders)]   # the later folder wins
        record = next((f for f in found if f.exists()), None)
        if record is None:
            return ""
        figure.render(record, png, lang=lang)
        return f"\n## {caption}\n\n![{caption}]({png.name})\n"
    except plots.Unplottable as exc:
        note = exc.note(lang)
    except Exception as exc:      # MemoryError included: one student's plot never stops the class
        warn(f"autograder: warning: {show_id(result.id)}: feedback plot not drawn: {_one_line(exc)}")
        note = plots.Unplottable("failed", error=type(exc).__name__).note(lang)
    try:
        png.unlink(missing_ok=True)   # neither a half-written picture nor one from an earlier run
    except OSError:
        pass
    return f"\n## {caption}\n\n{md_text(note)}\n"


def _warn_stderr(line):
    print(line, file=sys.stderr, flush=True)


def write_feedback(collected, folder, lang="zh", results_dir=None, warn=_warn_stderr):
    """One Markdown file per student; with the results folder (or folders, as ``merge`` joins them),
    the assignment's feedback figure (its ``plots.py``) beside it.

    One student's data never stops the others: what cannot be drawn or written is a one-line note in
    their feedback, and an unexpected failure also a one-line ``warn`` (stderr by default)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for result in collected:
        try:
            path = feedback_path(folder, result.id)
            try:
                text = feedback_markdown(result, lang)
            except Exception as exc:
                warn(f"autograder: warning: {show_id(result.id)}: feedback incomplete: {_one_line(exc)}")
                note = ("評分程式無法寫出完整的回饋（{error}）" if lang != "en"
                        else "the grader could not write the full feedback ({error})").format(error=type(exc).__name__)
                text = "\n".join([_title(result, lang), "", md_text(note), ""])
            if results_dir:
                text += _plot_section(result, path, lang, results_dir, warn)
            path.write_text(text, encoding="utf-8")
        except Exception as exc:
            warn(f"autograder: warning: {show_id(result.id)}: no feedback written: {_one_line(exc)}")


def dumps(collected):
    return json.dumps(results.strict([r.to_gradescope() for r in collected]), ensure_ascii=False, indent=1,
                      allow_nan=False)
