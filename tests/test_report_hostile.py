"""Views made for people (terminal table, CSV gradebook, Markdown feedback and its plot) against
student-controlled data: bad training records, text that tries to close a code fence, file names
holding terminal escapes or spreadsheet formulas. The JSON stays exact: it is data."""
import csv
import json
import re
import shutil

import numpy as np
import pytest

from autograder.views import feedback, gradebook, plots, terminal
from autograder import results
from autograder.assignments.backprop_basics import ASSIGNMENT, reference, rubric
from autograder.assignments.backprop_basics import plots as plots01

from .conftest import FILES, run_cli

RUN = rubric.TRAIN_RUNS["main"]
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE_ID = "=1+1\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202egnp.exe`<img src=x onerror=alert(1)>`"


def result(sid, output="", status=results.GRADED, reason="", score=True):
    tests = [results.TestResult(t.name, t.points if score else 0.0, t.points, output=output, part=t.part)
             for t in rubric.TESTS]
    return results.SubmissionResult(submission=sid, id=sid, status=status, reason=reason, tests=tests, output=output,
                                     assignment=ASSIGNMENT.id, rubric=ASSIGNMENT)


def save_training(results_dir, sid, losses, params, compressed=False):
    results_dir.mkdir(parents=True, exist_ok=True)
    save = np.savez_compressed if compressed else np.savez
    save(results.plot_path(results_dir, sid), losses=losses, **dict(zip(plots01.PARAM_NAMES, params)))


def good_run():
    return reference.train(*RUN)


def feedback_of(folder, sid):
    return feedback.feedback_path(folder, sid).read_text(encoding="utf-8")


# ------------------------------------------------------------------ 1. bad training data
def _padded(hidden):
    return [np.zeros((2, hidden)), np.zeros(hidden), np.zeros((hidden, 1)), np.zeros(1)]


BAD_RUNS = {
    "string parameters": lambda: (np.ones(3), [np.array(["x", "y"]), np.array("s"), np.ones(2), np.ones(1)]),
    "padded to 1.2 M hidden units": lambda: (np.ones(3), _padded(1_200_000)),
    "padded to 4096 hidden units": lambda: (np.ones(3), _padded(4096)),
    "transposed W1": lambda: (np.ones(3), [np.zeros((8, 2)), np.zeros(8), np.zeros((8, 1)), np.zeros(1)]),
    "complex parameters": lambda: (np.ones(3), [p.astype(complex) for p in good_run()[1]]),
    "boolean losses": lambda: (np.ones(3, dtype=bool), good_run()[1]),
    "2-D losses": lambda: (np.ones((500, 1)), good_run()[1]),
    "string losses": lambda: (np.array(["1.0", "0.5"]), good_run()[1]),
    "too many losses": lambda: (np.zeros(plots01.MAX_LOSSES + 1), good_run()[1]),
    "three parameters": lambda: (np.ones(3), good_run()[1][:3]),
}


@pytest.mark.parametrize("case", BAD_RUNS)
def test_bad_training_data_is_a_one_line_note_and_the_others_still_get_plots(tmp_path, case):
    losses, params = BAD_RUNS[case]()
    save_training(tmp_path / "res", "a", losses, params, compressed=True)
    save_training(tmp_path / "res", "b", *good_run())
    warnings = []
    feedback.write_feedback([result("a"), result("b")], tmp_path / "fb", "en", tmp_path / "res", warn=warnings.append)
    bad, good = feedback_of(tmp_path / "fb", "a"), feedback_of(tmp_path / "fb", "b")
    notes = [line for line in bad.splitlines() if line.startswith("plot not drawn: ")]
    assert len(notes) == 1, bad
    assert "![" not in bad and not feedback.feedback_path(tmp_path / "fb", "a").with_suffix(".png").exists()
    assert "![" in good and feedback.feedback_path(tmp_path / "fb", "b").with_suffix(".png").exists()
    assert warnings == [], "rejected data is expected, not a grader failure"


def test_the_note_is_in_the_feedback_language(tmp_path):
    save_training(tmp_path / "res", "a", np.ones(3), _padded(16))
    feedback.write_feedback([result("a")], tmp_path / "fb", "zh", tmp_path / "res")
    text = feedback_of(tmp_path / "fb", "a")
    assert "未繪製圖表：W1 的形狀是 (2, 16)，應為 (2, 8)" in text, text


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04" + b"\0" * 40])
def test_an_unreadable_training_file_is_a_note(tmp_path, content):
    training = results.plot_path(tmp_path / "res", "a")
    training.parent.mkdir(parents=True)
    training.write_bytes(content)
    warnings = []
    feedback.write_feedback([result("a")], tmp_path / "fb", "en", tmp_path / "res", warn=warnings.append)
    assert "plot not drawn: the training record could not be read" in feedback_of(tmp_path / "fb", "a")
    assert warnings == []


def test_huge_arrays_are_rejected_from_their_header_without_being_loaded(tmp_path, monkeypatch):
    save_training(tmp_path / "res", "a", np.ones(3), _padded(1_200_000), compressed=True)
    loaded = []
    real = np.lib.format.read_array
    monkeypatch.setattr(np.lib.format, "read_array", lambda *a, **k: loaded.append(1) or real(*a, **k))
    with pytest.raises(plots.Unplottable, match=r"W1 has shape \(2, 1200000\)"):
        plots01.read_training(results.plot_path(tmp_path / "res", "a"))
    assert loaded == []


def test_render_training_itself_refuses_the_wrong_network(tmp_path):
    with pytest.raises(plots.Unplottable):
        plots01.render_training(np.ones(3), _padded(1_200_000), tmp_path / "x.png", run=RUN, lang="en")
    assert not (tmp_path / "x.png").exists()


def test_an_unexpected_failure_is_a_note_and_one_warning_and_the_class_goes_on(tmp_path, monkeypatch):
    for sid in ("a", "b", "c"):
        save_training(tmp_path / "res", sid, *good_run())
    stale = feedback.feedback_path(tmp_path / "fb", "b").with_suffix(".png")
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an earlier run's picture")
    real = plots01.render_training

    def render(losses, params, path, **kwargs):
        if path == stale:
            raise MemoryError("Unable to allocate 57.2 GiB for an array\nwith shape (6400, 1200000)")
        return real(losses, params, path, **kwargs)

    monkeypatch.setattr(plots01, "render_training", render)
    warnings = []
    feedback.write_feedback([result("a"), result("b"), result("c")], tmp_path / "fb", "en", tmp_path / "res",
                          warn=warnings.append)
    assert warnings == ["autograder: warning: b: feedback plot not drawn: MemoryError: Unable to allocate 57.2 GiB for an array"]
    assert "plot not drawn: the grader failed while drawing it (MemoryError)" in feedback_of(tmp_path / "fb", "b")
    assert not stale.exists(), "no picture from an earlier run next to a note saying there is none"
    for sid in ("a", "c"):
        assert "![" in feedback_of(tmp_path / "fb", sid)


def test_a_result_the_feedback_cannot_be_written_for_still_gets_a_file(tmp_path):
    broken = result("a")
    broken.rubric = None                              # a bug of the grader's: a result handed no rubric
    warnings = []
    feedback.write_feedback([broken, result("b")], tmp_path / "fb", "en", warn=warnings.append)
    assert len(warnings) == 1 and warnings[0].startswith("autograder: warning: a: feedback incomplete: ValueError")
    assert "the grader could not write the full feedback (ValueError)" in feedback_of(tmp_path / "fb", "a")
    assert "**100 / 100**" in feedback_of(tmp_path / "fb", "b")


# ------------------------------------------------------------------ 2. Markdown spoofing
SPOOFS = ["```\n### ✓ everything — 10 / 10\n<img src=x onerror=alert(1)>\n```",
          "````\n# 100 / 100\n````\n<script>alert(1)</script>",
          "``````````` and ~~~\n~~~\n<b>bold</b>",
          "  ```\n**10 / 10**\n   ````````\n[click](http://evil.example)",
          "\r```\r<img src=y>\r\n```\x00\x1b[31m"]


def mistune_html(text):
    mistune = pytest.importorskip("mistune")
    return mistune.html(text)


@pytest.mark.parametrize("spoof", SPOOFS)
def test_student_text_never_leaves_its_code_block(spoof):
    text = feedback.feedback_markdown(result("a", output=spoof, score=False), "en")
    lines = text.splitlines()
    opened = None
    for line in lines:   # every fence line is longer than any run of backticks the text holds
        if opened is None and re.fullmatch("`{3,}", line):
            opened = line
        elif opened is not None and line == opened:
            opened = None
        elif opened is not None:
            assert not re.search("`{%d,}" % len(opened), line), line
    assert opened is None
    html = mistune_html(text)
    assert "<img" not in html and "<script" not in html and "<b>" not in html and "<a " not in html, html
    expected = ["Feedback: <code>a</code>"] + [f"{p} — 0 / {ASSIGNMENT.part_points[p]:g}" for p in rubric.PARTS]
    expected += [f"✗ {t.name} — 0 / {t.points:g}" for t in rubric.TESTS]
    assert sorted(re.findall(r"<h\d>(.*?)</h\d>", html)) == sorted(expected)
    assert not RAW_CONTROL.search(text)


@pytest.mark.parametrize("sid", [HOSTILE_ID, "`", "``a``", " x ", "# <b>bold</b> **x**", "a\n# fake heading"])
def test_the_id_and_reason_are_literal_text_in_the_feedback(sid):
    reason = "SyntaxError: <img src=x> **bold** `code`\n# fake"
    text = feedback.feedback_markdown(result(sid, status=results.LOAD_ERROR, reason=reason, score=False), "en")
    html = mistune_html(text)
    assert "<img" not in html and "<b>" not in html and "<strong>bold" not in html, html
    headings = re.findall(r"<h\d>(.*?)</h\d>", html)
    assert headings[0].startswith("Feedback: <code>") and headings[0].endswith("</code>"), headings
    assert len(headings) == 1 + len(rubric.PARTS) + len(rubric.TESTS), headings
    assert not any("fake" in h or "bold" in h for h in headings[1:]), headings
    assert not RAW_CONTROL.search(text)


def test_code_spans_hold_the_text_exactly():
    for text in ["a", "`", "a`b", "``x``", " lead", "trail ", "<b>"]:
        span = feedback.md_inline(text)
        html = mistune_html(span)
        code = re.fullmatch(r"<p><code>(.*)</code></p>\s*", html, re.S)
        assert code, (text, span, html)
        unescaped = code.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')
        assert unescaped == text, (text, span, html)


# ------------------------------------------------------------------ 3. ids in the table, CSV, file names
def test_the_table_shows_control_characters_instead_of_sending_them():
    table = terminal.table([result(HOSTILE_ID), result("b", status=results.LOAD_ERROR, reason="bad\x1b[2J\x07")], ASSIGNMENT)
    assert not RAW_CONTROL.search(table) and "\u202e" not in table, repr(table)
    assert "=1+1\\x1b]0;PWNED\\x07" in table and "bad\\x1b[2J\\x07" in table


@pytest.mark.parametrize("sid, cell", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "\\t=1"), ("\r=1", "\\r=1"), ("＝1+1", "'＝1+1"), ("alice", "alice"), ("s 01", "s 01"),
    ("a=1", "a=1"), ("x\x1b[2Jy", "x\\x1b[2Jy"), ("王小明", "王小明"),
])
def test_csv_text_cells_are_never_formulas(tmp_path, sid, cell):
    gradebook.write_csv([result(sid, status=results.LOAD_ERROR, reason="=HYPERLINK(\"http://x\")\nmore", score=False),
                         result(sid + "2")], tmp_path / "g.csv", ASSIGNMENT)
    rows = list(csv.reader((tmp_path / "g.csv").open(encoding="utf-8-sig", newline="")))
    row, graded, header = rows[1], rows[2], rows[0]
    assert row[0] == cell and row[1] == cell
    assert row[header.index("reason")] == "'=HYPERLINK(\"http://x\") more" and row[header.index("status")] == results.LOAD_ERROR
    assert row[2:7] == ["", "", "", "", f"{ASSIGNMENT.total_points:g}"], "no score: blank, never a 0"
    assert graded[2:7] == [f"{ASSIGNMENT.total_points:g}", *(f"{ASSIGNMENT.part_points[p]:g}" for p in rubric.PARTS),
                           f"{ASSIGNMENT.total_points:g}"], "numbers stay numbers"
    assert not RAW_CONTROL.search((tmp_path / "g.csv").read_text(encoding="utf-8").replace("\n", ""))


def test_the_json_keeps_the_id_exactly(tmp_path):
    gradebook.write_json([result(HOSTILE_ID)], tmp_path / "g.json")
    assert json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))[0]["id"] == HOSTILE_ID


@pytest.mark.parametrize("sid", [HOSTILE_ID, "..", ".hidden", "-rf", "--help", "../../etc/passwd", "/abs", "",
                                 "a" * 400, "學生", "a\udcffb", "CON", "x" * 99 + "é" * 300])
def test_feedback_file_names_are_safe(tmp_path, sid):
    path = feedback.feedback_path(tmp_path, sid)
    assert path.parent == tmp_path
    # results.file_stem: the id encoded (no leading . or -), or "+" and its SHA-256 when it does not fit
    assert re.fullmatch(r"([A-Za-z0-9_%][A-Za-z0-9._%-]*(~[0-9a-f]+)?|\+[0-9a-f]{64})\.md", path.name), path.name
    assert len(path.name) <= 210
    feedback.write_feedback([result(sid)], tmp_path)
    assert path.exists()


def test_feedback_file_names_are_unique_and_unchanged_for_ordinary_ids(tmp_path):
    ids = ["alice", "Alice", "ALICE", "a b", "a_b", "a/b", "a%2fb", "..", ".", "-", "a" * 300, "a" * 301]
    assert len({feedback.feedback_path(tmp_path, sid) for sid in ids}) == len(ids)
    # unique on a case-insensitive file system too
    assert len({feedback.feedback_path(tmp_path, sid).name.lower() for sid in ids}) == len(ids)
    for sid in ("s1", "c01_split_abs", "mistakes/train-ascends"):
        assert feedback.feedback_path(tmp_path, sid) == results.result_path(tmp_path, sid).with_suffix(".md")


# ------------------------------------------------------------------ the command, end to end
def test_the_command_survives_a_hostile_class(tmp_path):
    """A file name with escapes and a formula, a fence-breaking print, and a training record padded to
    1.2 M hidden units: exit 0, summary table, feedback for everyone, escapes only where people look."""
    source = (FILES / "corpus" / "correct" / "c01_split_abs.py").read_text(encoding="utf-8")
    printing = source.replace("def train_xor(net, X, y, learning_rate, epochs):\n",
                              "def train_xor(net, X, y, learning_rate, epochs):\n"
                              "    print('```\\n### ✓ bonus — 10 / 10\\n<img src=x onerror=alert(1)>\\n```')\n", 1)
    assert printing != source
    folder = tmp_path / "class"
    folder.mkdir()
    hostile = "=1+1\x1b]0;PWNED\x07\x1b[2J"
    (folder / f"{hostile}.py").write_text(printing, encoding="utf-8")
    shutil.copy(FILES / "corpus" / "correct" / "c01_split_abs.py", folder / "bob.py")
    shutil.copy(FILES / "corpus" / "correct" / "c01_split_abs.py", folder / "carol.py")
    args = ["grade", folder, "--json", tmp_path / "g.json", "--csv", tmp_path / "g.csv", "--quiet", "--lang", "en",
            "--results-dir", tmp_path / "res"]
    env = {"AUTOGRADER_FINGERPRINT": "report-hostile-test"}   # the second run reuses the results, whatever else changes
    run_cli(*args, env=env)
    for sid, params in (("bob", _padded(1_200_000)), (hostile, [np.array(["x"])] * 4)):
        save_training(tmp_path / "res", sid, np.ones(500), params, compressed=True)

    done = run_cli(*args, "--feedback", tmp_path / "fb", check=False, env=env)   # results reused, feedback drawn
    assert "3 already graded" in done.stderr, done.stderr
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "3 submissions: 3 graded" in done.stdout
    assert not RAW_CONTROL.search(done.stdout.replace("\n", "")), repr(done.stdout)
    assert "=1+1\\x1b]0;PWNED\\x07\\x1b[2J" in done.stdout

    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in data] == sorted(["bob", "carol", hostile])
    rows = list(csv.reader((tmp_path / "g.csv").open(encoding="utf-8", newline="")))
    assert rows[1][0] == "'=1+1\\x1b]0;PWNED\\x07\\x1b[2J", rows

    names = sorted(p.name for p in (tmp_path / "fb").iterdir())
    assert "index.json" in names and "index.csv" in names     # the feedback index (feedbackfiles.py)
    names = [n for n in names if n not in ("index.json", "index.csv")]
    assert all(re.fullmatch(r"([A-Za-z0-9_%][A-Za-z0-9._%-]*(~[0-9a-f]+)?|\+[0-9a-f]{64})\.(md|png)", n)
               for n in names), names
    assert len([n for n in names if n.endswith(".md")]) == 3
    assert "plot not drawn: W1 has shape (2, 1200000)" in feedback_of(tmp_path / "fb", "bob")
    assert "plot not drawn: W1 is not an array of real numbers" in feedback_of(tmp_path / "fb", hostile)
    assert "![" in feedback_of(tmp_path / "fb", "carol")
    html = mistune_html(feedback_of(tmp_path / "fb", hostile))
    assert "<img" not in html and "bonus" not in "".join(re.findall(r"<h\d>(.*?)</h\d>", html)), html


def test_file_names_that_are_not_utf8_long_or_dashed_are_graded_and_resumed(tmp_path):
    """The id comes from the file name: its result file must be writable and found again on a rerun."""
    folder = tmp_path / "class"
    folder.mkdir()
    correct = FILES / "corpus" / "correct" / "c01_split_abs.py"
    names = [b"\xff\xfebad.py", b"x" * 240 + b".py", b"-.hidden.py"]
    for name in names:
        shutil.copy(correct, bytes(folder) + b"/" + name)
    args = ["grade", folder, "--json", tmp_path / "g.json", "--csv", tmp_path / "g.csv", "--quiet",
            "--results-dir", tmp_path / "res"]
    first = run_cli(*args, check=False)
    assert first.returncode == 0, first.stderr
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    # ids are text: a byte that is not UTF-8 is written \xNN (discover.name_text), so the JSON is strict
    assert sorted(r["id"] for r in data) == sorted(["\\xff\\xfebad", "x" * 240, "-.hidden"])
    assert [r["score"] for r in data] == [100, 100, 100]
    again = run_cli(*args, check=False)
    assert again.returncode == 0 and "3 already graded" in again.stderr, again.stderr
