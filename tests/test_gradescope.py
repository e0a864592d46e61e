"""The Gradescope bundle: exactly the grader and the reference in the zip, and a real run_autograder
in a folder laid out like Gradescope's container writes a results.json that follows the spec."""
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat

import pytest

from autograder.routes import gradescope, gradescope_bundle
from autograder import results
from autograder.assignments.backprop_basics import ASSIGNMENT, rubric, sample

from .conftest import ROOT, run_cli

# Gradescope's results.json keys (https://gradescope-autograders.readthedocs.io/en/latest/specs/).
TOP_KEYS = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
            "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST_KEYS = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
             "tags", "visibility", "extra_data"}
FORMATS = {"text", "simple_format", "html", "md", "ansi"}
SCRIPTS = ("setup.sh", "run_autograder")


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def assert_gradescope_results(data):
    assert isinstance(data, dict) and set(data) <= TOP_KEYS, set(data) - TOP_KEYS
    assert _number(data["score"]) and _number(data["execution_time"]) and data["execution_time"] >= 0
    assert isinstance(data["output"], str) and data["output"]
    assert data.get("output_format", "text") in FORMATS
    assert isinstance(data.get("extra_data", {}), dict)
    tests = data["tests"]
    assert [t["name"] for t in tests] == [t.name for t in rubric.TESTS]
    for test in tests:
        assert set(test) <= TEST_KEYS, set(test) - TEST_KEYS
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert _number(test["score"]) and _number(test["max_score"]) and 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert test["status"] == ("passed" if test["score"] >= test["max_score"] else "failed")
        assert isinstance(test["tags"], list) and all(isinstance(tag, str) for tag in test["tags"])
    assert data["score"] == pytest.approx(sum(t["score"] for t in tests))
    assert sum(t["max_score"] for t in tests) == ASSIGNMENT.total_points


def _intended_files():
    """The engine, this assignment's package (not its sample), its reference; no other assignment."""
    engine = ROOT / "autograder"
    grader = {p.relative_to(ROOT).as_posix() for p in engine.rglob("*.py")
              if p.relative_to(engine).parts[0] != "assignments" and "__pycache__" not in p.parts}
    grader.add("autograder/assignments/__init__.py")
    grader |= {p.relative_to(ROOT).as_posix() for p in ASSIGNMENT.folder.rglob("*.py") if "__pycache__" not in p.parts}
    grader = {name for name in grader if not name.endswith("/sample.py")
              and not any(name == left or name.startswith(left + "/") for left in gradescope_bundle.LEFT_OUT)}
    return grader | {"setup.sh", "run_autograder", "requirements.txt", "gradescope.json",
                     "solutions/__init__.py", "solutions/01_backprop_basics/backprop_basics.py"}


def test_the_zip_holds_exactly_the_grader_the_reference_and_the_two_scripts(tmp_path):
    out = gradescope_bundle.build(tmp_path / "dist" / "autograder.zip", ASSIGNMENT)
    assert out == tmp_path / "dist" / "autograder.zip"
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        infos = {info.filename: info for info in archive.infolist()}
        pins = [line for line in archive.read("requirements.txt").decode().splitlines() if not line.startswith("#")]
        assert pins == [line for line in (ROOT / "requirements.txt").read_text().splitlines()
                        if line.startswith(tuple(f"{name}==" for name in gradescope_bundle.GRADING_REQUIREMENTS))], \
            "only what grading imports"
        assert (archive.read("solutions/01_backprop_basics/backprop_basics.py")
                == (ROOT / "solutions/01_backprop_basics/backprop_basics.py").read_bytes())
        scripts = {name: archive.read(name).decode() for name in SCRIPTS}
    assert len(names) == len(set(names))
    assert set(names) == _intended_files()
    assert {n.split("/")[0] for n in names} == {"setup.sh", "run_autograder", "requirements.txt", "gradescope.json",
                                                "autograder", "solutions"}
    for must in ("autograder/__main__.py", "autograder/cli.py", "autograder/checks/plugin.py",
                 "autograder/sandbox/inside/runner.py", "autograder/assignments/backprop_basics/checks/conftest.py",
                 "autograder/routes/gradescope.py", "autograder/routes/gradescope_bundle.py"):
        assert must in names
    assert not [n for n in names if n.startswith(("tests/", "assignments/", "source/"))
                or n.endswith(".ipynb") or "__pycache__" in n or n == "solutions/build.py"]
    for name, text in scripts.items():
        assert text.startswith("#!/usr/bin/env bash\n") and "\r" not in text
        assert stat.S_IMODE(infos[name].external_attr >> 16) == 0o755, name
        assert subprocess.run(["bash", "-n"], input=text, text=True).returncode == 0, f"{name}: bash syntax"
    assert "/autograder/venv" in scripts["setup.sh"] or "$ROOT/venv" in scripts["setup.sh"]
    assert "bubblewrap" in scripts["setup.sh"] and "requirements.txt" in scripts["setup.sh"]
    # The same tree gives the same bytes (fixed timestamps, sorted entries).
    again = gradescope_bundle.build(tmp_path / "again.zip", ASSIGNMENT)
    assert again.read_bytes() == out.read_bytes()


def test_bad_language_is_refused(tmp_path):
    with pytest.raises(ValueError):
        gradescope_bundle.build(tmp_path / "a.zip", ASSIGNMENT, lang="fr")


@pytest.mark.parametrize("files, chosen", [
    (["backprop_basics.ipynb", "helper.py", "notes.ipynb"], "backprop_basics.ipynb"),
    (["deep/backprop_basics.ipynb", "backprop_basics.ipynb"], "backprop_basics.ipynb"),
    (["my_copy.ipynb", "scratch.py"], "my_copy.ipynb"),
    (["solution.py", "README.md"], "solution.py"),
    ([".ipynb_checkpoints/backprop_basics-checkpoint.ipynb", "hw.py"], "hw.py"),
    (["a.ipynb", "b.ipynb"], None),
    (["a.py", "b.py"], None),
    (["report.pdf"], None),
    ([], None),
])
def test_pick_chooses_the_notebook_or_the_only_file(tmp_path, files, chosen):
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    picked, _ = gradescope.pick(tmp_path, ASSIGNMENT.notebook)
    assert (picked.relative_to(tmp_path).as_posix() if picked else None) == chosen


def test_conversion_keeps_the_spec_keys_and_moves_the_rest_to_extra_data():
    tests = [results.TestResult(t.name, t.points if i else t.points / 2, t.points, output=f"out {i}",
                                tags=["hint"] if not i else [], part=t.part) for i, t in enumerate(rubric.TESTS)]
    result = results.SubmissionResult(submission="/x/backprop_basics.ipynb", id="backprop_basics",
                                      status=results.GRADED, tests=tests, output="note from the loader",
                                      assignment=ASSIGNMENT.id, rubric=ASSIGNMENT,
                                      execution_time=1.25, isolation="bubblewrap", fingerprint="abc")
    data = gradescope.to_results(result.to_gradescope(), file_name="backprop_basics.ipynb", lang="en")
    assert_gradescope_results(data)
    assert data["score"] == ASSIGNMENT.total_points - rubric.TESTS[0].points / 2
    assert data["tests"][0]["status"] == "failed" and data["tests"][0]["tags"] == ["hint"]
    assert data["extra_data"] == {"status": "graded", "reason": "", "isolation": "bubblewrap",
                                  "file": "backprop_basics.ipynb", "max_score": ASSIGNMENT.total_points}
    assert "note from the loader" in data["output"] and data["output_format"] == "text"
    assert data["execution_time"] == 1.25


# ------------------------------------------------------------------ the real thing
# Named in the decorator: test_hostile imports it as bundle_fixture, and its tests request "bundle".
@pytest.fixture(scope="module", name="bundle")
def bundle_fixture(tmp_path_factory):
    zip_path = gradescope_bundle.build(tmp_path_factory.mktemp("dist") / "autograder.zip", ASSIGNMENT)
    # Stands in for a Python with only what the bundle installs: grading never needs the rest.
    poison = tmp_path_factory.mktemp("poison")
    for module in ("nbformat", "nbgrader", "matplotlib"):
        (poison / module).mkdir()
        (poison / module / "__init__.py").write_text(f"raise ImportError('{module} is not part of grading')\n")
    return zip_path, poison


def gradescope_container(tmp_path, zip_path):
    """<tmp>/autograder laid out as Gradescope does: the zip extracted into source/, run_autograder
    copied to the top, empty submission/ and results/."""
    root = tmp_path / "autograder"
    for name in ("source", "submission", "results"):
        (root / name).mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    return root


def run_autograder(root, poison, extra_path=None):
    path = os.environ.get("PATH", "")
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable,
               PYTHONPATH=str(poison), PATH=f"{extra_path}{os.pathsep}{path}" if extra_path else path)
    if extra_path:
        env.pop("AUTOGRADER_NO_BWRAP", None)
    return subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)


def read_results(root, done):
    path = root / "results" / "results.json"
    assert done.returncode == 0, done.stdout + done.stderr
    assert path.is_file(), done.stdout + done.stderr
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_extracted_bundle_imports_from_itself_alone(tmp_path, bundle):
    root = gradescope_container(tmp_path, bundle[0])
    source = root / "source"
    modules = sorted(p.relative_to(source).with_suffix("").as_posix().replace("/", ".")
                     for p in (source / "autograder").rglob("*.py") if p.name != "__main__.py")
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "import autograder\nfrom autograder.assignments import get\n"
            "ref = get('01_backprop_basics').reference_module()\n"
            "print(autograder.__file__); print(ref.__file__)\n"
            "try:\n    import autograder.course.sample\nexcept ImportError:\n    print('no sample')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=source, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(source)))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == str(source / "autograder" / "__init__.py")
    assert lines[1] == str(source / "solutions" / "01_backprop_basics" / "backprop_basics.py")
    assert lines[2] == "no sample"


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["reference", "sigmoid-ignores-dout"])
def test_run_autograder_writes_gradescope_results(tmp_path, bundle, variant):
    zip_path, poison = bundle
    root = gradescope_container(tmp_path, zip_path)
    sample.write_notebook(sample.filled_notebook(variant), root / "submission" / "backprop_basics.ipynb")
    (root / "submission" / "scratch.py").write_text("print('not the submission')\n")   # ignored: the notebook wins
    data = read_results(root, run_autograder(root, poison))
    assert_gradescope_results(data)
    assert data["extra_data"]["status"] == "graded" and data["extra_data"]["file"] == "backprop_basics.ipynb"
    by_part = {p: sum(t["score"] for t in data["tests"] if t["name"].startswith(p)) for p in rubric.PARTS}
    if variant == "reference":
        assert data["score"] == 100
        assert all(t["status"] == "passed" for t in data["tests"])
    else:
        assert data["score"] < 100
        assert by_part["Sigmoid"] < ASSIGNMENT.part_points["Sigmoid"]
        backward = next(t for t in data["tests"] if t["name"] == "Sigmoid.backward gradient check")
        assert backward["status"] == "failed" and "sigmoid-ignores-dout" in backward["tags"]
        # One mistake costs one part's points: the other parts are graded against the reference.
        assert by_part["TwoLayerNet"] == ASSIGNMENT.part_points["TwoLayerNet"]
        assert by_part["train_xor"] == ASSIGNMENT.part_points["train_xor"]


@pytest.mark.slow
def test_an_empty_submission_scores_zero_and_says_what_was_expected(tmp_path, bundle):
    zip_path, poison = bundle
    root = gradescope_container(tmp_path, zip_path)
    (root / "submission" / "notes.txt").write_text("I forgot the notebook\n")
    data = read_results(root, run_autograder(root, poison))
    assert_gradescope_results(data)
    assert data["score"] == 0 and all(t["status"] == "failed" for t in data["tests"])
    assert "backprop_basics.ipynb" in data["output"] and "notes.txt" in data["output"]
    assert data["extra_data"]["status"] == "no-submission"


@pytest.mark.slow
def test_unusable_bubblewrap_falls_back_to_limits_only(tmp_path, bundle):
    """Docker without user namespaces: bwrap is installed but fails. Grading must still work."""
    zip_path, poison = bundle
    root = gradescope_container(tmp_path, zip_path)
    sample.write_notebook(sample.filled_notebook("reference"), root / "submission" / "backprop_basics.ipynb")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "bwrap").write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    (fake / "bwrap").chmod(0o755)
    done = run_autograder(root, poison, extra_path=fake)
    data = read_results(root, done)
    assert_gradescope_results(data)
    assert data["score"] == 100
    assert data["extra_data"]["isolation"].split("+")[0] == "limits-only"   # cgroups may be added (sandbox.isolation)
    assert "bubblewrap is installed but cannot run here" in done.stderr


@pytest.mark.slow
def test_the_bundle_set_up_where_bwrap_cannot_unshare_keeps_the_reference_from_student_code(tmp_path_factory):
    """A Gradescope-like image: setup.sh run for real (system python3, a venv with only numpy and
    pytest), bubblewrap installed but forbidden to create namespaces. Student code then runs as
    'nobody' and cannot read the reference or the checks; the results say which isolation was used."""
    system_python = shutil.which("python3", path="/usr/bin:/bin")
    if system_python is None:
        pytest.skip("no system python3 that user 'nobody' can run")
    import tempfile
    home = Path(tempfile.mkdtemp(prefix="gradescope-", dir="/tmp"))
    try:
        home.chmod(0o755)
        root = home / "autograder"
        zip_path = gradescope_bundle.build(home / "autograder.zip", ASSIGNMENT, visibility=["train_xor*=after_published"])
        for name in ("source", "submission", "results"):
            (root / name).mkdir(parents=True)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(root / "source")
        for path in (root / "source").rglob("*"):        # zip extraction keeps no modes
            path.chmod(0o755 if path.is_dir() or path.name in SCRIPTS else 0o644)
        fake = home / "bin"
        fake.mkdir()
        (fake / "bwrap").write_text("#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n")
        (fake / "bwrap").chmod(0o755)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "AUTOGRADER_NO_BWRAP")}
        env.update(AUTOGRADER_ROOT=str(root), PATH=f"{fake}:/usr/bin:/bin")
        setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True,
                               timeout=900)
        assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-2000:]
        freeze = subprocess.run([root / "venv" / "bin" / "python", "-m", "pip", "freeze"], capture_output=True,
                                text=True).stdout.lower()
        for absent in ("nbgrader", "jupyter", "matplotlib", "nbformat"):
            assert absent not in freeze, f"setup.sh installed {absent}: grading does not need it"
        assert (root / "source").stat().st_mode & 0o077 == 0, "source/ readable by root only"
        shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
        outcomes = {}
        # binds the graded names, so the loader runs it: in the child, as 'nobody'
        snoop = ("def _steal():\n    import numpy as np\n    space = {'np': np}\n"
                 f"    for name in [{str(root / 'source' / 'solutions' / 'backprop_basics.py')!r}]:\n"
                 "        exec(open(name).read(), space)\n"
                 "    return space['FullyConnectedLayer'], space['Sigmoid'], space['TwoLayerNet'], space['train_xor']\n"
                 "FullyConnectedLayer, Sigmoid, TwoLayerNet, train_xor = _steal()\n")
        for name, source in (("reference", None), ("snoop", snoop)):
            for old in (root / "submission").iterdir():
                old.unlink()
            nb = sample.filled_notebook("reference" if source is None else "release")
            if source:
                nb.cells.append(nbformat.v4.new_code_cell(source))
            sample.write_notebook(nb, root / "submission" / "backprop_basics.ipynb")
            done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env, capture_output=True, text=True,
                                  timeout=600)
            outcomes[name] = read_results(root, done), done
        data, done = outcomes["reference"]
        assert data["score"] == ASSIGNMENT.total_points
        assert data["extra_data"]["isolation"].startswith("limits-only")
        assert "bubblewrap is installed but cannot run here: bwrap: No permissions" in done.stderr
        assert "as host uid" in done.stderr and "one of their own per grading process" in done.stderr
        assert {t["visibility"] for t in data["tests"] if t["name"].startswith("train_xor")} == {"after_published"}
        assert all("visibility" not in t for t in data["tests"] if not t["name"].startswith("train_xor"))
        snooped, _ = outcomes["snoop"]
        assert snooped["score"] == 0, "the snooping notebook read the reference"
        assert "第 7 行：PermissionError" in snooped["output"], snooped["output"]
    finally:
        subprocess.run(["rm", "-rf", str(home)], check=False)


def test_the_bundle_without_an_assignment_names_the_choices(tmp_path):
    from autograder import assignments
    done = run_cli("gradescope", "--out", tmp_path / "autograder.zip", check=False)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "give --assignment NAME (one of: " in done.stderr
    assert all(name in done.stderr for name in assignments.known())
    assert not (tmp_path / "autograder.zip").exists()
