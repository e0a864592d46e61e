"""The class report, similarity flags and incremental feedback, on classes with a known truth.

Two small classes are graded through the real CLI (``python -m autograder grade``):

* MISTAKES: notebooks built from the release (``sample.filled_notebook``) with known hinted mistakes,
  known mistakes the grader gives no hint for, an untouched release, a syntax error and an empty
  notebook; the report's counts are checked against what was planted;
* COPIES: independent correct solutions (``tests/files/similarity``) and planted copies of three of
  them -- renamed variables, reordered functions, changed comments and literals -- a verbatim copy
  of the reference and untouched releases: the similarity pairs must be exactly the planted ones (the
  reference copy paired with the reference), and no template-only pair.
"""
import ast
import csv
import dataclasses
import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from autograder import messages, results
from tests.conftest import FILES, ROOT, run_cli

ASSIGNMENT = "01_backprop_basics"
# Each test's result records how it failed (kind, exception) once autograder/results has the fields
# (issue 21 §1); until then every failure without a hint is grouped as wrong values.
KINDS_RECORDED = "kind" in {f.name for f in dataclasses.fields(results.TestResult)}

# student: variant of autograder.assignments.backprop_basics.sample (or a mistake of our own below)
MISTAKES = {
    "ref1": "reference", "ref2": "reference",
    "dout1": "sigmoid-ignores-dout", "dout2": "sigmoid-ignores-dout", "dout3": "sigmoid-ignores-dout",
    "after1": "train-loss-after-update", "after2": "train-loss-after-update",
    "copies1": "net-params-copies",
    "untouched": "release",
    "syntax": "syntax-error",
    "double1": "unhinted-double", "double2": "unhinted-double",
    "raises1": "unhinted-raises",
}
HINTED = {"sigmoid-ignores-dout": 3, "train-loss-after-update": 2, "net-params-copies": 1}
# Mistakes of our own that no hint names: (grade_id, text in the reference cell, replacement).
UNHINTED = {
    "unhinted-double": ("Sigmoid", "dx = dout * sigmoid_out * (1 - sigmoid_out)",
                        "dx = 2 * dout * sigmoid_out * (1 - sigmoid_out)"),
    "unhinted-raises": ("TwoLayerNet", "        return [\n", "        raise ValueError('no params')\n        return [\n"),
}


def _notebook(variant):
    from autograder.course import sample as engine_sample
    from autograder.assignments.backprop_basics import sample
    return engine_sample.variant_notebook(sample.ASSIGNMENT, variant, {**sample.MISTAKES, **UNHINTED},
                                          syntax_error_in="Sigmoid")


def build_mistakes(folder):
    from autograder.assignments.backprop_basics import sample
    for student, variant in MISTAKES.items():
        sample.write_notebook(_notebook(variant), folder / "submitted" / student / ASSIGNMENT / "backprop_basics.ipynb")
    empty = folder / "submitted" / "empty" / ASSIGNMENT / "backprop_basics.ipynb"
    empty.parent.mkdir(parents=True)
    empty.write_text("", encoding="utf-8")
    return folder / "submitted"


# ------------------------------------------------------------------------------------------ copies
RENAMES = {"out": "result", "s": "sig", "losses": "history", "epoch": "step", "Y": "pred", "dY": "grad_out",
           "loss": "err", "param": "p", "grad": "g", "net": "model"}


def renamed(source, names=RENAMES):
    """Every identifier in ``names`` renamed (tokens only: strings and comments stay)."""
    import io
    import tokenize
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME and tok.string in names:
            tok = tok._replace(string=names[tok.string])
        out.append(tok)
    return tokenize.untokenize(out)


def reordered(source):
    """The top-level definitions in reverse order (imports and other statements first)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    defs = [n for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))]
    rest = [n for n in tree.body if n not in defs]
    text = lambda n: "\n".join(lines[n.lineno - 1:n.end_lineno])   # noqa: E731
    return "\n".join(text(n) for n in rest) + "\n\n\n" + "\n\n\n".join(text(n) for n in reversed(defs)) + "\n"


def recommented(source):
    """Comments rewritten, docstrings and blank lines added, float literals changed (1.0 -> 1.)."""
    out = []
    for line in source.splitlines():
        code, hash_, _ = line.partition("#")
        if hash_:
            line = code.rstrip() + "  # my own words here"
        out.append(re.sub(r"\b(\d+)\.0\b", r"\1.", line))
        if line.rstrip().endswith(":") and line.lstrip().startswith(("def ", "class ")):
            indent = len(line) - len(line.lstrip()) + 4
            out.append(" " * indent + '"""Written by me."""')
            out.append("")
    return "\n".join(out) + "\n"


# Independent correct solutions (tests/files/similarity: cells of the notebook) and planted copies.
CORRECT = sorted(p for p in (FILES / "similarity" / ASSIGNMENT).glob("*.py") if "--" not in p.stem)
PLANTED = {"copy_renamed": ("ann", renamed), "copy_reordered": ("ben", reordered),
           "copy_recommented": ("chen", recommented)}
REFERENCE_COPY = "copy_of_reference"      # the solved cells, handed in as they are: a pair with the reference


def build_copies(folder):
    from autograder.course import sample as engine_sample
    from autograder.assignments import get
    from autograder.assignments.backprop_basics import sample
    from tests import test_similarity
    assignment = get(ASSIGNMENT)
    cells = {path.stem: test_similarity.corpus_cells(path.read_text(encoding="utf-8")) for path in CORRECT}
    for name, (original, change) in PLANTED.items():
        cells[name] = {gid: change(code) for gid, code in cells[original].items()}
        if change is reordered:     # definitions reversed across cells and methods reversed too
            cells[name] = test_similarity.reordered(cells[original], assignment)
    cells[REFERENCE_COPY] = engine_sample.solved_cells(assignment)
    for name, code in cells.items():
        sample.write_notebook(engine_sample.filled(assignment, code), folder / f"{name}.ipynb")
    for k in (1, 2, 3):      # untouched releases: nothing of their own, never a pair
        sample.write_notebook(sample.filled_notebook("release"), folder / f"release{k}.ipynb")
    return folder


# ------------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def mistakes(tmp_path_factory):
    where = tmp_path_factory.mktemp("mistakes")
    submitted = build_mistakes(where)
    done = run_cli("grade", submitted, "--results-dir", where / "results", "--json", where / "grades.json",
                   "--feedback", where / "feedback", "--report", where / "report", "--quiet", cwd=where)
    return where, done


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    where = tmp_path_factory.mktemp("copies")
    folder = build_copies(where / "class")
    run_cli("grade", folder, "--results-dir", where / "results", "--json", where / "grades.json",
            "--report", where / "report", "--similarity", "0.8", "--quiet", cwd=where)
    return where


def _data(report):
    return json.loads((report / "report.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------ the report
@pytest.mark.slow
def test_report_counts_match_the_planted_class(mistakes):
    where, done = mistakes
    data = _data(where / "report")
    assert data["submissions"] == len(MISTAKES) + 1
    assert data["not_graded"] == 1 and [u["id"] for u in data["ungraded"]] == ["empty"]
    assert data["ungraded"][0]["status"] == "load-error" and data["ungraded"][0]["reason"]
    hints = {h["id"]: h["students"] for h in data["hints"]}
    assert hints == HINTED
    for h in data["hints"]:      # each links an example student's feedback, one who got that hint
        assert h["example_feedback"] and Path(h["example_feedback"]).is_file()
        assert MISTAKES[h["example"]] == h["id"]
        assert sorted(h["ids"]) == sorted(sid for sid, hint in MISTAKES.items() if hint == h["id"])
    page = (where / "report" / "index.html").read_text(encoding="utf-8")
    rows = {row[0]: row for row in csv.reader(io.StringIO((where / "report" / "hints.csv").read_text(encoding="utf-8-sig")))}
    for h in data["hints"]:      # every student per hint, on the page and in the CSV: a TA writes to each
        assert sorted(rows[h["id"]][-1].split("; ")) == sorted(h["ids"])
        assert all(f">{sid}</a>" in page or f">{sid}<" in page for sid in h["ids"])
    groups = {tuple(sorted(g["students"])): g for g in data["unhinted"]}
    assert set(groups) == {("double1", "double2"), ("raises1",), ("untouched",), ("syntax",)}
    assert data["unhinted"][0]["students"] == ["double1", "double2"]           # biggest group first
    assert groups[("double1", "double2")]["tests"] == ["Sigmoid.backward gradient check"]
    assert groups[("double1", "double2")]["kinds"] == ["wrong-values"]
    if KINDS_RECORDED:
        assert groups[("raises1",)]["kinds"] == ["ValueError"]
        assert groups[("untouched",)]["kinds"] == ["NotImplementedError"]
        assert groups[("syntax",)]["kinds"] == ["missing"]
    assert all(t.startswith("TwoLayerNet") for t in groups[("raises1",)]["tests"])
    assert len(groups[("untouched",)]["tests"]) == 12
    assert all(t.startswith("Sigmoid") for t in groups[("syntax",)]["tests"])
    # per part: full marks for the students whose mistakes are elsewhere
    graded = len(MISTAKES)
    full = {p: d["full"] for p, d in data["distribution"].items()}
    assert full["Sigmoid"] == graded - 3 - 1 - 1 - 2       # dout, untouched, syntax, double
    assert full["train_xor"] == graded - 2 - 1             # after, untouched
    assert sum(b[2] for b in data["distribution"]["total"]["bins"]) == graded
    tests = {t["name"]: t for t in data["tests"]}
    assert tests["Sigmoid.backward gradient check"]["pass_rate"] == round((graded - 3 - 1 - 1 - 2) / graded, 4)
    assert all(0 <= t["mean_share"] <= 1 for t in data["tests"])
    assert "wrote" in done.stdout and "index.html" in done.stdout


@pytest.mark.slow
def test_report_files_and_links(mistakes):
    where, _ = mistakes
    report = where / "report"
    page = (report / "index.html").read_text(encoding="utf-8")
    for name in ("distribution.png", "tests.png", "hints.png", "report.json", "tests.csv", "hints.csv",
                 "unhinted.csv", "ungraded.csv", "students.csv", "distribution.csv"):
        assert (report / name).is_file(), name
    assert 'lang="zh-Hant-TW"' in page and "全班評分報告" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page
    links = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert links
    for link in links:
        if link.startswith(("#", "data:image/png;base64,")):
            continue
        from urllib.parse import unquote
        assert (report / unquote(html.unescape(link))).resolve().is_file(), link
    # every student's feedback is linked, and the feedback index maps them
    index = json.loads((where / "feedback" / "index.json").read_text(encoding="utf-8"))["students"]
    assert set(index) == set(MISTAKES) | {"empty"}
    for sid, entry in index.items():
        assert (where / "feedback" / entry["feedback"]).is_file()
    words = messages.catalog("zh")      # the CSVs speak the report's language, as its page does
    with open(report / "hints.csv", encoding="utf-8-sig") as f:
        assert {row[words("report.column.hint")]: int(row[words("report.column.students")])
                for row in csv.DictReader(f)} == HINTED


@pytest.mark.slow
def test_report_command_english_and_merged_shards(mistakes, tmp_path):
    where, _ = mistakes
    # two shard-like folders holding halves of the class: the report of both is the whole class
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for k, path in enumerate(sorted((where / "results").glob("*.json"))):
        if not path.name.startswith("."):
            shutil.copy(path, (a if k % 2 else b) / path.name)
    run_cli("report", a, b, "--out", tmp_path / "en", "--lang", "en", "--feedback", where / "feedback")
    data = _data(tmp_path / "en")
    assert data["submissions"] == len(MISTAKES) + 1
    assert {h["id"]: h["students"] for h in data["hints"]} == HINTED
    page = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in page and "Failures with no hint" in page
    assert run_cli("report", tmp_path / "nope", "--out", tmp_path / "x", check=False).returncode == 2


# student: how their one failing test failed (kind, exception) and the sentence its output holds
FAILURES = {
    "late1": ("timeout", "", ("timeout", {"what": "Sigmoid.forward", "seconds": 5})),
    "late2": ("timeout", "", ("timeout-cpu", {"what": "Sigmoid.forward", "seconds": 5})),
    "raises": ("raised", "ValueError", ("raised", {"what": "Sigmoid.forward", "message": "ValueError: no",
                                                   "where": "cell 3"})),
    "gone": ("missing", "", ("missing", {"message": "Sigmoid"})),
    "prints": ("", "", ("printed", {"text": "KeyError: a line the student printed"})),
}


def _failures_class(words):
    from autograder.assignments import get
    assignment = get(ASSIGNMENT)
    test = assignment.tests[0]
    collected = []
    for sid, (kind, exception, (key, values)) in FAILURES.items():
        failed = results.TestResult(test.name, 0.0, test.points, output=words(key, **values), part=test.part)
        failed.kind, failed.exception = kind, exception       # as autograder/results records them
        collected.append(results.SubmissionResult(submission=sid, id=sid, status=results.GRADED,
                                                  assignment=ASSIGNMENT, tests=[failed], rubric=assignment))
    return collected


def test_rewording_a_message_does_not_regroup_the_report(monkeypatch):
    """Failures with no hint are grouped by what each test recorded (its kind, the exception's type),
    never by the words a student reads: reworded sentences group the same, and text that names an
    exception is not taken for one."""
    from autograder.assignments import get
    from autograder.views import report
    assignment = get(ASSIGNMENT)
    words = messages.catalog("zh", assignment)
    before = report.build(_failures_class(words), assignment, words=words)["unhinted"]
    for key in ("timeout", "timeout-cpu", "raised", "missing", "printed"):
        monkeypatch.setitem(words.messages, key, "換了說法：" + words.messages[key].replace("：", "——"))
    after = report.build(_failures_class(words), assignment, words=words)["unhinted"]
    assert after == before
    assert {tuple(g["students"]): g["kinds"] for g in after} == {
        ("late1", "late2"): ["timeout"], ("raises",): ["ValueError"], ("gone",): ["missing"],
        ("prints",): ["wrong-values"]}


def test_student_text_is_escaped(tmp_path):
    from autograder.views import report
    from autograder import results
    from autograder.assignments import get
    assignment = get(ASSIGNMENT)
    evil = "<script>alert(1)</script>\x1b[31m"
    result = results.ungraded(type("S", (), {"given": evil, "id": evil, "submitted_at": ""})(), results.LOAD_ERROR,
                              f"bad <img src=x onerror=alert(1)> {evil}", assignment=assignment)
    page = report.write(tmp_path, [result], assignment, lang="en").read_text(encoding="utf-8")
    assert "<script>" not in page and "<img src=x" not in page and "\x1b" not in page
    assert "&lt;script&gt;" in page


# ------------------------------------------------------------------------------------------ similarity
@pytest.mark.slow
def test_similarity_finds_exactly_the_planted_copies(copies):
    sim = _data(copies / "report")["similarity"]
    found = {(p["a"], p["b"], p["with"]) for p in sim["pairs"]}
    assert found == {(original, copy, "class") for copy, (original, _) in PLANTED.items()} \
        | {(REFERENCE_COPY, "reference", "reference")}
    for p in sim["pairs"]:
        assert p["score"] >= 0.8 and p["shared"]
    skipped = {s["id"] for s in sim["skipped"]}
    assert {"release1", "release2", "release3"} <= skipped          # template only: never compared
    assert sim["compared"] == len(CORRECT) + len(PLANTED) + 1
    page = (copies / "report" / "index.html").read_text(encoding="utf-8")
    assert "copy_renamed" in page and "參考解答" in page


def _random_code(rng, statements=40):
    """Own code of a made-up student: statements of random shape (operators, builtins, nesting),
    which normalisation cannot make alike."""
    ops, calls = ["+", "-", "*", "/", "//", "%", "**", "@"], ["abs", "min", "max", "sum", "len", "round", "float",
                                                               "int", "pow", "sorted", "zip", "range"]

    def expr(depth):
        if depth == 0 or rng.random() < 0.25:
            return rng.choice(["a", "b", "c", "1", "2.5", "x[0]", "self.w"])
        if rng.random() < 0.4:
            return f"{rng.choice(calls)}({expr(depth - 1)}, {expr(depth - 1)})"
        return f"({expr(depth - 1)} {rng.choice(ops)} {expr(depth - 1)})"
    lines = ["def helper(a, b, c, x):"]
    for _ in range(statements):
        kind = rng.random()
        if kind < 0.15:
            lines += [f"    if {expr(1)} > {expr(1)}:", f"        a = {expr(2)}"]
        elif kind < 0.25:
            lines += [f"    for i in range({expr(1)}):", f"        b += {expr(2)}"]
        else:
            lines.append(f"    {rng.choice('abc')} = {expr(3)}")
    return "\n".join(lines + ["    return a"]) + "\n"


@pytest.mark.slow
def test_similarity_scales_to_a_thousand_submissions(tmp_path):
    """1,000 notebooks built from the release, each with code of its own (a train_xor that calls its
    own helper), 20 planted renamed copies (half with a statement added) and 10 untouched releases:
    exactly the planted pairs, and fewer exact comparisons than programs (all pairs: 490,000)."""
    import random
    from autograder import results
    from autograder.views import similarity
    from autograder.course import sample as engine_sample
    from autograder.assignments import get
    from autograder.assignments.backprop_basics import sample
    assignment = get(ASSIGNMENT)
    rng = random.Random(15)
    calls = "\n\ndef train_xor(net, X, y, learning_rate, epochs):\n    return [helper(learning_rate, epochs, 1.0, X)]\n"
    own = {f"s{k:04d}": _random_code(rng) + calls for k in range(970)}
    planted = {f"copy{k:02d}": f"s{k * 7:04d}" for k in range(20)}
    names = {"a": "acc", "b": "beta", "c": "gamma", "x": "inputs", "helper": "my_helper", "i": "k"}
    edited = {copy for k, copy in enumerate(sorted(planted)) if k % 2}    # a statement added: not identical
    own.update({copy: renamed(own[original].replace("    return a\n", "    a = abs(a)\n    return a\n", 1)
                              if copy in edited else own[original], names) for copy, original in planted.items()})
    files, collected = {}, []
    for sid in sorted(own) + [f"release{k}" for k in range(10)]:
        if sid in own:
            nb = engine_sample.filled(assignment, {"train_xor": own[sid]})
        else:
            nb = sample.filled_notebook("release")
        files[sid] = sample.write_notebook(nb, tmp_path / f"{sid}.ipynb")
        collected.append(results.SubmissionResult(submission=str(files[sid]), id=sid, status="graded",
                                                  assignment=assignment.id))
    assert len(collected) == 1000
    sim = similarity.find_pairs(collected, assignment, files, threshold=0.8)
    print(f"similarity of 1,000 submissions: {sim['seconds']:.2f} s, {sim['candidates']} exact comparisons")
    assert sim["compared"] == 990
    assert {(p["a"], p["b"]) for p in sim["pairs"]} == {tuple(sorted(pair)) for pair in planted.items()}
    assert len(edited) <= sim["candidates"] < sim["distinct"]


# ------------------------------------------------------------------------------------------ feedback
@pytest.mark.slow
def test_feedback_rerun_writes_only_what_changed(mistakes):
    where, _ = mistakes
    feedback = where / "feedback"
    before = {p.name: p.stat().st_mtime_ns for p in feedback.glob("*.md")}
    (feedback / "ref1.md").unlink()
    done = run_cli("grade", where / "submitted", "--results-dir", where / "results", "--json",
                   where / "grades.json", "--feedback", feedback, "--quiet", cwd=where)
    assert "feedback: 1 files written" in done.stderr
    after = {p.name: p.stat().st_mtime_ns for p in feedback.glob("*.md")}
    assert set(after) == set(before)
    assert [n for n in after if after[n] != before[n]] == ["ref1.md"]


# ------------------------------------------------------------------------------------------ a real browser
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Run after the page has loaded: what overflows, which images did not load, where every link points.
PROBE = """<script>
window.addEventListener('load', function () {
  var doc = document.documentElement, out = {width: window.innerWidth, scrollWidth: doc.scrollWidth,
    overflow: [], broken: [], links: []};
  document.querySelectorAll('pre, td, th, h1, h2, p, li, summary').forEach(function (e) {
    if (e.scrollWidth > e.clientWidth + 1 && !e.closest('.wrap')) out.overflow.push(e.tagName + ': ' + e.textContent.slice(0, 60));
    var r = e.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && !e.closest('.wrap')) out.overflow.push('off-page ' + e.tagName + ': ' + e.textContent.slice(0, 60));
  });
  document.querySelectorAll('img').forEach(function (i) { if (!i.complete || i.naturalWidth === 0) out.broken.push(i.alt); });
  document.querySelectorAll('a[href]').forEach(function (a) { out.links.push(a.getAttribute('href').charAt(0) === '#' ? a.getAttribute('href') : a.href); });
  var pre = document.createElement('pre'); pre.id = 'probe-result'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 420])
def test_report_in_a_real_browser(mistakes, copies, tmp_path, width):
    """Headless Chromium loads the page offline: nothing overflows, every image loads, every link
    resolves to a file that exists (or an anchor on the page)."""
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium/Chrome found (install the Debian package chromium to run this check)")
    from urllib.parse import unquote, urlparse
    for report in (mistakes[0] / "report", copies / "report"):
        page = report / "index.html"
        probed = report / f".probe-{width}.html"     # beside it, so relative links resolve the same way
        probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
        try:
            done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                   f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},900",
                                   "--virtual-time-budget=5000", "--dump-dom", probed.as_uri()],
                                  capture_output=True, text=True, timeout=120)
        finally:
            probed.unlink()
        found = re.search(r'<pre id="probe-result">(.*?)</pre>', done.stdout, re.S)
        assert found, done.stderr[-2000:]
        out = json.loads(html.unescape(found.group(1)))
        assert out["scrollWidth"] <= out["width"], out
        assert out["overflow"] == [] and out["broken"] == [], out
        ids = set(re.findall(r'id="([^"]+)"', page.read_text(encoding="utf-8")))
        assert out["links"]
        for link in out["links"]:
            if link.startswith("#"):
                assert link[1:] in ids, link
            else:
                url = urlparse(link)
                assert url.scheme == "file", link
                assert Path(unquote(url.path)).is_file(), link


@pytest.mark.slow
def test_report_for_another_assignment(tmp_path):
    """The report reads the assignment's own parts and tests: the tiny 00_tanh (tests/files/tiny)."""
    from tests.test_authoring import GOOD, NO_DOUT, TINY, env, notebook
    import nbformat
    solved = TINY / "solutions" / "00_tanh" / "tanh.ipynb"
    folder = tmp_path / "class"
    folder.mkdir()
    for student, code in (("good", GOOD), ("nodout", NO_DOUT), ("good2", GOOD)):
        nbformat.write(notebook(solved, code), folder / f"{student}.ipynb")
    done = subprocess.run([os.sys.executable, "-m", "autograder", "grade", folder, "--assignment", "00_tanh",
                           "--results-dir", tmp_path / "results", "--report", tmp_path / "report",
                           "--feedback", tmp_path / "fb", "--lang", "en", "--quiet"],
                          cwd=ROOT, env=env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    data = _data(tmp_path / "report")
    assert data["assignment"] == "00_tanh" and data["parts"] == {"Tanh": 10}
    assert [t["name"] for t in data["tests"]][0].startswith("Tanh")
    assert data["graded"] == 3 and data["distribution"]["Tanh"]["full"] == 2
    assert sum(h["students"] for h in data["hints"]) + sum(g["count"] for g in data["unhinted"]) >= 1


def test_similarity_reads_submissions_as_the_loader_does(tmp_path):
    """A submission path that is a link (to the reference, say) or a named pipe is refused with its
    reason, never read or waited on; the rest are compared."""
    import os
    from autograder import results
    from autograder.views import similarity
    from autograder.assignments import get
    assignment = get(ASSIGNMENT)
    link, fifo = tmp_path / "link.py", tmp_path / "fifo.py"
    link.symlink_to(assignment.reference)
    os.mkfifo(fifo)
    collected = [results.SubmissionResult(submission=str(p), id=p.stem, status=results.GRADED,
                                          assignment=assignment.id) for p in (link, fifo)]
    found = similarity.find_pairs(collected, assignment, {"link": link, "fifo": fifo}, threshold=0.8)
    reasons = {s["id"]: s["reason"] for s in found["skipped"]}
    assert set(reasons) == {"link", "fifo"} and found["compared"] == 0
    assert "symbolic link" in reasons["link"] and "pipe" in reasons["fifo"], reasons
