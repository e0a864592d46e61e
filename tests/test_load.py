"""What the grader executes of a submission (autograder/find: notebook, statements, load)."""
import json
import re
import symtable
import time

import pytest

from autograder.find import load, notebook, statements

# The names a grader calls in these tests (an assignment's entry points).
ENTRY_POINTS = ("FullyConnectedLayer", "Sigmoid", "TwoLayerNet", "train_xor")


def kept(cells):
    program = load.load_cells(cells, ENTRY_POINTS)
    return "\n".join(chunk["source"] for chunk in program.chunks), program


def test_definitions_run_and_top_level_work_does_not():
    source = """import numpy as np
import matplotlib.pyplot as plt
SCALE = 2.0
UNUSED = compute_something()

def train_xor(x):
    return SCALE * np.asarray(x)

print("training...")
net = train_xor(3)
if __name__ == "__main__":
    train_xor(1)
"""
    text, _ = kept([("submission.py", source)])
    assert "import numpy as np" in text and "SCALE = 2.0" in text and "def train_xor" in text
    for dropped in ("matplotlib", "UNUSED", "print(", "net = ", "__main__"):
        assert dropped not in text
    assert text.split("\n").index("def train_xor(x):") == source.split("\n").index("def train_xor(x):"), "line numbers kept"


def test_assignments_needed_by_other_assignments_are_followed():
    text, _ = kept([("s.py", "BASE = 1\nDERIVED = BASE * 2\nOTHER = 5\ndef helper():\n    return DERIVED\n"
                              "def unused():\n    return OTHER\ndef Sigmoid():\n    return helper()\n")])
    assert "BASE = 1" in text and "DERIVED" in text and "def helper" in text
    assert "OTHER" not in text and "unused" not in text


def test_local_names_do_not_pull_in_top_level_demo_code():
    source = ("x, y = 2.0, 3.0\nresult = demo(x, y)\ndef demo(a, b):\n    return a * b\n"
              "def train_xor(net, X, y, learning_rate, epochs):\n    return [y for _ in range(epochs)]\n")
    text, _ = kept([("cell 1", source)])
    assert "def train_xor" in text
    assert "x, y = 2.0" not in text and "demo" not in text


@pytest.mark.parametrize("line", ["%matplotlib inline", "!pip install numpy", "files = !ls", "?np.exp", "np.exp??"])
def test_ipython_lines_are_blanked(line):
    text, program = kept([("cell 1", f"{line}\nimport numpy as np\ndef Sigmoid():\n    return np.pi\n")])
    assert program.problems == [] and "def Sigmoid" in text and line not in text


def test_non_python_cell_magics_are_skipped_and_python_ones_kept():
    text, program = kept([("cell 1", "%%bash\necho hi\n"), ("cell 2", "%%time\ndef Sigmoid():\n    return 1\n")])
    assert program.problems == [] and "def Sigmoid" in text and "echo" not in text


def test_a_syntax_error_costs_only_its_cell():
    text, program = kept([("cell 1", "def Sigmoid():\n    return 1\n"), ("cell 2", "def TwoLayerNet(:\n    pass\n"),
                          ("cell 3", "def train_xor():\n    return 2\n")])
    assert "def Sigmoid" in text and "def train_xor" in text
    assert [(p["origin"], p["kind"], p["line"]) for p in program.problems] == [("cell 2", "SyntaxError", 1)]


@pytest.mark.parametrize("content,reason", [
    (b"", "is empty"),
    (b"\x00\x01binary", "binary"),
    (b"{not json", "not valid JSON"),
    (b"[1, 2, 3]", "not a Jupyter notebook"),
    # json.loads raises RecursionError: it stopped the grading worker, regraded on every run
    pytest.param(b'{"cells": [], "metadata": {"x": ' + b"[" * 60000 + b"]" * 60000 + b"}}", "JSON nested too deeply",
                 id="deep-json"),
    pytest.param(b'{"cells": [], "n": ' + b"1" * 5000 + b"}", "not valid JSON", id="huge-int"),  # over 4,300 digits
])
def test_unreadable_submissions_get_a_one_line_reason(tmp_path, content, reason):
    path = tmp_path / "sub.ipynb"
    path.write_bytes(content)
    with pytest.raises(load.LoadError, match=reason) as raised:
        load.load_path(path, ENTRY_POINTS)
    assert "\n" not in str(raised.value) and len(str(raised.value)) < 200


def test_too_large_files_are_refused_without_reading_them(tmp_path):
    path = tmp_path / "big.py"
    with open(path, "wb") as f:
        f.truncate(notebook.MAX_BYTES + 1)
    with pytest.raises(load.LoadError, match="MB"):
        load.load_path(path, ENTRY_POINTS)


def test_non_utf8_bytes_are_replaced_with_a_note(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes("# caf\xe9\ndef Sigmoid():\n    return 1\n".encode("latin-1"))
    program = load.load_path(path, ENTRY_POINTS)
    assert "UTF-8" in program.notes[0] and "line 1" in program.notes[0]
    assert "def Sigmoid" in program.chunks[0]["source"]


def test_notebook_source_as_list_or_string_and_nbformat3(tmp_path):
    v4 = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "source": ["def Sigmoid():\n", "    return 1\n"], "metadata": {}, "outputs": []},
        {"cell_type": "markdown", "source": "def Sigmoid(): pass  # markdown", "metadata": {}},
        {"cell_type": "code", "metadata": {}}]}
    v3 = {"nbformat": 3, "worksheets": [{"cells": [{"cell_type": "code", "input": "def train_xor():\n    return 2\n"}]}]}
    for name, nb, expected in (("v4.ipynb", v4, "def Sigmoid"), ("v3.ipynb", v3, "def train_xor")):
        path = tmp_path / name
        path.write_text(json.dumps(nb))
        text = "\n".join(c["source"] for c in load.load_path(path, ENTRY_POINTS).chunks)
        assert expected in text and "markdown" not in text


def test_a_long_chain_of_assignments_is_followed_in_linear_work(monkeypatch):
    """A fixed-point loop over every statement took quadratic time: ~2 minutes for this chain, hours for
    1 MB. The work is counted, not timed: each statement's names are computed at most once, and
    symtable runs only on the definitions the entry points reach."""
    n = 8000
    source = "\n".join(["import numpy as np", "a0 = 0"] + [f"a{i} = a{i - 1}" for i in range(1, n)]
                       + ["unused = np.zeros(3)", "def plot():\n    return unused",
                          f"class Sigmoid:\n    k = a{n - 1}\n    def forward(self, x):\n        return np.exp(x)"])
    calls = {"bound": 0, "read": 0, "symtable": 0}

    def counted(key, function):
        def wrapper(*args, **kwargs):
            calls[key] += 1
            return function(*args, **kwargs)
        return wrapper
    monkeypatch.setattr(statements, "names_bound", counted("bound", statements.names_bound))
    monkeypatch.setattr(statements, "names_read", counted("read", statements.names_read))
    monkeypatch.setattr(symtable, "symtable", counted("symtable", symtable.symtable))
    text, program = kept([("chain.py", source)])
    assert program.problems == []
    lines = text.split("\n")
    assert lines[:3] == ["import numpy as np", "a0 = 0", "a1 = a0"] and f"a{n - 1} = a{n - 2}" in lines
    assert "class Sigmoid:" in lines and "unused" not in text and "def plot" not in text
    # once per statement (n + 4), once per kept statement (n + 2), once per kept definition (Sigmoid)
    assert calls == {"bound": n + 4, "read": n + 2, "symtable": 1}, calls


def test_a_class_with_many_methods_loads_in_linear_work(monkeypatch):
    """symtable's get_symbols() looks up each name by scanning every child table: quadratic (20,000
    methods took ~15 s). It is never called; each name's flags are read once."""
    n = 20000
    made = {"symbols": 0}
    real = symtable.Symbol

    def counted(*args, **kwargs):
        made["symbols"] += 1
        return real(*args, **kwargs)
    monkeypatch.setattr(symtable, "Symbol", counted)
    monkeypatch.setattr(symtable.SymbolTable, "get_symbols", lambda self: pytest.fail("get_symbols is quadratic"))
    source = "class Sigmoid:\n" + "".join(f"    def m{i}(self):\n        return HELPER\n" for i in range(n))
    text, _ = kept([("many.py", "HELPER = 1\nOTHER = 2\n" + source)])
    assert "HELPER = 1" in text and "OTHER" not in text
    assert made["symbols"] <= n + 10, made      # the class's names: its n methods, and a few more


def _fastest(function, repeat=5):
    """The least CPU time (this process's, so a loaded machine's other work does not count) of ``repeat`` calls."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        function()
        best = min(best, time.process_time() - started)
    return best


def test_ipython_lines_are_recognised_in_linear_time():
    """Backtracking once took minutes on a long line. Eight times the line takes about eight times the
    CPU time (quadratic: 64): the ratio of two sizes in one run, each the fastest of five, sizes large
    enough that the clock's resolution does not matter."""
    for n in (50_000, 400_000):
        assert notebook.strip_magics(" " * n + "x") == " " * n + "x"
    small = _fastest(lambda: notebook.strip_magics(" " * 1_000_000 + "x"))
    large = _fastest(lambda: notebook.strip_magics(" " * 8_000_000 + "x"))
    assert large / small < 24, (small, large)


@pytest.mark.parametrize("line", ["", "   ", "  x = 1", "a, b = f(x)", "x == !y", "print('%d' % 3)", "  = !ls",
                                  "   %time f()", "  !ls", "x = !ls", " a, b=  %who", "?np.exp", "  np.exp??  ",
                                  "np.exp? x", "?? x"])
def test_the_linear_ipython_pattern_matches_what_the_old_one_did(line):
    old = re.compile(r"\s*([%!]|[\w.,\s]+=\s*[%!]|\?{1,2}[\w.]+\s*$|[\w.]+\?{1,2}\s*$)")
    assert bool(notebook.IPYTHON_LINE.match(line)) == bool(old.match(line))


def test_too_much_code_is_refused_before_parsing():
    with pytest.raises(load.LoadError, match="characters long, more than"):
        load.load_cells([("cell 1", "0\n" * (load.MAX_CODE_CHARS // 4)), ("cell 2", "0\n" * (load.MAX_CODE_CHARS // 4 + 1))], ENTRY_POINTS)


def test_deep_nesting_costs_only_its_cell():
    deep_lambdas = "def TwoLayerNet():\n    return " + "lambda: " * 1500 + "0\n"   # recursed past Python's limit
    deep_parens = "x = " + "(" * 100_000 + ")" * 100_000 + "\n"
    text, program = kept([("cell 1", deep_lambdas), ("cell 2", deep_parens), ("cell 3", "def Sigmoid():\n    return 1\n")])
    assert "def TwoLayerNet" in text and "def Sigmoid" in text
    assert [(p["origin"], p["kind"]) for p in program.problems] == [("cell 2", "SyntaxError")]


def test_a_lone_carriage_return_ends_a_line():
    """Python's tokenizer counts a lone \\r as a line end; the kept lines must agree (was an IndexError)."""
    text, program = kept([("cr.py", "import numpy as np\rdemo = 1\rdef Sigmoid():\r    return np.pi\r")])
    assert program.problems == []
    assert text.split("\n") == ["import numpy as np", "", "def Sigmoid():", "    return np.pi", ""]


# ------------------------------------------------------------------ every form of top-level code
@pytest.mark.parametrize("name,source,needed,dropped", [
    ("try-import-fallback",
     "import numpy as np\ntry:\n    from scipy.special import expit\nexcept ImportError:\n    def expit(x):\n"
     "        return 1 / (1 + np.exp(-x))\nclass Sigmoid:\n    def forward(self, x):\n        return expit(x)\n",
     ["from scipy.special import expit", "def expit(x):", "import numpy as np"], []),
    ("if-else-helper",
     "import numpy as np\nSTABLE = True\nif STABLE:\n    def _sig(x):\n        return np.exp(-np.logaddexp(0, -x))\n"
     "else:\n    def _sig(x):\n        return 1 / (1 + np.exp(-x))\nclass Sigmoid:\n    def forward(self, x):\n        return _sig(x)\n",
     ["STABLE = True", "if STABLE:", "else:"], []),
    ("for-loop-constant",
     "TABLE = {}\nfor k, v in [('a', 1), ('b', 2)]:\n    TABLE[k] = v * SCALE\nSCALE = 3\nk = 'demo'\nprint(k)\n"
     "def train_xor(net, X, y, learning_rate, epochs):\n    return TABLE['a']\n",
     ["TABLE = {}", "for k, v in", "SCALE = 3"], ["k = 'demo'", "print(k)"]),
    ("while-augmented",
     "i = 0\nPOWERS = []\nwhile i < 3:\n    POWERS.append(2 ** i)\n    i += 1\nPOWERS += [99]\n"
     "def train_xor(net, X, y, learning_rate, epochs):\n    return POWERS\n",
     ["i = 0", "while i < 3:", "POWERS += [99]"], []),
    ("with-block",
     "import warnings\nwith warnings.catch_warnings():\n    warnings.simplefilter('ignore')\n    EPS = 1e-8\n"
     "def Sigmoid():\n    return EPS\n",
     ["with warnings.catch_warnings():", "EPS = 1e-8", "import warnings"], []),
    ("decorator-and-registry",
     "REGISTRY = {}\ndef register(f):\n    REGISTRY[f.__name__] = f\n    return f\n@register\ndef helper(x):\n    return x\n"
     "def Sigmoid():\n    return REGISTRY['helper']\n",
     ["REGISTRY = {}", "def register(f):", "@register", "def helper(x):"], []),
    ("global-in-a-function",
     "def _setup():\n    global LR\n    LR = 0.3\n_setup()\nresult = _setup\n"
     "def train_xor(net, X, y, learning_rate, epochs):\n    return LR\n",
     ["def _setup():", "_setup()\n"], ["result = _setup"]),
    ("patched-method",
     "class Sigmoid:\n    pass\ndef _backward(self, dout):\n    return dout\nSigmoid.backward = _backward\n"
     "setattr(Sigmoid, 'forward', lambda self, x: x)\n",
     ["Sigmoid.backward = _backward", "def _backward", "setattr(Sigmoid"], []),
    ("main-block-and-demo-never-run",
     "import numpy as np\ndef Sigmoid():\n    return 1\nif __name__ == '__main__':\n    Sigmoid = None\n"
     "for epoch in range(1000):\n    net = Sigmoid()\nnp.random.seed(0)\n",
     ["def Sigmoid():"], ["__main__", "for epoch", "np.random.seed", "Sigmoid = None"]),
])
def test_every_form_of_top_level_code_that_graded_code_reads_is_kept(name, source, needed, dropped):
    text, program = kept([("cell 1", source)])
    assert program.problems == []
    for line in needed:
        assert line in text, f"{name}: {line!r} dropped"
    for line in dropped:
        assert line not in text, f"{name}: {line!r} kept"


def test_method_calls_build_data_but_not_modules_or_classes():
    source = ("import numpy as np\nimport matplotlib.pyplot as plt\nLOG = []\nLOG.append(1)\nnp.random.seed(1)\n"
              "plt.plot([1])\nclass Sigmoid:\n    def forward(self, x):\n        return np.array(LOG)\nSigmoid().forward(1)\n")
    text, _ = kept([("cell 1", source)])
    assert "LOG.append(1)" in text
    for dropped in ("np.random.seed", "plt.plot", "Sigmoid().forward(1)", "matplotlib"):
        assert dropped not in text


def test_unused_imports_are_listed_not_kept():
    text, program = kept([("cell 1", "import numpy as np\nimport scipy.special as sp\nfrom google.colab import drive\n"
                                      "from . import sibling\ndef Sigmoid():\n    return np.pi\n")])
    assert "scipy" not in text and "google" not in text
    assert program.unused_imports == [{"origin": "cell 1", "line": 2, "modules": ["scipy.special"]},
                                      {"origin": "cell 1", "line": 3, "modules": ["google.colab"]}]


def test_notebook_origins_count_code_cells_and_keep_first_lines(tmp_path):
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "source": "# title", "metadata": {}},
        {"cell_type": "code", "source": "import numpy as np\n", "metadata": {}, "outputs": []},
        {"cell_type": "markdown", "source": "text", "metadata": {}},
        {"cell_type": "code", "source": "\n\nclass Sigmoid:\n    pass\n", "outputs": [],
         "metadata": {"nbgrader": {"grade_id": "Sigmoid", "solution": True}}}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    program = load.load_path(path, ENTRY_POINTS)
    assert [c["origin"] for c in program.chunks] == ["cell 2"]
    assert program.cells == {"cell 1": {"first_line": "import numpy as np", "label": ""},
                             "cell 2": {"first_line": "class Sigmoid:", "label": "Sigmoid"}}


def test_python_cell_magics_exported_by_nbconvert_are_code():
    source = ("import numpy as np\nget_ipython().run_line_magic('matplotlib', 'inline')\n"
              "get_ipython().run_cell_magic('time', '', 'def train_xor(net, X, y, learning_rate, epochs):\\n"
              "    return [np.pi]\\n')\nget_ipython().run_cell_magic('bash', '', 'echo hi\\n')\n")
    text, program = kept([("export.py", source)])
    assert program.problems == []
    assert "def train_xor" in text and "echo" not in text and "import numpy as np" in text
    assert [c["origin"] for c in program.chunks] == ["export.py", "export.py (%%time at line 3)"]
