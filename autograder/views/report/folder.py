"""Writing the class report: ``write`` (the folder: page, figures, tables) and ``run`` (what ``grade
--report`` and ``report`` call: the similarity check too, and one line for the terminal)."""
import os
import sys
from pathlib import Path

from autograder import messages
from autograder.errors import UsageError
from autograder.find import discover
from autograder.views import similarity as similar
from autograder.views.feedback import feedback_path
from autograder.views.readable import show_id
from autograder.views.report.figures import figures
from autograder.views.report.page import html_page
from autograder.views.report.statistics import build
from autograder.views.report.tables import write_tables

TERMINAL = "en"       # the language of the report's line in the terminal (as the CLI's other lines)


def feedback_files(collected: list, folders) -> dict:
    """{id: feedback file} for the students with a feedback file in one of ``folders``."""
    found = {}
    for folder in folders or ():
        for r in collected:
            path = feedback_path(folder, r.id)
            if r.id not in found and path.is_file():
                found[r.id] = path.resolve()
    return found


def write_report(out, collected: list, assignment, *, lang: str = messages.DEFAULT, feedback_dirs=(), problems=(),
                 similarity: dict | None = None) -> tuple:
    """The whole report in the folder ``out``: (the path of index.html, the data of report.json)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    words = messages.catalog(lang, assignment)
    data = build(collected, assignment, words=words, feedback=feedback_files(collected, feedback_dirs),
                 problems=problems)
    data["similarity"] = similarity
    images = figures(data, lang, assignment)
    for name, png in images.items():
        (out / name).write_bytes(png)
    write_tables(out, data, words)
    page = out / "index.html"
    tmp = out / ".index.html.tmp"
    tmp.write_text(html_page(data, out, words, images), encoding="utf-8")
    os.replace(tmp, page)
    return page, data


def write(out, collected: list, assignment, **options) -> Path:
    """``write_report``'s page alone: the path of index.html."""
    return write_report(out, collected, assignment, **options)[0]


def summary_line(page: Path, data: dict, lang: str = TERMINAL) -> str:
    """The report in one line for the terminal."""
    words = messages.catalog(lang)
    sim = data.get("similarity")
    return (words("terminal.report", page=page, hints=len(data["hints"]), groups=len(data["unhinted"]),
                  ungraded=len(data["ungraded"]))
            + (words("terminal.report-ids", n=len(data["attention"])) if data.get("attention") else "")
            + (words("terminal.report-pairs", pairs=sim["pair_count"], clusters=len(sim["clusters"])) if sim else ""))


def submission_files(collected: list, paths=(), assignment=None, bases=()) -> dict:
    """{id: file} of the students' submissions: found under ``paths`` (the class folders, as ``grade``
    finds them), else the result's ``submission`` field when it names a file (as given to ``grade``:
    tried as it is and relative to each folder in ``bases``)."""
    files = {}
    if paths:
        try:
            for s in discover.find(paths, assignment):
                if not s.problem:
                    files[s.id] = Path(s.path)
        except discover.DiscoveryError:
            pass
    for r in collected:
        if r.id in files or not r.submission:
            continue
        for base in (Path("."), *map(Path, bases)):
            candidate = base / r.submission
            try:
                if candidate.is_file():
                    files[r.id] = candidate
                    break
            except OSError:
                continue
    return files


def check_options(similarity: float | None, base_corpus=()) -> None:
    """UsageError when the similarity options cannot work together (checked before any result is read)."""
    if base_corpus and similarity is None:
        raise UsageError("--base-corpus is compared by --similarity: give --similarity T too")
    for folder in base_corpus:
        if not Path(folder).exists():
            raise UsageError(f"--base-corpus {folder}: no such folder")


def run(*, collected: list, assignment, out, lang: str = messages.DEFAULT, feedback_dirs=(), problems=(),
        similarity: float | None = None, submissions=(), base_corpus=(), result_dirs=(), stream=None) -> Path:
    """Write the report of ``collected`` (with the similarity check at ``similarity``, when given) in
    ``out`` and print its line to ``stream``; returns the path of index.html. ``result_dirs`` are where
    the results were read from: a submission named relative to the class folder is looked for beside them."""
    stream = stream or sys.stdout
    check_options(similarity, base_corpus)
    sim = None
    if similarity is not None:
        files = submission_files(collected, submissions, assignment, bases=[Path(d).parent for d in result_dirs])
        unfound = sorted(r.id for r in collected if r.id not in files)
        if unfound:
            print(messages.catalog(TERMINAL)("terminal.similarity-unfound", n=len(unfound), total=len(collected),
                                             example=show_id(unfound[0])), file=sys.stderr)
        sim = similar.find_pairs(collected, assignment, files, threshold=similarity, base=base_corpus)
    page, data = write_report(out, collected, assignment, lang=lang, feedback_dirs=feedback_dirs, problems=problems,
                              similarity=sim)
    print(summary_line(page, data), file=stream)
    return page
