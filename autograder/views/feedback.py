"""Each student's feedback: a Markdown file and their training plot, written at class speed.

``write_feedback`` writes the files: the score, each part's tests with what they measured, the
picture the assignment's ``plots.py`` draws from the run it recorded. Student-derived text goes into
Markdown only inside code spans or fenced blocks (``md_inline``, ``md_fence``), never as Markdown;
file names come from ``feedback_path`` (named like the student's result file).

``write`` writes only the students whose result changed, in parallel, and keeps ``index.json`` in
the feedback folder: for each student, the feedback file, the picture beside it (if any) and a
digest of everything the file is made from -- the result (without when it was graded and how long
it took), its plot record's bytes, the language, and the code that writes feedback (this module,
``readable.py``, ``plots.py``, the assignment's ``plots.py``, the engine's and the assignment's
``messages/``). A student whose digest is unchanged and whose files are still there is skipped; the
others are written in ``jobs`` worker processes (drawing a PNG is what takes the time).
``index.csv`` is the same mapping for a spreadsheet, its ids shown and noted as in the gradebook
(``readable.IdNames``). Neither name can be a student's file: those end in ``.md`` or ``.png``.
"""
import concurrent.futures
import hashlib
import json
import os
import re
import sys
from pathlib import Path

from autograder import messages, results
from autograder.results import display
from autograder.views import plots, readable
from autograder.views.readable import show_id, visible


def _backtick_run(text):
    return max((len(run) for run in re.findall("`+", text)), default=0)


def md_inline(text: str) -> str:
    """Student-derived text inline in Markdown: a code span, so nothing in it is Markdown or HTML.

    Its delimiter is one backtick longer than the longest run in the text (CommonMark code spans end
    only at a run of the same length), on one line (control characters, newlines included, escaped)."""
    text = visible(text)
    ticks = "`" * (_backtick_run(text) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") or not text else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def md_fence(text: object) -> list[str]:
    """Student-derived text as a fenced code block, as lines: the fence is longer than any run of
    backticks in the text, so no line of it can close the block (CommonMark)."""
    text = visible(str(text).replace("\r\n", "\n"), keep="\n\t")
    fence = "`" * max(3, _backtick_run(text) + 1)
    return [fence, text, fence]


def md_text(text: str) -> str:
    """Grader-written text that quotes values (a shape, a dtype): Markdown punctuation escaped."""
    return re.sub(r"([\\`*_\[\]<>&!|~#])", r"\\\1", visible(text))


def feedback_path(folder: str | Path, submission_id: str) -> Path:
    """The student's Markdown feedback file: named like their result file (``results.result_path``)."""
    return results.result_path(folder, submission_id, ".md")


def _title(result, words):
    return f"# {words('feedback.title')}: {md_inline(show_id(result.id))}"


def feedback_markdown(result: results.SubmissionResult, lang: str = "zh") -> str:
    """The student's feedback file as Markdown: the score, then each part's tests and what they measured."""
    assignment = result.checked_rubric()
    lines = [_title(result, messages.catalog(lang)), "",
             f"**{display(result.score)} / {assignment.total_points:g}**"
             + ("" if result.status == results.GRADED else f" — {md_inline(f'{result.status}: {result.reason}')}"), ""]
    if result.output:
        lines += [*md_fence(result.output), ""]
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
    figure = result.rubric.module("plots")
    if figure is None:
        return ""
    words = messages.catalog(lang, result.rubric)
    caption = words("plot.caption")
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
        note = exc.note(words)
    except Exception as exc:      # MemoryError included: one student's plot never stops the class
        warn(f"autograder: warning: {show_id(result.id)}: feedback plot not drawn: {_one_line(exc)}")
        note = plots.Unplottable("failed", error=type(exc).__name__).note(words)
    try:
        png.unlink(missing_ok=True)   # neither a half-written picture nor one from an earlier run
    except OSError:
        pass
    return f"\n## {caption}\n\n{md_text(note)}\n"


def _warn_stderr(line):
    print(line, file=sys.stderr, flush=True)


def write_feedback(collected: list, folder, lang: str = "zh", results_dir=None, warn=_warn_stderr) -> None:
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
                words = messages.catalog(lang)
                note = words("feedback.incomplete", error=type(exc).__name__)
                text = "\n".join([_title(result, words), "", md_text(note), ""])
            if results_dir:
                text += _plot_section(result, path, lang, results_dir, warn)
            path.write_text(text, encoding="utf-8")
        except Exception as exc:
            warn(f"autograder: warning: {show_id(result.id)}: no feedback written: {_one_line(exc)}")


INDEX = "index.json"
INDEX_CSV = "index.csv"
INLINE = 4        # this many files or fewer are written in this process (a pool costs more)


def _code_digest(assignment):
    digest = hashlib.sha256()
    engine = Path(__file__).resolve().parent
    catalogs = [*sorted(Path(messages.__file__).parent.glob("*.py")),
             *sorted((Path(assignment.folder) / "messages").glob("*.py"))]
    for path in (engine / "feedback.py", engine / "readable.py", engine / "plots.py", engine / "fonts.py",
                 Path(assignment.folder) / "plots.py", *catalogs):
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


def _record_digest(result, results_dir):
    if not results_dir:
        return "none"
    folders = [results_dir] if isinstance(results_dir, (str, Path)) else list(results_dir)
    for folder in reversed(folders):      # the later folder wins, as in _plot_section
        path = results.plot_path(folder, result.id)
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    return "none"


def digest(result: results.SubmissionResult, lang: str, results_dir, code: str) -> str:
    data = result.to_gradescope()
    for volatile in ("graded_at", "execution_time", "isolation"):
        data.pop(volatile, None)
    text = json.dumps(results.strict(data), sort_keys=True, ensure_ascii=False)
    parts = [code, lang, _record_digest(result, results_dir), text]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def read_index(folder) -> dict:
    try:
        with open(Path(folder) / INDEX, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data.get("students"), dict) else {"students": {}}
    except (OSError, ValueError, AttributeError):
        return {"students": {}}


def _write_chunk(chunk, folder, lang, results_dir):
    write_feedback(chunk, folder, lang, results_dir)
    return len(chunk)


def write(collected: list, folder, lang: str = "zh", results_dir=None, jobs: int | None = None) -> tuple:
    """Feedback for ``collected`` in ``folder``; returns (written, skipped)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    old = read_index(folder)["students"]
    codes = {}
    entries, stale = {}, []
    for result in collected:
        assignment = result.assignment
        if assignment not in codes:
            codes[assignment] = _code_digest(result.rubric)
        md = feedback_path(folder, result.id)
        entry = {"feedback": md.name, "digest": digest(result, lang, results_dir, codes[assignment]),
                 "score": result.score, "status": result.status}
        before = old.get(result.id) or {}
        fresh = (before.get("digest") == entry["digest"] and md.is_file()
                 and (not before.get("plot") or (folder / before["plot"]).is_file()))
        if not fresh:
            stale.append(result)
        entries[result.id] = entry
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(stale) or 1))
    if len(stale) <= INLINE or jobs == 1:
        write_feedback(stale, folder, lang, results_dir)
    else:
        chunks = [stale[k::jobs] for k in range(jobs)]
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
            for future in [pool.submit(_write_chunk, c, folder, lang, results_dir) for c in chunks if c]:
                future.result()
    for sid, entry in entries.items():
        png = (folder / entry["feedback"]).with_suffix(".png")
        entry["plot"] = png.name if png.is_file() else None
        if not (folder / entry["feedback"]).is_file():   # could not be written: never indexed as fresh
            entry["digest"] = ""
    students = {**old, **entries}
    results.write_atomic(folder / INDEX, {"lang": lang, "students": students})
    names = readable.IdNames(students)
    table = [["student", "feedback", "plot", "score", "status", "id_note"]]
    for sid in names.ids:
        e = students[sid]
        table.append([names.show(sid), e.get("feedback", ""), e.get("plot") or "",
                      results.score_text(e.get("status", ""), e.get("score") or 0, ""), e.get("status", ""),
                      names.note(sid)])
    readable.write_csv(folder / INDEX_CSV, table)
    return len(stale), len(collected) - len(stale)
