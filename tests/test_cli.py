"""The command line as instructors and scripts use it: outputs, errors, resume, shards and merge."""
import csv
import json
import shutil

import pytest

from autograder import rubric

from .conftest import FILES, run_cli

CORPUS = FILES / "corpus"
CLASS = ["correct/c01_split_abs.py", "correct/c05_helpers_constants.py", "mistakes/sigmoid-ignores-dout.py",
         "mistakes/train-ascends.py", "mistakes/net-params-copies.py"]


@pytest.fixture
def small_class(tmp_path):
    folder = tmp_path / "class"
    for name in CLASS:
        target = folder / name.split("/")[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, target)
    return folder


def test_json_is_gradescope_shaped_and_sorted_and_csv_is_a_gradebook(small_class, tmp_path):
    done = run_cli("grade", small_class, "--json", tmp_path / "g.json", "--csv", tmp_path / "g.csv", "--jobs", "2", "--quiet")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in data] == sorted(r["id"] for r in data) == sorted(n.split("/")[1][:-3] for n in CLASS)
    for result in data:
        assert {"score", "max_score", "execution_time", "output", "tests", "submission"} <= set(result)
        assert result["max_score"] == rubric.TOTAL_POINTS == 100
        assert result["execution_time"] > 0
        assert result["score"] == pytest.approx(sum(t["score"] for t in result["tests"]))
        assert [t["name"] for t in result["tests"]] == [t.name for t in rubric.TESTS]
        for test in result["tests"]:
            assert test["name"].split(".")[0].split(" ")[0] in rubric.PARTS
            assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")
    rows = list(csv.reader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert rows[0] == ["id", "submission", "total", *rubric.PARTS, "max_score", "status", "reason"]
    assert [r[0] for r in rows[1:]] == [r["id"] for r in data]
    assert "c01_split_abs" in done.stdout and "mean" in done.stdout


def test_a_path_that_does_not_exist_is_a_one_line_error(tmp_path):
    done = run_cli("grade", tmp_path / "nope", "--json", tmp_path / "g.json", check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"autograder: error: {tmp_path / 'nope'}: no such file or folder"]
    assert not (tmp_path / "g.json").exists()


def test_bad_arguments_exit_nonzero(tmp_path):
    assert run_cli("grade", tmp_path, "--shard", "3/2", check=False).returncode == 2
    assert run_cli("grade", check=False).returncode == 2


def test_rerun_reuses_results_and_force_regrades(small_class, tmp_path):
    first = run_cli("grade", small_class, "--json", tmp_path / "g.json", "--quiet")
    assert "0 already graded" in first.stderr
    again = run_cli("grade", small_class, "--json", tmp_path / "g.json", "--quiet")
    assert f"{len(CLASS)} already graded" in again.stderr
    (small_class / "c01_split_abs.py").write_text("raise SystemExit\n")   # changed file: regraded
    third = run_cli("grade", small_class, "--json", tmp_path / "g.json", "--quiet")
    assert f"{len(CLASS) - 1} already graded" in third.stderr
    forced = run_cli("grade", small_class, "--json", tmp_path / "g.json", "--quiet", "--force")
    assert "0 already graded" in forced.stderr


def test_shards_merged_equal_the_class_graded_at_once(small_class, tmp_path):
    whole = run_cli("grade", small_class, "--json", tmp_path / "whole.json", "--quiet")
    for k in (1, 2, 3):
        run_cli("grade", small_class, "--shard", f"{k}/3", "--results-dir", tmp_path / f"shard{k}", "--quiet")
    run_cli("merge", *(tmp_path / f"shard{k}" for k in (1, 2, 3)), "--json", tmp_path / "merged.json",
            "--csv", tmp_path / "merged.csv")
    strip = lambda rs: [{k: v for k, v in r.items() if k != "execution_time"} for r in rs]  # noqa: E731
    assert strip(json.loads((tmp_path / "merged.json").read_text())) == strip(json.loads((tmp_path / "whole.json").read_text()))
    assert whole.returncode == 0


def test_merge_draws_plots_and_names_a_result_file_it_cannot_use(small_class, tmp_path):
    run_cli("grade", small_class, "--results-dir", tmp_path / "res", "--quiet")
    foreign = json.loads(next((tmp_path / "res").glob("c01*.json")).read_text())
    foreign.update(id="zz-old", tests=[dict(foreign["tests"][0], name="Sigmoid.old test")])
    (tmp_path / "res" / "zz-old.json").write_text(json.dumps(foreign))
    (tmp_path / "res" / ".tmp-half.json").write_text("{")                   # a killed run's leftover
    merged = run_cli("merge", tmp_path / "res", "--json", tmp_path / "m.json", "--feedback", tmp_path / "fb")
    assert merged.stderr.count("autograder: warning:") == 1
    assert "zz-old.json: skipped" in merged.stderr and "'Sigmoid.old test' is not in this rubric" in merged.stderr
    assert sorted(r["id"] for r in json.loads((tmp_path / "m.json").read_text())) == sorted(
        name.split("/")[1].removesuffix(".py") for name in CLASS)
    assert len(list((tmp_path / "fb").glob("*.png"))) == len(CLASS)


def test_two_files_claiming_one_student_id_are_both_reported_not_graded(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(CORPUS / "correct" / "c01_split_abs.py", folder / "alice.py")
    shutil.copy(CORPUS / "correct" / "c01_split_abs.py", folder / "bob.py")
    notebook = folder / "alice.ipynb"
    notebook.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}))
    run_cli("grade", folder, "--json", tmp_path / "g.json", "--quiet")
    data = {r["id"]: r for r in json.loads((tmp_path / "g.json").read_text())}
    assert data["bob"]["score"] == 100
    duplicates = [r for sid, r in data.items() if sid.startswith("alice")]
    assert len(duplicates) == 2
    for result in duplicates:
        assert result["status"] == "duplicate"
        assert "alice.py" in result["reason"] and "alice.ipynb" in result["reason"]


def test_nbgrader_submitted_layout_gives_one_result_per_student(tmp_path):
    from autograder import sample
    for student, variant in (("s1", "reference"), ("s2", "sigmoid-ignores-dout"), ("s3", "release")):
        sample.write_notebook(sample.filled_notebook(variant),
                              tmp_path / "submitted" / student / "01_backprop_basics" / "backprop_basics.ipynb")
    run_cli("grade", tmp_path / "submitted", "--json", tmp_path / "g.json", "--quiet")
    data = json.loads((tmp_path / "g.json").read_text())
    assert [(r["submission"], r["id"], r["score"]) for r in data] == [("s1", "s1", 100), ("s2", "s2", 85), ("s3", "s3", 0)]
    untouched = data[2]
    assert all("請實作" in t["output"] for t in untouched["tests"]), "a 0 that says why"


def test_a_missing_import_the_code_uses_is_reported_and_costs_only_what_needs_it(tmp_path):
    source = (CORPUS / "correct" / "c01_split_abs.py").read_text(encoding="utf-8")
    source = "import no_such_module_backprop_xyz as helper\n" + source.replace(
        "def train_xor(net, X, y, learning_rate, epochs):", "def train_xor(net, X, y, learning_rate, epochs):\n    helper.start()", 1)
    (tmp_path / "sub.py").write_text(source, encoding="utf-8")
    run_cli("grade", tmp_path / "sub.py", "--json", tmp_path / "g.json", "--quiet")
    result = json.loads((tmp_path / "g.json").read_text())[0]
    assert "sub.py 第 1 行：ModuleNotFoundError" in result["output"]
    scores = {part: sum(t["score"] for t in result["tests"] if rubric.BY_NAME[t["name"]].part == part) for part in rubric.PARTS}
    assert scores == {"Sigmoid": 30, "TwoLayerNet": 40, "train_xor": 0}


def test_limits_are_overridable_and_checked(tmp_path):
    slow = (CORPUS / "correct" / "c01_split_abs.py").read_text(encoding="utf-8").replace(
        "def train_xor(net, X, y, learning_rate, epochs):", "def train_xor(net, X, y, learning_rate, epochs):\n    import time; time.sleep(3)", 1)
    (tmp_path / "slow.py").write_text(slow, encoding="utf-8")
    run_cli("grade", tmp_path / "slow.py", "--json", tmp_path / "g.json", "--quiet", "--limit", "request_seconds=1")
    result = json.loads((tmp_path / "g.json").read_text())[0]
    train = [t for t in result["tests"] if t["name"].startswith("train_xor")]
    assert all(t["score"] == 0 for t in train) and "1 秒" in train[0]["output"]
    assert result["score"] == 70
    bad = run_cli("grade", tmp_path / "slow.py", "--limit", "speed=3", check=False)
    assert bad.returncode == 2 and "unknown limit 'speed'" in bad.stderr
