"""Why a test lost points travels as data: each test result carries a ``kind`` (one value of
``autograder.results.kinds.Kind``) and, for an exception, its type name; the class report groups by
those fields, never by the feedback's wording."""
import json
import os
import subprocess
import sys

import pytest

from autograder import messages, results
from autograder.assignments.backprop_basics import ASSIGNMENT
from autograder.checks.check import Check, Incomplete, finish
from autograder.results.kinds import Kind
from autograder.sandbox.child import Reply
from autograder.views import report as class_report

from .conftest import FILES, ROOT

TEST = ASSIGNMENT.by_name["Sigmoid.forward values"]


def failed_with(error, lang="en"):
    check = Check(TEST, lang, assignment=ASSIGNMENT)
    assert check.failed(Reply(error=error), "Sigmoid.forward")
    return check


@pytest.mark.parametrize("error, kind, exception", [
    pytest.param({"kind": "raised", "message": "ValueError: bad", "where": "cell 3, line 2, in forward"},
                 Kind.RAISED, "ValueError", id="raised"),
    pytest.param({"kind": "raised", "message": "NameError: name 'np' is not defined", "where": ""},
                 Kind.RAISED, "NameError", id="name-error"),
    pytest.param({"kind": "claimed-by-student", "message": "whatever: x"}, Kind.RAISED, "whatever",
                 id="unknown-kind-is-raised"),
    pytest.param({"kind": "timeout", "message": "time limit of 10 s exceeded", "where": ""}, Kind.TIMEOUT, "",
                 id="timeout"),
    pytest.param({"kind": "timeout", "message": "", "detail": {"key": "timeout-cpu"}, "seconds": 10},
                 Kind.TIMEOUT_CPU, "", id="timeout-cpu"),
    pytest.param({"kind": "timeout", "message": "", "detail": {"key": "budget"}}, Kind.BUDGET, "", id="budget"),
    pytest.param({"kind": "load-timeout", "message": "", "where": ""}, Kind.LOAD_TIMEOUT, "", id="load-timeout"),
    pytest.param({"kind": "load-exited", "message": "", "where": ""}, Kind.LOAD_EXITED, "", id="load-exited"),
    pytest.param({"kind": "exited", "code": -9, "message": "", "detail": {"key": "out-of-memory"}},
                 Kind.OUT_OF_MEMORY, "", id="out-of-memory"),
    pytest.param({"kind": "exited", "detail": {"key": "no-process"}, "message": ""}, Kind.NO_PROCESS, "",
                 id="no-process"),
    pytest.param({"kind": "exited", "code": 3, "message": "the process ended (exit status 3)"}, Kind.EXITED, "",
                 id="exited"),
    pytest.param({"kind": "protocol", "message": "not understood"}, Kind.PROTOCOL, "", id="protocol"),
    pytest.param({"kind": "missing", "message": "Sigmoid", "detail": {"key": "missing", "name": "Sigmoid"}},
                 Kind.MISSING, "", id="missing"),
    pytest.param({"kind": "returned-none", "message": "x", "detail": {"key": "returned-none", "what": "f"}},
                 Kind.RETURNED_NONE, "", id="returned-none"),
    pytest.param({"kind": "not-array", "message": "x", "detail": {"key": "not-array", "what": "f", "type": "str"}},
                 Kind.NOT_ARRAY, "", id="not-array"),
    pytest.param({"kind": "structure", "message": "no fc1"}, Kind.STRUCTURE, "", id="structure"),
])
def test_a_failed_call_records_its_kind(error, kind, exception):
    check = failed_with(error)
    assert (check.kind, check.exception) == (kind, exception)
    assert check.result_kind == kind.value


def test_the_first_fault_is_kept_and_full_points_have_no_kind():
    check = failed_with({"kind": "timeout", "message": ""})
    check.wrong_shape("Sigmoid.forward", got=(2,), expected=(3,))
    check.not_finite("Sigmoid.forward")
    assert check.kind is Kind.TIMEOUT
    check.share = 1.0
    assert check.result_kind == ""


def test_a_test_that_lost_points_without_a_fault_lost_them_on_values():
    check = Check(TEST, "zh", assignment=ASSIGNMENT)
    with pytest.raises(Incomplete):
        finish(check, 0.5)
    assert check.result_kind == "wrong-values"


def test_the_kept_attempt_gives_the_kind():
    test = ASSIGNMENT.by_name["TwoLayerNet.forward values"]
    check = Check(test, "en", assignment=ASSIGNMENT)
    with_reference, own = check.attempt(("FullyConnectedLayer", "Sigmoid")), check.attempt(())
    with_reference.failed(Reply(error={"kind": "raised", "message": "KeyError: 'W'"}), "TwoLayerNet.forward")
    own.share = 0.5
    own.wrong_shape("TwoLayerNet.forward", got=(5,), expected=(5, 1))

    class Everything:
        def part_full(self, part):
            return True
    check.adopt([with_reference, own], Everything())
    assert (check.result_kind, check.exception) == ("shape", "")


def test_stored_kinds_round_trip_and_old_files_read_as_before(tmp_path):
    tests = [results.TestResult(t.name, 0.0, t.points, part=t.part, kind="raised", exception="ValueError")
             for t in ASSIGNMENT.tests]
    tests[0] = results.TestResult(tests[0].name, tests[0].max_score, tests[0].max_score, part=tests[0].part)
    record = results.SubmissionResult(submission="s.py", id="s", status=results.GRADED, assignment=ASSIGNMENT.id,
                                      tests=tests, rubric=ASSIGNMENT)
    results.save(record, tmp_path)
    back = results.load(tmp_path, "s", ASSIGNMENT)
    assert [(t.kind, t.exception) for t in back.tests] == [(t.kind, t.exception) for t in tests]

    path = results.result_path(tmp_path, "s")
    data = json.loads(path.read_text(encoding="utf-8"))
    for test in data["tests"]:
        del test["kind"], test["exception"]
    path.write_text(json.dumps(data), encoding="utf-8")
    old = results.load(tmp_path, "s", ASSIGNMENT)
    assert [t.kind for t in old.tests] == [""] + ["wrong-values"] * (len(tests) - 1)
    assert {t.exception for t in old.tests} == {""}

    data["tests"][1]["kind"] = "not-a-kind"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert results.load(tmp_path, "s", ASSIGNMENT) is None, "a kind this kit does not know is regraded, never shown"


def _graded(sid, output, kind, exception=""):
    tests = [results.TestResult(t.name, t.points, t.points, part=t.part) for t in ASSIGNMENT.tests]
    first = ASSIGNMENT.tests[0]
    tests[0] = results.TestResult(first.name, 0.0, first.points, output=output, part=first.part, kind=kind,
                                  exception=exception)
    return results.SubmissionResult(submission=sid, id=sid, status=results.GRADED, assignment=ASSIGNMENT.id,
                                    tests=tests, rubric=ASSIGNMENT)


def test_the_class_report_groups_by_the_stored_kind_not_by_the_words():
    reworded = "Sigmoid.forward took a very long while"       # no catalog's sentence: only the fields tell
    collected = [_graded("a", reworded, "timeout"), _graded("b", "ValueError: something else", "timeout"),
                 _graded("c", reworded, "raised", "ValueError"), _graded("d", reworded, "raised", "KeyError"),
                 _graded("e", "exceeded the time limit of 3 s (an endless loop?)", "missing")]
    groups = sorted(sorted(g["students"]) for g in class_report.build(collected, ASSIGNMENT, words=messages.catalog("en", ASSIGNMENT))["unhinted"])
    assert groups == [["a", "b"], ["c"], ["d"], ["e"]]


# ------------------------------------------------------------------ end to end, on the tiny assignment
TINY = FILES / "tiny"
TANH = ('import numpy as np\n\nclass Tanh:\n    def forward(self, x):\n        self.y = np.tanh(x)\n'
        '        return {forward}\n\n    def backward(self, dout):\n        return {backward}\n')
SUBMISSIONS = {
    "good": TANH.format(forward="self.y", backward="dout * (1 - self.y ** 2)"),
    "raises": TANH.format(forward="self.y", backward="dout * self.missing"),
    "shape": TANH.format(forward="self.y.ravel()[:1]", backward="dout * (1 - self.y ** 2)"),
    "values": TANH.format(forward="self.y * 2", backward="dout * (1 - self.y ** 2) + 1"),
    "hinted": TANH.format(forward="self.y", backward="1 - self.y ** 2"),
    "absent": "import numpy as np\n",
}
EXPECTED = {   # sid -> ((forward kind, exception), (backward kind, exception))
    "good": (("", ""), ("", "")),
    "raises": (("", ""), ("raised", "AttributeError")),
    "shape": (("shape", ""), ("", "")),
    "values": (("wrong-values", ""), ("wrong-values", "")),
    "hinted": (("", ""), ("wrong-values", "")),
    "absent": (("missing", ""), ("missing", "")),
}


@pytest.mark.slow
def test_kinds_are_stored_on_each_result_through_the_cli(tmp_path):
    for sid, code in SUBMISSIONS.items():
        (tmp_path / f"{sid}.py").write_text(code, encoding="utf-8")
    env = dict(os.environ, AUTOGRADER_ASSIGNMENTS=str(TINY),
               PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", tmp_path, "--assignment", "00_tanh", "--json",
                           tmp_path / "g.json", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    got = {r["id"]: tuple((t["kind"], t["exception"]) for t in r["tests"])
           for r in json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))}
    assert got == EXPECTED


def test_every_kind_has_words_in_every_language():
    for lang in messages.languages():
        words = messages.catalog(lang)
        assert [k.value for k in Kind if f"kind.{k.value}" not in words] == [], lang
