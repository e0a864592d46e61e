"""What the grader executes of a submission (autograder/load.py)."""
import json

import pytest

from autograder import load


def kept(cells):
    program = load.load_cells(cells)
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
])
def test_unreadable_submissions_get_a_one_line_reason(tmp_path, content, reason):
    path = tmp_path / "sub.ipynb"
    path.write_bytes(content)
    with pytest.raises(load.LoadError, match=reason):
        load.load_path(path)


def test_too_large_files_are_refused_without_reading_them(tmp_path):
    path = tmp_path / "big.py"
    with open(path, "wb") as f:
        f.truncate(load.MAX_BYTES + 1)
    with pytest.raises(load.LoadError, match="MB"):
        load.load_path(path)


def test_non_utf8_bytes_are_replaced_with_a_note(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes("# caf\xe9\ndef Sigmoid():\n    return 1\n".encode("latin-1"))
    program = load.load_path(path)
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
        text = "\n".join(c["source"] for c in load.load_path(path).chunks)
        assert expected in text and "markdown" not in text
