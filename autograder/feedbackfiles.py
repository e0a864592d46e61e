"""Feedback files at class speed: only the students whose result changed, in parallel, with an index.

``write`` keeps ``index.json`` in the feedback folder: for each student, the feedback file, the
picture beside it (if any) and a digest of everything the file is made from -- the result (without
when it was graded and how long it took), its plot record's bytes, the language, and the code that
writes feedback (``report.py``, ``readable.py``, ``plots.py``, the assignment's ``plots.py`` and
``messages.py``). A student whose digest is unchanged and whose files are still there is skipped; the
others are written by ``report.write_feedback`` in ``jobs`` worker processes (drawing a PNG is what
takes the time). ``index.csv`` is the same mapping for a spreadsheet, its ids shown and noted as in
the gradebook (``readable.IdNames``). Neither name can be a student's file: those end in ``.md`` or
``.png`` (``report.feedback_path``).
"""
import concurrent.futures
import hashlib
import json
import os
from pathlib import Path

from . import readable, report, results

INDEX = "index.json"
INDEX_CSV = "index.csv"
INLINE = 4        # this many files or fewer are written in this process (a pool costs more)


def _code_digest(assignment):
    digest = hashlib.sha256()
    engine = Path(__file__).resolve().parent
    for path in (engine / "report.py", engine / "readable.py", engine / "plots.py", engine / "fonts.py",
                 Path(assignment.folder) / "plots.py", Path(assignment.folder) / "messages.py"):
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


def _record_digest(result, results_dir):
    if not results_dir:
        return "none"
    folders = [results_dir] if isinstance(results_dir, (str, Path)) else list(results_dir)
    for folder in reversed(folders):      # the later folder wins, as in report._plot_section
        path = results.plot_path(folder, result.id)
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    return "none"


def digest(result, lang, results_dir, code):
    data = result.to_gradescope()
    for volatile in ("graded_at", "execution_time", "isolation"):
        data.pop(volatile, None)
    text = json.dumps(results.strict(data), sort_keys=True, ensure_ascii=False)
    parts = [code, lang, _record_digest(result, results_dir), text]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def read_index(folder):
    try:
        with open(Path(folder) / INDEX, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data.get("students"), dict) else {"students": {}}
    except (OSError, ValueError, AttributeError):
        return {"students": {}}


def _write_chunk(chunk, folder, lang, results_dir):
    report.write_feedback(chunk, folder, lang, results_dir)
    return len(chunk)


def write(collected, folder, lang="zh", results_dir=None, jobs=None):
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
        md = report.feedback_path(folder, result.id)
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
        report.write_feedback(stale, folder, lang, results_dir)
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
                      results.display(e.get("score") or 0), e.get("status", ""), names.note(sid)])
    readable.write_csv(folder / INDEX_CSV, table)
    return len(stale), len(collected) - len(stale)
