"""Assignment 02's points without the work (tests/files/hostile02), graded through the real CLI.

Each file is correct code with one cheat: a gradient computed by re-running forward on nudged copies
of its input (numerical differentiation, by the notebook's helper or a loop of the student's own), or
a train_classifier whose accuracy run is not the mini-batch SGD asked for. ``manifest.json`` names, per
file, the tests the cheat must lose (``zero_tests``, each to 0; ``says``: test -> what its feedback
says); every other test keeps all its points.
"""
import json

import pytest

from autograder.assignments.layers import ASSIGNMENT

from .conftest import FILES, run_cli

CORPUS = FILES / "hostile02"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))

pytestmark = [pytest.mark.slow, pytest.mark.serial]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile02") / "grades.json"
    run_cli("grade", CORPUS, "--json", out, "--quiet", assignment=ASSIGNMENT.id)
    return {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}


def test_every_file_has_a_manifest_entry():
    assert {p.name for p in CORPUS.glob("*.py")} == set(MANIFEST)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_the_cheat_loses_exactly_its_tests(graded, name):
    entry, result = MANIFEST[name], graded[name.removesuffix(".py")]
    assert result["status"] == "graded", result.get("reason")
    for test in result["tests"]:
        if test["name"] in entry["zero_tests"]:
            assert test["score"] == 0, (test["name"], test["output"])
            assert entry["says"].get(test["name"], "") in test["output"], (test["name"], test["output"])
        else:
            assert test["score"] == test["max_score"], (test["name"], test["output"])
