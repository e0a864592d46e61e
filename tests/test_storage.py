"""Where results live and what they hold: file names that cannot collide, a result that must belong
to the id that reads it, strict UTF-8 JSON, bounded and cleaned student text; and the discovery
primitives that never open anything but a regular file."""
import json
import os
import subprocess
import threading

import pytest

from autograder.find import discover, fingerprint
from autograder import results
from autograder.assignments.backprop_basics import ASSIGNMENT, rubric

IDS = ["alice", "Alice", "ALICE", "aLiCe", "-alice", "--alice", ".alice", "..alice", "-.alice", "alice-", "alice.",
       "a lice", "a_lice", "a%6cice", "a%2flice", "a/lice", "al~1ce", "al+ce", "+alice", "學生", "a\\xe9", "a\udce9",
       "", ".", "..", "-", "x" * 200, "x" * 201, "X" * 200, "alice [1/2]", "alice [2/2]", "CON", "a\x00b", "a\nb"]


def test_file_names_are_one_per_id_even_case_folded():
    names = [results.result_path("r", sid).name for sid in IDS]
    assert len(set(names)) == len(IDS)
    assert len({n.lower() for n in names}) == len(IDS)
    for name in names:
        assert not name.startswith((".", "-")) and "/" not in name and len(name.encode()) <= 255, name


def test_ordinary_ids_keep_readable_names():
    assert [results.file_stem(s) for s in ("alice", "s1", "c01_split_abs", "B10902001", "mistakes/train-ascends")] == \
           ["alice", "s1", "c01_split_abs", "B10902001~1", "mistakes%2ftrain-ascends"]


def result(sid, output=""):
    tests = [results.TestResult(t.name, t.points, t.points, output=output, part=t.part) for t in rubric.TESTS]
    return results.SubmissionResult(submission=sid, id=sid, status=results.GRADED, tests=tests, output=output,
                                    assignment="01_backprop_basics", rubric=ASSIGNMENT,
                                    fingerprint="f")


def test_a_result_is_only_ever_read_back_by_its_own_id(tmp_path):
    results.save(result("alice"), tmp_path)
    assert results.load(tmp_path, "alice", ASSIGNMENT).id == "alice"
    other = json.loads(results.result_path(tmp_path, "alice").read_text(encoding="utf-8"))
    other["id"] = "-alice"
    results.result_path(tmp_path, "alice").write_text(json.dumps(other), encoding="utf-8")
    assert results.load(tmp_path, "alice", ASSIGNMENT) is None
    assert results.load(tmp_path, "-alice", ASSIGNMENT) is None


def test_a_result_is_read_back_only_with_the_rubric_of_its_own_assignment(tmp_path):
    from autograder.assignments.layers import ASSIGNMENT as OTHER
    results.save(result("alice"), tmp_path)
    assert results.load(tmp_path, "alice", ASSIGNMENT).rubric is ASSIGNMENT
    assert results.load(tmp_path, "alice", OTHER) is None


def jq_accepts(path):
    return subprocess.run(["jq", "."], input=path.read_bytes(), capture_output=True).returncode == 0


def test_json_is_strict_whatever_the_text(tmp_path):
    r = result("a\udce9b", output="lone \ud800 and \udfff, bytes \udcff\udcfe")
    r.tests[0].score = float("nan")
    results.save(r, tmp_path)
    path = results.result_path(tmp_path, "a\udce9b")
    assert jq_accepts(path)
    data = json.loads(path.read_bytes().decode("utf-8"))
    assert data["id"] == "a\\xe9b"     # the byte as discover writes it in ids
    assert data["output"] == "lone \ufffd and \ufffd, bytes \\xff\\xfe"
    assert data["tests"][0]["score"] is None
    assert results.load(tmp_path, "a\udce9b", ASSIGNMENT).id == "a\\xe9b"


def test_student_text_is_cleaned_and_bounded_where_it_is_stored():
    """A 3.9 MB class name reported back became 11.7 MB of one test's output: escapes, and lines
    faking a pass. Whatever reaches a result is bounded and loses its control characters."""
    flood = ("\x1b[2J\x1b[32mALL TESTS PASSED\x1b[0m\r\n" + "A" * 1000 + "\x07\x00") * 4_000   # 4 MB
    r = result("x", output=flood)
    r.reason = flood
    r.tests[0].tags = [flood] * 100
    data = r.to_gradescope()
    assert len(json.dumps(data)) < 1024 ** 2
    assert len(data["tests"][0]["output"]) <= results.TEST_OUTPUT_CHARS + len(results.TRUNCATED)
    assert len(data["output"]) <= results.OUTPUT_CHARS + len(results.TRUNCATED)
    assert "\n" not in data["reason"] and len(data["reason"]) <= results.REASON_CHARS + len(results.TRUNCATED)
    assert len(data["tests"][0]["tags"]) == results.MAX_TAGS
    for text in [data["output"], data["reason"], data["tests"][0]["output"], *data["tests"][0]["tags"]]:
        assert not any(c in text for c in "\x1b\x07\x00\r"), text[:200]
    assert data["tests"][0]["output"].startswith("ALL TESTS PASSED\n")


@pytest.mark.parametrize("text, kept", [
    ("a\x1b[31mred\x1b[0m b", "ared b"),             # a terminal escape
    ("tab\tand\nnewline", "tab\tand\nnewline"),    # the two controls text may hold
    ("bell\x07 nul\x00 del\x7f", "bell nul del"),   # C0 and DEL
    ("csi\x9b31m nel\x85", "csi31m nel"),            # C1: a terminal reads \x9b as ESC [
])
def test_one_cleaner_removes_escapes_and_control_characters(text, kept):
    assert results.without_controls(text) == kept


def test_the_sandbox_handle_cleans_student_text_with_the_same_cleaner():
    from autograder.sandbox import child
    text = "a\x1b[31m\x9b\x85\x07b"
    assert child.clean(text, 100) == results.without_controls(text) == "ab"


def _no_hang(function, seconds=10):
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("value", _catch(function)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked"
    return box["value"]


def _catch(function):
    try:
        return function()
    except discover.Refused as exc:
        return exc


@pytest.mark.parametrize("make", ["fifo", "link to a file", "link to /dev/zero", "folder", "missing"])
def test_read_regular_never_blocks_or_follows(tmp_path, make):
    path = tmp_path / "x.ipynb"
    (tmp_path / "real.py").write_text("x = 1\n")
    {"fifo": lambda: os.mkfifo(path), "link to a file": lambda: os.symlink(tmp_path / "real.py", path),
     "link to /dev/zero": lambda: os.symlink("/dev/zero", path), "folder": lambda: path.mkdir(),
     "missing": lambda: None}[make]()
    outcome = _no_hang(lambda: discover.read_regular(path, 1024))
    assert isinstance(outcome, discover.Refused)
    expected = {"fifo": "x.ipynb is a named pipe (FIFO)", "link to a file": "x.ipynb is a symbolic link",
                "link to /dev/zero": "x.ipynb is a symbolic link (to /dev/zero)", "folder": "x.ipynb is a folder",
                "missing": "cannot read x.ipynb: No such file or directory"}[make]
    assert str(outcome).startswith(expected), str(outcome)


def test_fingerprinting_a_pipe_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "p.ipynb")
    submission = discover.Submission(id="p", path=tmp_path / "p.ipynb", given="p")
    assert len(_no_hang(lambda: fingerprint.of_submission(submission, "g"))) == 24


def test_ids_from_file_names_are_text_and_distinct():
    names = [b"caf\xe9", b"caf\\xe9", b"caf\xc3\xa9", b"a\\b", b"a\\\\b"]
    ids = [discover.name_text(os.fsdecode(n)) for n in names]
    assert ids == ["caf\\xe9", "caf\\\\xe9", "café", "a\\\\b", "a\\\\\\\\b"]
    assert len(set(ids)) == len(ids)
    for sid in ids:
        sid.encode("utf-8")
