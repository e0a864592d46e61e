"""The command line as instructors and scripts use it: outputs, errors, resume, shards and merge;
odd entries in the class folder, ids that a name filter would merge, workers that die and an isolation
that disappears mid-batch."""
import collections
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder import grading, results, sandbox
from autograder.assignments.backprop_basics import ASSIGNMENT, rubric

from .conftest import ASSIGNMENT_01, FILES, ROOT, VENV_BIN, run_cli

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
        assert result["max_score"] == ASSIGNMENT.total_points
        assert result["execution_time"] > 0
        assert result["score"] == pytest.approx(sum(t["score"] for t in result["tests"]))
        assert [t["name"] for t in result["tests"]] == [t.name for t in rubric.TESTS]
        for test in result["tests"]:
            assert test["name"].split(".")[0].split(" ")[0] in rubric.PARTS
            assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")
    rows = list(csv.reader((tmp_path / "g.csv").open(encoding="utf-8-sig")))
    assert rows[0] == ["id", "submission", "total", *rubric.PARTS, "max_score", "status", "reason",
                       "submitted_at", "late_by", "id_note"]
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
    strip = lambda rs: [{k: v for k, v in r.items() if k not in ("execution_time", "graded_at")} for r in rs]  # noqa: E731
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
    from autograder.assignments.backprop_basics import sample
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
    scores = {part: sum(t["score"] for t in result["tests"] if ASSIGNMENT.by_name[t["name"]].part == part) for part in rubric.PARTS}
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


# ------------------------------------------------------------------ odd entries, ids, workers, isolation
CORRECT = CORPUS / "correct" / "c01_split_abs.py"
SOURCE_NOTEBOOK = ROOT / "source" / "01_backprop_basics" / "backprop_basics.ipynb"
SOLVED_NOTEBOOK = ROOT / "solutions" / "01_backprop_basics" / "backprop_basics.ipynb"
REFERENCE_PY = ROOT / "solutions" / "01_backprop_basics" / "backprop_basics.py"


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def assert_strict_json(path):
    """What jq and every strict reader accept: UTF-8, no lone surrogate (raw or escaped), no NaN."""
    raw = Path(path).read_bytes()
    data = json.loads(raw.decode("utf-8"), parse_constant=lambda c: pytest.fail(f"{path}: {c} is not JSON"))
    for text in strings(data):
        text.encode("utf-8")   # a lone surrogate (from a \udcxx escape) fails here
    done = subprocess.run(["jq", "."], input=raw, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return data


@pytest.fixture
def deep_trees():
    """Folders made by ``make_deep``, removed afterwards with rm (pytest's own cleanup of old
    temporary folders recurses, and a tree 1,100 folders deep would stop it with RecursionError)."""
    made = []
    yield made
    for path in made:
        subprocess.run(["rm", "-rf", "--", str(path)], check=False)


def make_deep(folder, levels, leaf_name, leaf_bytes):
    """``folder/deep/a/a/.../leaf`` ``levels`` folders deep, made without recursion."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for name in ["deep"] + ["a"] * levels:
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        leaf = os.open(leaf_name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf, leaf_bytes)
        os.close(leaf)
    finally:
        os.close(fd)
    return "deep/" + "a/" * levels + leaf_name.rsplit(".", 1)[0]


def test_odd_entries_in_a_flat_folder_each_get_a_row_and_are_never_opened(tmp_path, deep_trees):
    """Links (to the reference, the solved and the source notebook, /etc/shadow, /dev/zero, nowhere,
    themselves, a classmate's file), a named pipe, a folder named like a notebook, a file 1,100
    folders deep and a file name that is not UTF-8, beside correct submissions: one row each, the
    correct ones 100, the rest a load-error saying why -- and no link is ever read."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("alice.py", "carol.py"):
        shutil.copy(CORRECT, folder / name)
    shutil.copy(CORRECT, bytes(folder) + b"/caf\xe9.py")
    links = {"ref.py": REFERENCE_PY, "solved.ipynb": SOLVED_NOTEBOOK, "source.ipynb": SOURCE_NOTEBOOK,
             "shadow.py": "/etc/shadow", "zero.py": "/dev/zero", "dangling.ipynb": "nowhere.ipynb",
             "loop.py": "loop.py", "classmate.py": "alice.py"}
    for name, target in links.items():
        os.symlink(target, folder / name)
    os.mkfifo(folder / "fifo.ipynb")
    (folder / "x.ipynb").mkdir()
    deep_trees.append(folder / "deep")
    deep = make_deep(folder, 1100, "deepest.py", CORRECT.read_bytes())
    done = run_cli("grade", folder, "--json", tmp_path / "g.json", "--csv", tmp_path / "g.csv", "--quiet",
                   "--feedback", tmp_path / "fb", timeout=600)
    data = {r["id"]: r for r in assert_strict_json(tmp_path / "g.json")}
    expected = {"alice", "carol", "caf\\xe9", deep, "fifo", "x", *(n.rsplit(".", 1)[0] for n in links)}
    assert set(data) == expected
    for sid in ("alice", "carol", "caf\\xe9", deep):
        assert (data[sid]["status"], data[sid]["score"]) == ("graded", 100), (sid, data[sid]["reason"])
    for name, target in links.items():
        result = data[name.rsplit(".", 1)[0]]
        assert (result["status"], result["score"]) == ("load-error", 0), result
        assert result["reason"].startswith(f"{name} is a symbolic link (to {target}"), result["reason"]
    assert "outside the submitted folder" in data["ref"]["reason"]
    assert "inside the submitted folder" in data["classmate"]["reason"]
    assert data["fifo"]["reason"] == ("fifo.ipynb is a named pipe (FIFO): only regular files inside the "
                                      "submitted folder are graded")
    assert data["x"]["reason"].startswith("x.ipynb is a folder")
    rows = list(csv.reader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert len(rows) == 1 + len(expected)
    assert len(list((tmp_path / "fb").glob("*.md"))) == len(expected)
    assert "Traceback" not in done.stderr


def test_nbgrader_layout_with_links_and_pipes(tmp_path):
    from autograder.assignments.backprop_basics import sample
    submitted = tmp_path / "submitted"
    good = sample.filled_notebook("reference")
    for student in ("s1", "s9"):
        sample.write_notebook(good, submitted / student / "01_backprop_basics" / "backprop_basics.ipynb")
    def folder(student):
        path = submitted / student / "01_backprop_basics"
        path.mkdir(parents=True)
        return path
    os.mkfifo(folder("s2") / "backprop_basics.ipynb")
    os.symlink(SOURCE_NOTEBOOK, folder("s3") / "backprop_basics.ipynb")
    os.symlink(SOLVED_NOTEBOOK, folder("s4") / "backprop_basics.ipynb")
    (submitted / "s5").mkdir()
    os.symlink("../s1/01_backprop_basics", submitted / "s5" / "01_backprop_basics")
    os.symlink("s1", submitted / "s6")
    os.symlink("/etc/shadow", folder("s7") / "backprop_basics.ipynb")
    os.symlink("../../s1/01_backprop_basics/backprop_basics.ipynb", folder("s8") / "backprop_basics.ipynb")
    run_cli("grade", tmp_path, "--json", tmp_path / "g.json", "--quiet", timeout=300)
    data = {r["id"]: r for r in assert_strict_json(tmp_path / "g.json")}
    assert sorted(data) == [f"s{i}" for i in range(1, 10)]
    assert [data[s]["score"] for s in ("s1", "s9")] == [100, 100]
    for student, says in {"s2": "backprop_basics.ipynb is a named pipe (FIFO)",
                          "s3": f"backprop_basics.ipynb is a symbolic link (to {SOURCE_NOTEBOOK}, outside",
                          "s4": f"backprop_basics.ipynb is a symbolic link (to {SOLVED_NOTEBOOK}, outside",
                          "s5": "01_backprop_basics is a symbolic link (to ../s1/01_backprop_basics, outside",
                          "s6": "s6 is a symbolic link (to s1)",
                          "s7": "backprop_basics.ipynb is a symbolic link (to /etc/shadow, outside",
                          "s8": "backprop_basics.ipynb is a symbolic link (to ../../s1/"}.items():
        assert (data[student]["status"], data[student]["score"]) == ("load-error", 0), data[student]
        assert data[student]["reason"].startswith(says), data[student]["reason"]


def test_ids_a_name_filter_would_merge_each_keep_their_own_result(tmp_path):
    """Under the old names (letters, digits and ._- kept, leading dots and dashes dropped, 32 bits of a
    hash) "-alice" and friends could be brute-forced onto alice's file, and alice vanished. Names now
    encode the id itself (results.file_stem), and a file that claims another id is never used."""
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(CORRECT, folder / "alice.py")
    for name in ("-alice.py", "--alice.py", "Alice.py", "ALICE.py", "alice_.py", "a%6cice.py"):
        (folder / name).write_text("x = 1\n", encoding="utf-8")
    out = tmp_path / "g.json"
    run_cli("grade", folder, "--json", out, "--csv", tmp_path / "g.csv", "--feedback", tmp_path / "fb", "--quiet")
    data = {r["id"]: r for r in assert_strict_json(out)}
    assert sorted(data) == sorted(["alice", "-alice", "--alice", "Alice", "ALICE", "alice_", "a%6cice"])
    assert data["alice"]["score"] == 100 and all(r["score"] == 0 for sid, r in data.items() if sid != "alice")
    names = [p.name.lower() for p in (tmp_path / "g.results").glob("*.json") if not p.name.startswith(".")]
    assert len(names) == len(set(names)) == 7, "distinct even on a case-insensitive file system"
    assert "**100 / 100**" in (tmp_path / "fb" / "alice.md").read_text(encoding="utf-8")

    # A result file that claims another id -- planted, or left by an older grader -- is never used.
    planted = json.loads(results.result_path(tmp_path / "g.results", "-alice").read_text(encoding="utf-8"))
    results.result_path(tmp_path / "g.results", "alice").write_text(json.dumps(planted), encoding="utf-8")
    assert results.load(tmp_path / "g.results", "alice", ASSIGNMENT) is None
    again = run_cli("grade", folder, "--json", out, "--quiet")
    assert "6 already graded" in again.stderr
    assert {r["id"]: r["score"] for r in assert_strict_json(out)}["alice"] == 100
    (tmp_path / "g.results" / "zz.json").write_text(json.dumps(planted), encoding="utf-8")
    merged = run_cli("merge", tmp_path / "g.results", "--json", tmp_path / "m.json")
    assert "zz.json: skipped, it holds the result of another id" in merged.stderr
    assert {r["id"]: r["score"] for r in assert_strict_json(tmp_path / "m.json")}["alice"] == 100


def _wait_for_results(folder, count, process, seconds=300):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if Path(folder).is_dir() and len([p for p in Path(folder).glob("*.json") if not p.name.startswith(".")]) >= count:
            return True
        time.sleep(0.05)
    return False


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


def _start_cli(*args, env=None):
    args = [*args, "--assignment", ASSIGNMENT_01] if args[0] == "grade" else args
    full_env = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {}))
    return subprocess.Popen([sys.executable, "-m", "autograder", *map(str, args)], cwd=ROOT, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


@pytest.fixture
def started():
    """CLIs a test starts in their own session; whatever of them is left is killed afterwards."""
    processes = []
    yield processes
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


@pytest.mark.slow
def test_a_worker_killed_midway_is_replaced_and_its_submission_reported(tmp_path, started):
    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(6):
        shutil.copy(CORRECT, folder / f"s{i}.py")
    process = _start_cli("grade", folder, "--json", tmp_path / "g.json", "--jobs", "1", "--quiet")
    started.append(process)
    assert _wait_for_results(tmp_path / "g.results", 2, process)
    workers = [pid for pid in _children(process.pid) if "pytest" in Path(f"/proc/{pid}/cmdline").read_text()]
    assert len(workers) == 1
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    data = {r["id"]: r for r in assert_strict_json(tmp_path / "g.json")}
    errors = [r for r in data.values() if r["status"] == "grader-error"]
    assert len(data) == 6 and len(errors) <= 1, [(r["id"], r["reason"]) for r in errors]
    assert all(r["score"] == 100 for r in data.values() if r["status"] != "grader-error")
    if errors:
        assert "stopped (exit status -9) while grading this submission" in errors[0]["reason"]
        assert "WARNING: 1 submission was NOT graded" in stdout
    again = run_cli("grade", folder, "--json", tmp_path / "g.json", "--quiet")
    assert f"{6 - len(errors)} already graded" in again.stderr
    assert [r["score"] for r in assert_strict_json(tmp_path / "g.json")] == [100] * 6


@pytest.mark.slow
@pytest.mark.skipif(not sandbox.isolation().bubblewrap, reason="bubblewrap is not installed")
def test_bubblewrap_that_disappears_midway_is_never_replaced_by_less(tmp_path, started):
    """The run pins the bubblewrap it started with; once it is gone, what is left is a grader-error
    that says so, in the results and in the summary the instructor reads -- never graded with less."""
    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(8):
        shutil.copy(CORRECT, folder / f"s{i}.py")
    bwrap = tmp_path / "bin" / "bwrap"
    bwrap.parent.mkdir()
    shutil.copy(sandbox.bwrap_path(), bwrap)
    process = _start_cli("grade", folder, "--json", tmp_path / "g.json", "--jobs", "1", "--quiet",
                         env={sandbox.BWRAP_ENV: str(bwrap)})
    started.append(process)
    assert _wait_for_results(tmp_path / "g.results", 2, process)
    bwrap.unlink()
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    data = [r for r in assert_strict_json(tmp_path / "g.json")]
    graded = [r for r in data if r["status"] == "graded"]
    errors = [r for r in data if r["status"] == "grader-error"]
    assert len(graded) >= 2 and len(errors) >= 4 and len(graded) + len(errors) == 8
    assert [r["id"] for r in data[:len(graded)]] == [r["id"] for r in graded], "graded up to the loss, then none"
    assert all(r["score"] == 100 and r["isolation"] == str(sandbox.isolation()) for r in graded)
    for r in errors:
        assert "bubblewrap" in r["reason"] and "no longer available" in r["reason"], r["reason"]
    assert f"WARNING: {len(errors)} submissions were NOT graded (grader-error)" in stdout
    assert "no longer available" in stdout
    again = run_cli("grade", folder, "--json", tmp_path / "g.json", "--quiet")   # bwrap on PATH again
    assert f"{len(graded)} already graded" in again.stderr
    assert [r["score"] for r in assert_strict_json(tmp_path / "g.json")] == [100] * 8


@pytest.mark.slow
def test_a_worker_that_stops_making_progress_is_replaced(tmp_path, started):
    """Whatever blocks a worker (here: SIGSTOP), the batch ends: past batch.stall_seconds without a
    result the worker is killed, its submission is a grader-error saying so, the rest is graded."""
    from autograder.grading import batch
    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(5):
        shutil.copy(CORRECT, folder / f"s{i}.py")
    limits = ["load_seconds=4", "request_seconds=2", "submission_seconds=5", "wall_factor=1.5"]
    stall = batch.stall_seconds(sandbox.parse_limits(limits))
    process = _start_cli("grade", folder, "--json", tmp_path / "g.json", "--jobs", "1", "--quiet",
                         *(a for limit in limits for a in ("--limit", limit)))
    started.append(process)
    assert _wait_for_results(tmp_path / "g.results", 2, process)
    workers = [pid for pid in _children(process.pid) if "pytest" in Path(f"/proc/{pid}/cmdline").read_text()]
    os.kill(workers[0], signal.SIGSTOP)
    stopped_at = time.monotonic()
    stdout, stderr = process.communicate(timeout=stall + 300)
    assert process.returncode == 0, stderr
    assert time.monotonic() - stopped_at >= stall - 1
    data = assert_strict_json(tmp_path / "g.json")
    errors = [r for r in data if r["status"] == "grader-error"]
    assert len(data) == 5 and len(errors) == 1, [(r["id"], r["status"], r["reason"]) for r in data]
    assert f"made no progress for {stall:.0f} s on this submission and was stopped" in errors[0]["reason"]
    assert all(r["score"] == 100 for r in data if r["status"] == "graded")
    assert "WARNING: 1 submission was NOT graded" in stdout


def _nbgrader_class(root, students):
    for student, variant in students.items():
        from autograder.assignments.backprop_basics import sample
        path = root / "submitted" / student / "01_backprop_basics" / "backprop_basics.ipynb"
        sample.write_notebook(sample.filled_notebook(variant), path)
        (path.parent / "timestamp.txt").write_text(f"2026-11-2{len(student) % 9} 10:00:00.000000 UTC\n")
    return root / "submitted"


def test_regrading_one_student_updates_that_row_and_nothing_else(tmp_path):
    submitted = _nbgrader_class(tmp_path, {"stu001": "reference", "stu002": "release", "stu003": "release"})
    out = tmp_path / "out"
    run_cli("grade", submitted, "--json", out / "grades.json", "--csv", out / "grades.csv", "--quiet")
    before = (out / "grades.csv").read_text(encoding="utf-8-sig").splitlines()
    from autograder.assignments.backprop_basics import sample
    sample.write_notebook(sample.filled_notebook("reference"), submitted / "stu003" / "01_backprop_basics" / "backprop_basics.ipynb")
    again = run_cli("grade", submitted / "stu003", "--json", out / "grades.json", "--csv", out / "grades.csv",
                    "--quiet", "--force")
    assert "2 more results from earlier runs" in again.stderr
    after = (out / "grades.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(after) == len(before) == 4
    changed = [(b, a) for b, a in zip(before, after) if b != a]
    assert len(changed) == 1 and changed[0][1].startswith("stu003,") and ",100," in changed[0][1]
    ids = [r["id"] for r in json.loads((out / "grades.json").read_text())]
    assert ids == ["stu001", "stu002", "stu003"]
    assert sorted(p.name.split(".")[0] for p in (out / "grades.results").glob("*.json") if not p.name.startswith(".")) == ids


def test_grade_reads_each_result_file_once_for_the_views(tmp_path, monkeypatch):
    """Counted, not timed: once to see whether a submission's result is up to date, once for the
    views -- the class's results and the earlier ones in the folder come from one reading."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("a", "b", "c"):   # links: refused without a worker, so each is a load-error at once
        os.symlink(CORPUS / CLASS[0], folder / f"{name}.py")
    grading.grade(paths=[folder], assignment=ASSIGNMENT.id, results_dir=tmp_path / "res", quiet=True, out=io.StringIO())
    (folder / "c.py").unlink()     # c's result stays in the folder: a result of an earlier run
    reads = collections.Counter()
    from_dict = results.SubmissionResult.from_dict.__func__

    def counted(cls, data, rubric):
        reads[data["id"]] += 1
        return from_dict(cls, data, rubric)
    monkeypatch.setattr(results.SubmissionResult, "from_dict", classmethod(counted))
    collected = grading.grade(paths=[folder], assignment=ASSIGNMENT.id, results_dir=tmp_path / "res", quiet=True,
                              out=io.StringIO())
    assert [r.id for r in collected] == ["a", "b", "c"] and {r.status for r in collected} == {results.LOAD_ERROR}
    assert reads == {"a": 2, "b": 2, "c": 1}, reads


def test_merge_names_missing_shards_and_conflicting_students(small_class, tmp_path):
    for k in (1, 2, 3):
        run_cli("grade", small_class, "--shard", f"{k}/3", "--results-dir", tmp_path / f"shard{k}", "--quiet")
    partial = run_cli("merge", tmp_path / "shard1", tmp_path / "shard3", "--json", tmp_path / "m.json", check=False)
    assert "shards missing: 2/3 of a class of 5 submissions (2 submissions have no result here)" in partial.stderr
    assert partial.returncode == 3 and "the class is incomplete" in partial.stderr.splitlines()[-1]
    assert len(json.loads((tmp_path / "m.json").read_text())) == 3, "what there is, written"
    # the same student graded in two folders: the newer result is kept, and the warning says which
    shutil.copytree(tmp_path / "shard1", tmp_path / "again")
    (small_class / "c01_split_abs.py").write_text("raise SystemExit\n")
    run_cli("grade", small_class / "c01_split_abs.py", "--results-dir", tmp_path / "again", "--quiet")
    both = run_cli("merge", tmp_path / "again", tmp_path / "shard1", tmp_path / "shard2", tmp_path / "shard3",
                   "--json", tmp_path / "m2.json")
    line = next(text for text in both.stderr.splitlines() if text.startswith("autograder: warning: c01_split_abs:"))
    assert f"kept {tmp_path / 'again'}" in line and "the newest" in line and "scores differ" in line
    merged = {r["id"]: r["score"] for r in json.loads((tmp_path / "m2.json").read_text())}
    assert merged["c01_split_abs"] == 0


def test_shards_share_one_results_folder_and_the_scheduler_names_each(small_class, tmp_path):
    """Three array tasks (Kubernetes-style, 0-based index) grade into one shared folder; each says
    which variable it read; the merge equals the class graded at once. A task that started and was
    killed is named by the merge (exit 3), and rerunning that one task completes the class."""
    shared = tmp_path / "shared"
    for index in (0, 1, 2):
        done = run_cli("grade", small_class, "--shard", "auto/3", "--results-dir", shared, "--quiet",
                       env={"JOB_COMPLETION_INDEX": str(index)})
        assert f"shard {index + 1}/3 from Kubernetes's JOB_COMPLETION_INDEX={index}" in done.stderr
    assert sorted(p.name for p in shared.glob(".run-*")) == [f".run-{k}-of-3.json" for k in (1, 2, 3)]
    run_cli("merge", shared, "--json", tmp_path / "merged.json")
    run_cli("grade", small_class, "--json", tmp_path / "once.json", "--quiet")
    strip = lambda rows: {r["id"]: [(t["name"], t["score"], t["output"]) for t in r["tests"]] for r in rows}  # noqa: E731
    assert strip(json.loads((tmp_path / "merged.json").read_text())) == \
        strip(json.loads((tmp_path / "once.json").read_text()))

    # task 2 killed mid-run: its record says started, its results are gone
    record = shared / ".run-2-of-3.json"
    data = json.loads(record.read_text())
    data["done"] = False
    record.write_text(json.dumps(data))
    for sid in data["ids"]:
        results.result_path(shared, sid).unlink()
    gap = run_cli("merge", shared, "--json", tmp_path / "gap.json", check=False)
    assert gap.returncode == 3
    assert "shard 2/3 started" in gap.stderr and "did not finish" in gap.stderr and "rerun that task" in gap.stderr
    # the scheduler's requeue: the same task again, then the merge is whole
    run_cli("grade", small_class, "--shard", "auto/3", "--results-dir", shared, "--quiet",
            env={"SLURM_ARRAY_TASK_ID": "2"})
    run_cli("merge", shared, "--json", tmp_path / "merged2.json")
    assert strip(json.loads((tmp_path / "merged2.json").read_text())) == \
        strip(json.loads((tmp_path / "once.json").read_text()))


def test_shard_auto_without_a_scheduler_is_a_one_line_reason(small_class, tmp_path):
    env = {v: "" for v in ("SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX")}
    done = run_cli("grade", small_class, "--shard", "auto/3", "--results-dir", tmp_path / "r", check=False, env=env)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "no scheduler's task index in the environment" in done.stderr


# ------------------------------------------------------------------ which assignment a run grades
def _release(assignment_id):
    from autograder import assignments
    assignment = assignments.get(assignment_id)
    return Path(assignment.release) / assignment.notebook


def test_a_folder_of_py_files_needs_the_assignment_named(tmp_path):
    shutil.copy(FILES / "corpus" / "correct" / "c01_split_abs.py", tmp_path / "a.py")
    done = run_cli("grade", tmp_path, "--json", tmp_path / "g.json", check=False, assignment=None)
    assert done.returncode == 2 and not (tmp_path / "g.json").exists()
    assert done.stderr.strip().splitlines()[-1].startswith("autograder: error: cannot tell which assignment")
    assert "01_backprop_basics" in done.stderr and "02_layers" in done.stderr


def test_notebooks_of_two_assignments_are_named_and_the_odd_one_shown(tmp_path):
    for k in range(3):
        shutil.copy(_release("01_backprop_basics"), tmp_path / f"s{k}.ipynb")
    shutil.copy(_release("02_layers"), tmp_path / "odd.ipynb")
    done = run_cli("grade", tmp_path, "--json", tmp_path / "g.json", check=False, assignment=None)
    assert done.returncode == 2 and not (tmp_path / "g.json").exists()
    assert "mix assignments 01_backprop_basics (3, e.g. s0.ipynb) and 02_layers (1, e.g. odd.ipynb)" in done.stderr
    # Named, the run grades every notebook as that assignment, the odd one too: 02's release gives a
    # working Sigmoid (its vanishing-gradient demo), and nothing else of 01.
    run_cli("grade", tmp_path, "--json", tmp_path / "g.json", "--quiet", assignment="01_backprop_basics")
    results = {r["id"]: r for r in json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))}
    assert {r["assignment"] for r in results.values()} == {"01_backprop_basics"} and len(results) == 4
    assert results["odd"]["status"] == "graded" and results["odd"]["score"] == ASSIGNMENT.part_points["Sigmoid"]
    assert all(results[f"s{k}"]["score"] == 0 for k in range(3))


def test_nbgrader_layout_tells_the_assignment_by_its_folder(tmp_path):
    target = tmp_path / "submitted" / "amy" / "02_layers"
    target.mkdir(parents=True)
    shutil.copy(_release("02_layers"), target / "layers.ipynb")
    run_cli("grade", tmp_path / "submitted", "--json", tmp_path / "g.json", "--quiet", assignment=None)
    (result,) = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert result["id"] == "amy" and result["assignment"] == "02_layers" and result["max_score"] == 100
