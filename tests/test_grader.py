"""The grader on the corpus of correct variants and typical mistakes, through the real CLI."""
import json
import re
import subprocess
import sys

import nbformat
import pytest

from autograder import messages
from autograder.assignments.backprop_basics import ASSIGNMENT
from autograder.assignments.backprop_basics import rubric

from .conftest import FILES, ROOT, run_cli

CORPUS = FILES / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def part_scores(result):
    scores = {part: 0.0 for part in rubric.PARTS}
    for test in result["tests"]:
        scores[ASSIGNMENT.by_name[test["name"]].part] += test["score"]
    return scores


def grade(paths, tmp, lang="zh"):
    out = tmp / f"grades-{lang}.json"
    run_cli("grade", *paths, "--json", out, "--csv", tmp / f"grades-{lang}.csv", "--lang", lang, "--quiet")
    return {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus")
    return grade([CORPUS], tmp)


@pytest.fixture(scope="module")
def graded_en(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus-en")
    return grade([CORPUS / "mistakes", CORPUS / "correct"], tmp, lang="en")


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_part_keeps_or_loses_exactly_its_points(graded, name):
    expected = MANIFEST[name]
    result = graded[name.removesuffix(".py")]
    assert result["status"] == "graded"
    scores = part_scores(result)
    for part in expected["keeps"]:
        assert scores[part] == ASSIGNMENT.part_points[part], (part, result)
    for part in expected["loses"]:
        assert scores[part] < ASSIGNMENT.part_points[part], part


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_the_right_hint_in_the_right_part_and_none_on_correct_code(graded, name):
    hint = MANIFEST[name]["hint"]
    result = graded[name.removesuffix(".py")]
    tags = {(ASSIGNMENT.by_name[t["name"]].part, tag) for t in result["tests"] for tag in t["tags"]}
    if hint is None:
        assert tags == set()
    else:
        part = MANIFEST[name]["loses"][0]
        assert (part, hint) in tags
        assert {tag for _, tag in tags} == {hint}, "only the mistake's own hint"
        shown = [t["output"] for t in result["tests"] if hint in t["tags"]]
        assert all(messages.catalog("zh", ASSIGNMENT).hint(hint) in output for output in shown)


@pytest.mark.parametrize("name", sorted(n for n in MANIFEST if MANIFEST[n]["hint"]))
def test_every_test_the_mistake_fails_names_it(graded, name):
    """A knock-on failure (the loop that never calls backward also fails the accuracy test) is
    explained too: no lost point without the reason."""
    result = graded[name.removesuffix(".py")]
    unexplained = [t["name"] for t in result["tests"]
                   if t["score"] < t["max_score"] and MANIFEST[name]["hint"] not in t["tags"]]
    assert unexplained == []


@pytest.mark.parametrize("name", sorted(n for n in MANIFEST if (MANIFEST[n]["hint"] or "").startswith("net-")
                                        and "params" not in MANIFEST[n]["hint"]))
def test_get_params_and_grads_is_not_charged_for_a_wrong_forward_or_backward(graded, name):
    result = graded[name.removesuffix(".py")]
    test = next(t for t in result["tests"] if t["name"] == "TwoLayerNet.get_params_and_grads")
    hardcoded = MANIFEST[name]["hint"] == "net-hidden-size-hardcoded"   # its parameters cannot even be set
    assert (test["score"] < test["max_score"]) == hardcoded, test


@pytest.mark.parametrize("name", sorted(n for n in MANIFEST if MANIFEST[n]["hint"]))
def test_english_feedback_gives_the_same_hint_in_english(graded, graded_en, name):
    sid = name.removesuffix(".py").replace("mistakes/", "")
    result = graded_en[sid]
    hint = MANIFEST[name]["hint"]
    assert hint in {tag for t in result["tests"] for tag in t["tags"]}
    feedback = "\n".join(t["output"] for t in result["tests"])
    assert messages.catalog("en", ASSIGNMENT).hint(hint) in feedback
    assert not CJK.search(feedback.replace("σ", "")), feedback
    assert part_scores(result) == part_scores(graded[name.removesuffix(".py")])


def as_notebook(source, path, split=True):
    """The .py file as a notebook: one cell per top-level block (or one cell), with a magic added."""
    blocks = re.split(r"\n(?=(?:class |def |import |from ))", source) if split else [source]
    cells = [nbformat.v4.new_code_cell("%matplotlib inline")] + [nbformat.v4.new_code_cell(b) for b in blocks]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


def test_a_notebook_and_a_py_file_with_the_same_code_get_the_same_grades(graded, tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    names = ["correct/c01_split_abs.py", "correct/c06_demo_main.py", "mistakes/sigmoid-ignores-dout.py",
             "mistakes/net-params-copies.py", "mistakes/train-off-by-one.py"]
    for name in names:
        source = (CORPUS / name).read_text(encoding="utf-8")
        stem = name.replace("/", "__").removesuffix(".py")
        as_notebook(source, folder / f"{stem}.ipynb")
        as_notebook(source, folder / f"{stem}__one_cell.ipynb", split=False)
    notebooks = grade([folder], tmp_path)
    for name in names:
        stem = name.replace("/", "__").removesuffix(".py")
        expected = [t["score"] for t in graded[name.removesuffix(".py")]["tests"]]
        assert [t["score"] for t in notebooks[stem]["tests"]] == expected
        assert [t["score"] for t in notebooks[f"{stem}__one_cell"]["tests"]] == expected


def test_pytest_door_grades_one_submission_with_the_same_tests(tmp_path):
    command = [sys.executable, "-m", "pytest", str(ROOT / "autograder" / "assignments" / "backprop_basics" / "checks"), "-p", "no:cacheprovider",
               "--rootdir", str(ROOT / "autograder" / "assignments" / "backprop_basics" / "checks"), "-c", "/dev/null", "--submission"]
    good = subprocess.run(command + [str(CORPUS / "correct" / "c01_split_abs.py")], capture_output=True, text=True)
    assert good.returncode == 0, good.stdout
    assert "12 passed" in good.stdout
    assert "c01_split_abs: 100/100" in good.stdout
    bad = subprocess.run(command + [str(CORPUS / "mistakes" / "sigmoid-ignores-dout.py")], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "1 failed, 11 passed" in bad.stdout
    assert "Sigmoid.backward" in bad.stdout or "test_backward_gradient_check" in bad.stdout
    assert "Sigmoid 15/30, TwoLayerNet 40/40, train_xor 30/30" in bad.stdout


def test_xor_accuracy_counts_a_trained_network_whose_loop_returns_no_losses(tmp_path):
    """The accuracy test rejects losses that contradict the parameters (hand-set weights behind a
    made-up list, see tests/files/hostile/xor_without_training.py), but an honest loop that forgot to
    return its losses loses only the tests about losses."""
    source = (CORPUS / "correct" / "c01_split_abs.py").read_text(encoding="utf-8")
    silent = source.replace("            param -= learning_rate * grad\n    return losses",
                            "            param -= learning_rate * grad\n    return []")
    assert silent != source
    (tmp_path / "silent.py").write_text(silent, encoding="utf-8")
    result = grade([tmp_path / "silent.py"], tmp_path)["silent"]
    tests = {t["name"]: t["score"] for t in result["tests"]}
    assert tests["train_xor XOR accuracy"] == ASSIGNMENT.by_name["train_xor XOR accuracy"].points
    assert tests["train_xor final parameters"] == ASSIGNMENT.by_name["train_xor final parameters"].points
    assert tests["train_xor loss trajectory"] == 0
