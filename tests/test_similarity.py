"""The similarity check on a corpus with a known truth (``tests/files/similarity/``).

Per assignment, independent correct solutions in different styles (``<author>.py``), hand-made
disguised copies of them (``<author>--<disguise>.py``: a loop made a comprehension and back, the red
team's rename + reorder + comprehension) and of the reference (``reference--<disguise>.py``), and, built
here from every original and from the reference's solved cells, copies disguised mechanically:
renamed, reordered, dead code added (unused helpers and unused methods), nested in a function named
like a given helper, reformatted (another layout, comments, docstrings) and exported to ``.py``.
Each is a notebook built from the release (``sample.filled``), as a student hands it in.

The truth: every pair within one family (an original and its copies) is flagged, a copy of the
reference is flagged *with the reference*, and nothing else is -- no two independent solutions, no
independent solution with the reference.
"""
import ast
import io
import itertools
import keyword
import re
import textwrap
import tokenize
from pathlib import Path

import pytest

from tests.conftest import FILES

CORPUS = FILES / "similarity"
ASSIGNMENTS = ("01_backprop_basics", "02_layers")
THRESHOLD = 0.8
REFERENCE = "reference"


def corpus_cells(text):
    """{grade_id: code} of a corpus file: cells start at ``# %% <grade_id>`` lines."""
    parts = re.split(r"^# %% (\S+)\n", text, flags=re.M)
    return {parts[i]: parts[i + 1].strip("\n") + "\n" for i in range(1, len(parts), 2)}


def family(name):
    return name.split("--")[0]


# ------------------------------------------------------------------------------------------ disguises
def _names_not_to_rename(assignment):
    """What a working copy must keep: the classes, functions, parameters, attributes, keyword
    arguments and imports of the release and the reference (the API and what graded code may read),
    builtins, numpy's names."""
    from autograder.course import sample
    from autograder.views import similarity
    keep = set(keyword.kwlist) | similarity.KEEP | similarity.ATTRIBUTES
    sources = [c.source for c in sample.release_notebook(assignment).cells
               if c.cell_type == "code" and not c.source.lstrip().startswith("%")]
    for source in sources + [Path(assignment.reference).read_text(encoding="utf-8")]:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
                keep.add(node.name)
            elif isinstance(node, ast.arg):
                keep.add(node.arg)
            elif isinstance(node, ast.Attribute):
                keep.add(node.attr)
            elif isinstance(node, ast.keyword) and node.arg:
                keep.add(node.arg)
            elif isinstance(node, ast.alias):
                keep.add((node.asname or node.name).split(".")[0])
    return keep


def renamed(cells, assignment, prefix="v"):
    """Every name the student chose renamed (not the API, keyword arguments or imported names)."""
    keep = _names_not_to_rename(assignment)
    tokens = {gid: list(tokenize.generate_tokens(io.StringIO(code).readline)) for gid, code in cells.items()}
    for toks in tokens.values():
        for i, tok in enumerate(toks):
            if tok.type == tokenize.NAME and i + 1 < len(toks) and toks[i + 1].string == "=" \
                    and i and toks[i - 1].string in "(,":
                keep.add(tok.string)           # a keyword argument: numpy's, or a parameter with a default
            if tok.type == tokenize.NAME and tok.line.lstrip().startswith(("import ", "from ")):
                keep.add(tok.string)
    new = {}
    out = {}
    for gid, toks in tokens.items():
        changed = []
        for tok in toks:
            if tok.type == tokenize.NAME and tok.string not in keep:
                tok = tok._replace(string=new.setdefault(tok.string, f"{prefix}{len(new) + 1}"))
            changed.append(tok)
        out[gid] = tokenize.untokenize(changed)
    return out


def _text(node, lines):
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(lines[first - 1:node.end_lineno])


def _class_reversed(node, lines):
    """The class with its methods in reverse order (other statements of its body first)."""
    body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    methods = [n for n in body if isinstance(n, ast.FunctionDef)]
    rest = [n for n in body if n not in methods]
    head = "\n".join(lines[node.lineno - 1:node.body[0].lineno - 1] or [lines[node.lineno - 1]])
    return "\n\n".join([head] + [_text(n, lines) for n in rest + methods[::-1]])


def reordered(cells, assignment):
    """All own code in the first exercise cell: imports first, then the definitions in reverse order,
    each class's methods reversed."""
    heads, pieces = [], []
    for code in cells.values():
        lines = code.split("\n")
        for node in ast.parse(code).body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                heads.append(_text(node, lines))
            elif isinstance(node, ast.ClassDef):
                pieces.append(_class_reversed(node, lines))
            else:
                pieces.append(_text(node, lines))
    first, *others = cells
    return {first: "\n".join(heads) + "\n\n\n" + "\n\n\n".join(pieces[::-1]) + "\n", **{g: "" for g in others}}


UNUSED_METHOD = '''
    def summary(self):
        lines = []
        for key, value in sorted(vars(self).items()):
            if isinstance(value, np.ndarray):
                lines.append(f"{key}: shape {value.shape}, mean {value.mean():.4f}, std {value.std():.4f}")
            elif value is None:
                lines.append(f"{key}: not set yet")
            else:
                lines.append(f"{key}: {value!r}")
        text = "\\n".join(lines)
        print(text)
        return text
'''


def with_dead_code(cells, assignment, other):
    """An unused method in every class, and ``other`` (another student's solution, its top-level
    names prefixed ``Old``) as unused top-level code: as much dead code again as the copy."""
    out = {}
    for gid, code in cells.items():
        lines = code.rstrip("\n").split("\n")
        for node in sorted((n for n in ast.parse(code).body if isinstance(n, ast.ClassDef)),
                           key=lambda n: -n.end_lineno):
            lines[node.end_lineno:node.end_lineno] = UNUSED_METHOD.rstrip("\n").split("\n")
        out[gid] = "\n".join(lines) + "\n"
    top = {n.name for code in other.values() for n in ast.parse(code).body
           if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    dead = []
    for code in other.values():
        toks = [t._replace(string="Old" + t.string) if t.type == tokenize.NAME and t.string in top else t
                for t in tokenize.generate_tokens(io.StringIO(code).readline)]
        dead.append(tokenize.untokenize(toks))
    last = list(out)[-1]
    out[last] += "\n\n# ---- earlier attempts, kept for reference ----\n" + "\n\n".join(dead)
    return out


def given_helper(assignment, name="relative_error"):
    from autograder.course import sample
    for cell in sample.release_notebook(assignment).cells:
        for node in ast.parse(cell.source).body if cell.cell_type == "code" and "def " + name in cell.source else ():
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return node, cell.source.split("\n")
    raise LookupError(name)


def nested_in_given(cells, assignment):
    """All own code inside a function named like the release's ``relative_error`` (its body kept, so
    the notebook's checks still work), made global and run by one call, in the first exercise cell."""
    node, lines = given_helper(assignment)
    code = "\n\n".join(cells.values())
    names = set()
    for top in ast.parse(code).body:
        if isinstance(top, (ast.ClassDef, ast.FunctionDef)):
            names.add(top.name)
        elif isinstance(top, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in top.names)
    docstring = node.body[0]
    head = "\n".join(lines[node.lineno - 1:docstring.end_lineno])
    rest = "\n".join(lines[docstring.end_lineno:node.end_lineno])
    body = f"    global {', '.join(sorted(names))}\n" + textwrap.indent(code, "    ")
    first, *others = cells
    return {first: f"{head}\n{body}\n{rest}\n\n\nrelative_error(0.0, 0.0)\n", **{g: "" for g in others}}


def reformatted(cells, assignment):
    """Laid out by ``ast.unparse`` (other parentheses, quotes and spacing, comments gone), indented by
    two spaces, with a comment on every third line and a blank line after every def."""
    out = {}
    for gid, code in cells.items():
        lines = []
        for k, line in enumerate(ast.unparse(ast.parse(code)).split("\n")):
            stripped = line.lstrip(" ")
            line = " " * ((len(line) - len(stripped)) // 2) + stripped
            lines.append(line + ("  # step" if k % 3 == 2 and not line.rstrip().endswith(("\\", ",")) else ""))
            if stripped.startswith("def "):
                lines.append("")
        out[gid] = "\n".join(lines) + "\n"
    return out


MECHANICAL = {"renamed": renamed, "reordered": reordered, "dead": with_dead_code, "nested": nested_in_given,
              "reformatted": reformatted}


def exported(notebook):
    """A notebook as ``jupyter nbconvert --to script`` writes it (code cells, ``# In[ ]:`` between)."""
    cells = [c.source for c in notebook.cells if c.cell_type == "code"]
    body = "\n\n\n".join(f"# In[{k}]:\n\n\n" + "\n".join(line for line in source.split("\n")
                                                          if not line.lstrip().startswith(("%", "!")))
                         for k, source in enumerate(cells, 1))
    return "#!/usr/bin/env python\n# coding: utf-8\n\n" + body + "\n"


# ------------------------------------------------------------------------------------------ the class
def originals(assignment_id):
    """{name: cells} of the corpus's independent solutions, and of the reference's solved cells."""
    from autograder.course import sample
    from autograder.assignments import get
    assignment = get(assignment_id)
    found = {p.stem: corpus_cells(p.read_text(encoding="utf-8"))
             for p in sorted((CORPUS / assignment_id).glob("*.py")) if "--" not in p.stem}
    solved = sample.solved_cells(assignment)
    found[REFERENCE] = {gid: solved[gid] for gid in found[next(iter(found))]}
    return found


def programs(assignment_id):
    """{id: cells or .py text} of the whole corpus class, disguises included."""
    from autograder.assignments import get
    assignment = get(assignment_id)
    base = originals(assignment_id)
    names = sorted(base)
    out = {}
    for k, name in enumerate(names):
        cells = base[name]
        out[name] = cells
        for disguise, change in MECHANICAL.items():
            if disguise == "dead":
                other = base[names[(k + 1) % len(names)]]
                out[f"{name}--{disguise}"] = change(cells, assignment, other)
            else:
                out[f"{name}--{disguise}"] = change(cells, assignment)
    for path in sorted((CORPUS / assignment_id).glob("*--*.py")):
        out[path.stem] = corpus_cells(path.read_text(encoding="utf-8"))
    return out


def build_class(assignment_id, folder):
    """Write the corpus class into ``folder``: {id: file}. The reference's own solved cells are handed
    in too (``reference``: a verbatim copy nobody else copied); ``<name>--py`` is ``<name>`` exported."""
    from autograder.course import sample
    from autograder.assignments import get
    assignment = get(assignment_id)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for sid, cells in programs(assignment_id).items():
        for code in cells.values():
            compile(code, sid, "exec")
        notebook = sample.filled(assignment, cells)
        files[sid] = sample.write_notebook(notebook, folder / f"{sid}.ipynb")
        if "--" not in sid:
            files[f"{sid}--py"] = folder / f"{sid}--py.py"
            files[f"{sid}--py"].write_text(exported(notebook), encoding="utf-8")
    return files


def expected_pairs(ids):
    """(a, b, with) of every pair the check must flag: the pairs within a family, and each member of
    the reference's family with the reference."""
    pairs = {(a, b, "class") for a, b in itertools.combinations(sorted(ids), 2) if family(a) == family(b)}
    return pairs | {(sid, REFERENCE, "reference") for sid in ids if family(sid) == REFERENCE}


def collected(assignment_id, files):
    from autograder import assignments, results
    return [results.SubmissionResult(submission=str(path), id=sid, status=results.GRADED, assignment=assignment_id,
                                     rubric=assignments.get(assignment_id)) for sid, path in sorted(files.items())]


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def corpus(request, tmp_path_factory):
    from autograder.views import similarity
    from autograder.assignments import get
    assignment_id = request.param
    files = build_class(assignment_id, tmp_path_factory.mktemp(assignment_id))
    found = similarity.find_pairs(collected(assignment_id, files), get(assignment_id), files, threshold=THRESHOLD)
    return assignment_id, files, found


# ------------------------------------------------------------------------------------------ the truth
def test_exactly_the_copies_are_flagged(corpus):
    _, files, found = corpus
    assert found["skipped"] == []
    flagged = {(p["a"], p["b"], p["with"]) for p in found["pairs"]}
    expected = expected_pairs(files)
    assert flagged - expected == set(), "flagged, but independent"
    assert expected - flagged == set(), "copies not flagged"
    assert all(p["score"] >= THRESHOLD for p in found["pairs"])


def test_copies_score_high_and_independent_work_low(corpus):
    """Not only on which side of the threshold: each disguise of an original keeps at least 0.9,
    and no two independent solutions (or one and the reference) reach 0.7."""
    from autograder.views import similarity
    from autograder.assignments import get
    assignment_id, files, _ = corpus
    assignment = get(assignment_id)
    given = similarity.template(assignment)
    reference = similarity.reference_program(assignment, given)
    floor = similarity.FLOOR * len(reference.grams)
    grams = {sid: similarity.fingerprint(similarity.units(similarity.code_cells(path), given, assignment))[0]
             for sid, path in files.items()}
    grams[REFERENCE + "--solution"] = reference.grams
    originals_ = [sid for sid in grams if "--" not in sid or sid == REFERENCE + "--solution"]
    for sid in grams:
        if sid not in originals_:
            original = REFERENCE + "--solution" if family(sid) == REFERENCE else family(sid)
            assert similarity.score(grams[sid], grams[original], floor)[0] >= 0.9, sid
    for a, b in itertools.combinations(originals_, 2):
        if family(a) != family(b):
            assert similarity.score(grams[a], grams[b], floor)[0] < 0.7, (a, b)


# ------------------------------------------------------------------------------------------ the pieces
def _own(code, assignment_id="01_backprop_basics"):
    """The normalised lines of ``code`` (one cell) as the check sees them, unit by unit."""
    from autograder.views import similarity
    from autograder.assignments import get
    assignment = get(assignment_id)
    units = similarity.units([("cell 1", code)], similarity.template(assignment), assignment)
    return [[tokens for tokens, _ in unit] for unit in units]


def test_names_comments_docstrings_and_literals_do_not_count():
    a = ('def train_xor(net, X, y, learning_rate, epochs):\n    """Trains."""\n    out = []  # losses\n'
         '    for k in range(epochs):\n        out.append(np.mean(net.forward(X) * 2.0))\n    return out\n')
    b = ("def train_xor(net, X, y, learning_rate, epochs):\n    history = []\n\n"
         "    for step in range(epochs):   # again\n        history.append(xp.mean(net.forward(X) * 3))\n"
         "    return history\n")
    assert _own(a) == _own(b) == [[("N", "=", "[", "]"), ("for", "N", "in", "range", "(", "N", ")", ":"),
                                   ("N", ".", "append", "(", "N", ".", "mean", "(", "N", ".", "N", "(", "N", ")",
                                    "*", "0", ")", ")"), ("return", "N")]]
    assert _own(a) != _own(a.replace("np.mean", "np.sum"))          # numpy's names after a dot stay


def test_units_make_order_irrelevant():
    from autograder.views import similarity
    sigmoid = "class Sigmoid:\n    def forward(self, x):\n        return 1 / (1 + np.exp(-x))\n\n" \
              "    def backward(self, dout):\n        return dout * self.s * (1 - self.s)\n"
    swapped = "class Sigmoid:\n    def backward(self, dout):\n        return dout * self.s * (1 - self.s)\n\n" \
              "    def forward(self, x):\n        return 1 / (1 + np.exp(-x))\n"
    grams = lambda code: similarity.fingerprint([[(t, "") for t in unit] for unit in _own(code)])[0]  # noqa: E731
    assert grams(sigmoid) == grams(swapped)


def test_only_what_graded_code_reads_is_compared():
    code = ("def helper(v):\n    return v * 2\n\n\ndef unused(v):\n    return [v] * 3\n\n\n"
            "def train_xor(net, X, y, learning_rate, epochs):\n    return [helper(learning_rate)]\n\n\n"
            "print(train_xor(None, 1, 2, 3, 4))\n")
    assert _own(code) == [[("return", "N", "*", "0")], [("return", "[", "N", "(", "N", ")", "]")]]


def test_an_untouched_release_has_no_own_code():
    from autograder.views import similarity
    from autograder.assignments import get
    for assignment_id in ASSIGNMENTS:
        assignment = get(assignment_id)
        release = Path(assignment.release) / assignment.notebook
        cells = similarity.code_cells(release)
        assert similarity.units(cells, similarity.template(assignment), assignment) == []


def test_a_given_name_does_not_hide_code():
    """A definition named like a given helper counts with every line the release does not have: its
    given body drops out, what was nested in it does not."""
    from autograder.assignments import get
    node, lines = given_helper(get("01_backprop_basics"))
    given = "\n".join(lines[node.lineno - 1:node.end_lineno])
    call = "\n\nrelative_error(1.0, 1.0)\n"
    hidden = given.replace("    a = np.asarray(a, dtype=np.float64)",
                           "    global Sigmoid\n    class Sigmoid:\n        def forward(self, x):\n"
                           "            return 1 / (1 + np.exp(-x))\n    a = np.asarray(a, dtype=np.float64)")
    assert hidden != given
    assert _own(given + call) == []            # the release's helper, called: nothing graded reads it
    assert [("return", "0", "/", "(", "0", "+", "np", ".", "exp", "(", "-", "N", ")", ")")] not in _own(hidden + call)
    assert [("return", "0", "/", "(", "0", "+", "N", ".", "exp", "(", "-", "N", ")", ")")] in _own(hidden + call)


# ------------------------------------------------------------------------------------------ earlier terms
def test_earlier_terms_are_compared_as_a_base_corpus(tmp_path):
    """``report --base-corpus``: a student who copied an earlier term's submission is paired with it
    (``with`` "base"), an earlier term's copies of each other are not reported, and the page names
    the earlier submission as such."""
    import json
    from autograder.views import report
    from autograder.course import sample
    from autograder.assignments import get
    assignment = get("01_backprop_basics")
    base, folder = tmp_path / "2025-fall", tmp_path / "class"
    cells = originals(assignment.id)
    earlier = {"ann": cells["ann"], "ann_again": renamed(cells["ann"], assignment)}
    now = {"ben": cells["ben"], "chen": cells["chen"], "dora": reordered(cells["ann"], assignment)}
    for where, class_ in ((base, earlier), (folder, now)):
        for sid, code in class_.items():
            sample.write_notebook(sample.filled(assignment, code), where / f"{sid}.ipynb")
    page = report.run(result_dirs=[], out=tmp_path / "report", assignment=assignment, lang="en",
                      similarity=THRESHOLD, submissions=[folder], base_corpus=[base],
                      collected=collected(assignment.id, {sid: folder / f"{sid}.ipynb" for sid in now}))
    sim = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))["similarity"]
    assert {(p["a"], p["b"], p["with"]) for p in sim["pairs"]} == {("dora", "2025-fall/ann", "base"),
                                                                   ("dora", "2025-fall/ann_again", "base")}
    assert sim["base"] == 2 and sim["clusters"] == []
    text = page.read_text(encoding="utf-8")
    assert "2025-fall/ann (earlier submission)" in text and "and with 2 earlier submissions" in text


def test_base_corpus_needs_the_similarity_check(tmp_path):
    from tests.conftest import run_cli
    done = run_cli("report", tmp_path, "--out", tmp_path / "r", "--base-corpus", tmp_path, check=False)
    assert done.returncode == 2 and "--similarity" in done.stderr
    done = run_cli("report", tmp_path, "--out", tmp_path / "r", "--similarity", "0.8",
                   "--base-corpus", tmp_path / "nope", check=False)
    assert done.returncode == 2 and "no such folder" in done.stderr


# ------------------------------------------------------------------------------------------ real copies
@pytest.mark.slow
@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_every_solution_and_copy_earns_full_marks(assignment_id, tmp_path):
    """The disguises are evasions a student could hand in: graded through the CLI, every original and
    every copy (renamed, nested in a given name, with dead code, ...) scores full marks."""
    import json
    from tests.conftest import run_cli
    files = build_class(assignment_id, tmp_path / "class")
    run_cli("grade", tmp_path / "class", "--results-dir", tmp_path / "results", "--json", tmp_path / "grades.json",
            "--quiet", assignment=assignment_id)
    grades = json.loads((tmp_path / "grades.json").read_text(encoding="utf-8"))
    assert sorted(g["id"] for g in grades) == sorted(files)
    assert {g["id"]: g["score"] for g in grades} == {g["id"]: g["max_score"] for g in grades}
