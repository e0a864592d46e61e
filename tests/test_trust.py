"""A student who is right is never told they are wrong (issue 10): correct code in unusual forms gets
full marks, a mistake costs exactly its own part, and every message states what was measured."""
import json
import re

import pytest

from autograder.assignments.backprop_basics import ASSIGNMENT, rubric

from .conftest import FILES, run_cli

TRUST = FILES / "trust"
ENGLISH_FRAGMENTS = re.compile(r"returned None|has shape|expected \(|not defined:|the network has no|"
                               r"must return|time limit|the process ended")
# file: (points per part, tags that must be given, text each language's feedback must hold)
EXPECTED = {
    "own_pieces": ({"Sigmoid": 30, "TwoLayerNet": 40, "train_xor": 30}, set(), {"zh": "你繳交的程式裡的", "en": "of your submission"}),
    "own_pieces_wrong_sigmoid": ({"Sigmoid": 15, "TwoLayerNet": 40, "train_xor": 30}, {"sigmoid-ignores-dout"}, {}),
    "own_wrong_piece_used": ({"Sigmoid": 15, "TwoLayerNet": 21, "train_xor": 30}, {"sigmoid-derivative-uses-input"},
                             {"zh": "只在搭配你自己的 Sigmoid", "en": "only runs with your own Sigmoid"}),
    "top_level_forms": ({"Sigmoid": 30, "TwoLayerNet": 40, "train_xor": 30}, set(),
                        {"zh": "import google.colab 在評分環境找不到", "en": "import google.colab cannot be found"}),
    "kept_statement_fails": ({"Sigmoid": 30, "TwoLayerNet": 40, "train_xor": 0}, set(),
                             {"zh": "RATE_SCALE 沒有定義，是因為定義它的敘述（kept_statement_fails.py 第 204 行）",
                              "en": "RATE_SCALE is not defined because the statement defining it (kept_statement_fails.py, line 204)"}),
    "train_no_return": ({"Sigmoid": 30, "TwoLayerNet": 40, "train_xor": 17}, {"train-no-return"}, {}),
    "overwrites_dout": ({"Sigmoid": 22.5, "TwoLayerNet": 40, "train_xor": 30}, {"modifies-input"},
                        {"zh": "Sigmoid.backward 改寫了呼叫者傳進來的 dout", "en": "Sigmoid.backward overwrote the dout"}),
    # issue 22 §5: one rule for "trained by gradient descent", and catalog words only
    "xor_half_step": ({"Sigmoid": 30, "TwoLayerNet": 40, "train_xor": 16}, {"train-step-scale"},
                      {"zh": "0.5 倍", "en": "steps 0.5 times the reference's"}),
    "xor_ascent": ({"Sigmoid": 30, "TwoLayerNet": 40, "train_xor": 0}, {"train-ascends"}, {}),
    "fc2_not_set": ({"Sigmoid": 30, "TwoLayerNet": 0, "train_xor": 30}, set(),
                    {"zh": "得到 None（沒有設定）", "en": "got None (not set)"}),
    "db_wrong_axis": ({"Sigmoid": 30, "TwoLayerNet": 30, "train_xor": 30}, {"net-bias-grad-shape"},
                      {"zh": "fc1.db 的形狀是 (5,)，應為 (8,)", "en": "fc1.db has shape (5,), expected (8,)"}),
}


@pytest.fixture(scope="module", params=["zh", "en"])
def graded(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"trust-{request.param}") / "grades.json"
    run_cli("grade", TRUST, "--json", out, "--lang", request.param, "--quiet")
    return request.param, {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}


def test_the_corpus_is_the_expected_one():
    assert sorted(p.stem for p in TRUST.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_part_scores_exactly_and_says_what_was_measured(graded, name):
    lang, results = graded
    points, tags, text = EXPECTED[name]
    result = results[name]
    assert result["status"] == "graded"
    got = {part: 0.0 for part in rubric.PARTS}
    for test in result["tests"]:
        got[ASSIGNMENT.by_name[test["name"]].part] += test["score"]
    assert got == pytest.approx(points), got
    assert {tag for t in result["tests"] for tag in t["tags"]} == tags
    everything = result["output"] + "\n".join(t["output"] for t in result["tests"])
    if lang in text:
        assert text[lang] in everything
    if lang == "zh":
        assert not ENGLISH_FRAGMENTS.search(everything), ENGLISH_FRAGMENTS.search(everything)


def test_totals_are_exact_sums_rounded_once_for_display(tmp_path):
    out = tmp_path / "g.json"
    run_cli("grade", FILES / "corpus" / "mistakes" / "net-hidden-size-hardcoded.py", "--json", out,
            "--csv", tmp_path / "g.csv", "--quiet")
    result = json.loads(out.read_text())[0]
    assert result["score"] == sum(t["score"] for t in result["tests"])
    # the hard-coded 8 is right for the 2-8-1 size only: a third of each test (backward tests credit per case)
    assert result["score"] == pytest.approx(70 + 2 / 3)
    row = (tmp_path / "g.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert ",70.67," in row and "70.6667" not in row
