"""Every view of a class with every status, rendered in every language, speaks that language only.

The views: the terminal (table, summary, isolation, ids to check), each student's feedback file and
its figure, the class report (page, CSVs, figures), Gradescope's output and nbgrader's grade cells and
stubs. Checked on what the grader writes -- student text, ids, the assignment's title and recorded
reasons taken out first:

* no catalog id (``report.title``, ``not-finite``, ...) is ever shown;
* English output has no Chinese;
* Chinese output has no English status or kind (``graded``, ``load-error``, ``wrong-values``, ...),
  except the status recorded next to its reason in what a student reads (``load-error: ...`` in the
  feedback, Gradescope and nbgrader), which is kept as it was.
"""
import html
import re

import matplotlib
import numpy as np
import pytest
from nbformat.v4 import new_code_cell

matplotlib.use("Agg")
import matplotlib.figure  # noqa: E402
import matplotlib.text  # noqa: E402

from autograder import assignments, messages, results  # noqa: E402
from autograder.assignments.backprop_basics import plots as plots01, reference, rubric  # noqa: E402
from autograder.grading import batch  # noqa: E402
from autograder.routes import gradescope, nbgrader  # noqa: E402
from autograder.views import feedback, fonts, report, terminal  # noqa: E402
from autograder.views.readable import IdNames  # noqa: E402

ASSIGNMENT = assignments.get("01_backprop_basics")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# What a Chinese view must never show in English: statuses, kinds of failure, a test's state.
ENGLISH_STATUS = re.compile(r"(?<![\w.-])(graded|load-error|duplicate|grader-error|no-submission|wrong[- ]values|"
                            r"timeout(-cpu)?|out-of-memory|no-process|returned-none|not-array|not-finite|raised|"
                            r"passed|failed)(?![\w-])", re.I)
PRINTED = "我的除錯輸出"          # what a student's code printed: student text in any language


def _test(test, score, output="", tags=(), kind="", exception=""):
    got = results.TestResult(test.name, score, test.points, output=output, tags=list(tags), part=test.part)
    got.kind, got.exception = kind, exception      # as autograder/results records them (issue 21 §1)
    return got


def klass(lang):
    """Students with every status, and failures of every sort, graded in ``lang``."""
    words = messages.catalog(lang, ASSIGNMENT)
    tests = ASSIGNMENT.tests
    hinted = words("gradient", what="Sigmoid.backward", error=0.5, numerical=0.5, share=0, tiers="1e-7", right=0,
                   measured=3, total=3)
    mixed = [_test(tests[0], 0, "\n".join([hinted, words.hint("sigmoid-ignores-dout")]), ["sigmoid-ignores-dout"]),
             _test(tests[1], 0, words("timeout", what="Sigmoid.forward", seconds=5), kind="timeout"),
             _test(tests[2], 0, words("raised", what="x", message="ValueError: no", where="cell 3"), kind="raised",
                   exception="ValueError"),
             _test(tests[3], 0, words("printed", text=PRINTED)),
             *(_test(t, t.points) for t in tests[4:])]
    full = [_test(t, t.points) for t in tests]

    def graded(sid, tests_):
        return results.SubmissionResult(submission=f"{sid}.ipynb", id=sid, status=results.GRADED,
                                        assignment=ASSIGNMENT.id, tests=tests_, isolation="bubblewrap", rubric=ASSIGNMENT)

    def ungraded(sid, status, reason):
        return results.SubmissionResult(submission=f"{sid}.ipynb", id=sid, status=status, reason=reason,
                                        assignment=ASSIGNMENT.id, isolation="limits-only",
                                        tests=[_test(t, 0, reason) for t in tests], rubric=ASSIGNMENT)
    return sorted([graded("王小明", full), graded("b0912345 陳大文", mixed), graded("good1", mixed),
                   graded("good1\u00a0", mixed),
                   ungraded("broken", results.LOAD_ERROR, words("load-timeout", seconds=5)),
                   ungraded("twin", results.DUPLICATE, "2 files claim the same student id: twin.py, twin.ipynb"),
                   ungraded("crash", results.GRADER_ERROR, "grader error while loading: RuntimeError: boom")],
                  key=lambda r: r.id)


SIMILARITY = {"threshold": 0.8, "pair_count": 2, "compared": 3, "seconds": 0.1, "base": 1,
              "pairs": [{"a": "good1", "b": "reference", "with": "reference", "score": 0.9, "a_share": 0.9,
                         "b_share": 0.9, "shared": [("x = 1", "x = 1")]},
                        {"a": "王小明", "b": "2025/ann", "with": "base", "score": 0.85, "a_share": 0.85,
                         "b_share": 0.85, "shared": [("y = 2", "y = 2")]}],
              "clusters": [], "skipped": [
                  {"id": "broken", "with": "class", "kind": "too-little-code", "tokens": 3, "minimum": 40},
                  {"id": "twin", "with": "class", "kind": "not-found"},
                  {"id": "crash", "with": "class", "kind": "unreadable", "reason": "UnicodeDecodeError"}]}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """``rendered(lang)``: (the class, {view: its text}), rendered once per language."""
    done = {}

    def get(lang):
        if lang not in done:
            drawn = []          # the text of every figure saved (titles, labels, legends, ticks)
            save = matplotlib.figure.Figure.savefig

            def savefig(fig, *args, **kwargs):
                out = save(fig, *args, **kwargs)
                drawn.extend(t.get_text() for t in fig.findobj(matplotlib.text.Text))
                return out
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(matplotlib.figure.Figure, "savefig", savefig)
                done[lang] = render(lang, tmp_path_factory.mktemp(lang), drawn)
        return done[lang]
    return get


def render(lang, tmp_path, drawn):
    """{view: the text it shows} for the class graded in ``lang``."""
    collected = klass(lang)
    out = {}
    stats = batch.summary(collected, ASSIGNMENT)
    out["terminal"] = "\n".join([terminal.table(collected, ASSIGNMENT, lang=lang), terminal.summary_text(stats, lang),
                                 terminal.isolation_text(stats, "bubblewrap", lang=lang),
                                 terminal.attention_text(collected, lang=lang)])
    record = tmp_path / "results"
    record.mkdir()
    losses, params = reference.train(*rubric.TRAIN_RUNS["main"])
    np.savez(results.plot_path(record, "good1"), losses=losses, **dict(zip(plots01.PARAM_NAMES, params)))
    results.plot_path(record, "王小明").write_bytes(b"not a record")
    feedback.write_feedback(collected, tmp_path / "fb", lang, record, warn=pytest.fail)
    out["feedback"] = "\n".join(feedback.feedback_path(tmp_path / "fb", r.id).read_text(encoding="utf-8")
                                for r in collected)
    out["feedback figure"] = "\n".join(drawn)
    drawn.clear()
    page = report.write(tmp_path / "report", collected, ASSIGNMENT, lang=lang, feedback_dirs=[tmp_path / "fb"],
                        similarity=SIMILARITY)
    out["report page"] = html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>|data:image/png;base64,[^\"]+", " ",
                                              page.read_text(encoding="utf-8"), flags=re.S))
    out["report CSVs"] = "\n".join(p.read_text(encoding="utf-8-sig")
                                   for p in sorted((tmp_path / "report").glob("*.csv")))
    out["report figures"] = "\n".join(drawn)
    upload = tmp_path / "upload"
    upload.mkdir()
    out["gradescope"] = "\n".join(
        [gradescope.to_results(r.to_gradescope(), file_name="hw.ipynb", lang=lang)["output"] for r in collected]
        + [gradescope.refused(upload, "hw.ipynb is a symbolic link", ASSIGNMENT, lang)["output"],
           gradescope.not_submitted(upload, [], ASSIGNMENT, lang)["output"]])
    cell = new_code_cell("class Sigmoid:\n    def forward(self, x):\n        ### BEGIN SOLUTION\n        return x\n"
                         "        ### END SOLUTION\n")
    nbgrader.NamedStubs(lang=lang)._replace_solution_region(cell, "python")
    out["nbgrader"] = "\n".join([cell.source, *(nbgrader.part_text(r, ASSIGNMENT, part, lang, include_submission=True)
                                                for r in collected for part in ASSIGNMENT.parts)])
    return collected, out


# What a student reads shows the status as recorded, beside its reason (kept as it was).
STUDENT_VIEWS = ("feedback", "gradescope", "nbgrader")


def without_data(text, collected, student_view=False):
    """``text`` without what is not the grader's words: ids, recorded reasons (with the status recorded
    beside them, in a student's view), what the student's code printed, the assignment's title."""
    names = IdNames(r.id for r in collected)
    for r in collected:
        if student_view:
            for pair in (f"{r.status}: {r.reason}", f"（{r.status}）：{r.reason}", f"({r.status}): {r.reason}"):
                text = text.replace(pair, " ")
        text = text.replace(r.reason, " ") if r.reason else text
    for r in sorted(collected, key=lambda r: -len(r.id)):
        for shown in (names.show(r.id), r.id):
            text = text.replace(shown, " ")
    return text.replace(PRINTED, " ").replace(ASSIGNMENT.title, " ")


def catalog_ids(lang):
    words = messages.catalog(lang, ASSIGNMENT)
    return sorted((key for key in words.messages if ("." in key or "-" in key) and key not in words.hints),
                  key=len, reverse=True)


@pytest.mark.parametrize("lang", messages.LANGUAGES)
def test_every_view_speaks_its_language_only(lang, rendered):
    collected, views = rendered(lang)
    ids = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, catalog_ids(lang))) + r")(?![\w-])")
    cjk_drawn = bool(fonts.cjk_font())
    for view, text in views.items():
        assert text.strip(), view
        shown = without_data(text, collected, student_view=view in STUDENT_VIEWS)
        assert not ids.search(shown), (view, ids.search(shown).group(), shown[:2000])
        if messages.catalog(lang).cjk and (cjk_drawn or "figure" not in view):
            assert not ENGLISH_STATUS.search(shown), (view, ENGLISH_STATUS.search(shown).group())
            assert CJK.search(shown), view
        elif not messages.catalog(lang).cjk:
            assert not CJK.search(shown), (view, CJK.search(shown).group(), shown[:2000])


def test_the_chinese_report_names_statuses_kinds_and_hints_in_chinese(rendered):
    _, views = rendered("zh")
    words = messages.catalog("zh", ASSIGNMENT)
    for word in (words("status.load-error"), words("status.duplicate"), words("status.grader-error"),
                 words("kind.timeout"), words("kind.wrong-values")):
        assert word in views["report page"] and word in views["report CSVs"], word
    assert "ValueError" in views["report page"], "an exception's type is shown as Python names it"
    if fonts.cjk_font():
        assert "你的 dx 看起來沒有乘上上游梯度 dout" in views["report figures"], "a hint's words, not its id"
        assert "sigmoid-ignores-dout" not in views["report figures"]
