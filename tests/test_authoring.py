"""docs/AUTHORING.md's promise, proven: a tiny assignment kept under tests/ (``00_tanh``, one part)
is graded through the CLI, through real nbgrader autograde and through the Gradescope bundle, and
no engine file names it."""
import ast
import csv
import json
import os
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder import assignments

from .conftest import FILES, ROOT

TINY = FILES / "tiny"
GOOD = ('class Tanh:\n    def forward(self, x):\n        self.y = np.tanh(x)\n        return self.y\n\n'
        '    def backward(self, dout):\n        return dout * (1 - self.y ** 2)\n')
NO_DOUT = GOOD.replace("return dout * (1 - self.y ** 2)", "return 1 - self.y ** 2")
SCORES = {"good": 10, "nodout": 4, "untouched": 0}


def env():
    return dict(os.environ, AUTOGRADER_ASSIGNMENTS=str(TINY),
                PATH=f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}")


def autograder(*args, cwd=ROOT):
    done = subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd, env=env(),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def notebook(release, code):
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        if code is not None and cell.metadata.get("nbgrader", {}).get("grade_id") == "Tanh":
            cell.source = code
    return nb


def test_no_engine_file_names_the_tiny_assignment():
    engine = ROOT / "autograder"
    for path in engine.rglob("*.py"):
        if path.relative_to(engine).parts[0] != "assignments":
            text = path.read_text(encoding="utf-8")
            assert "00_tanh" not in text and "tanh_layer" not in text and "Tanh" not in text, path


def engine_imports(path):
    """The engine modules a file imports (absolute imports of ``autograder``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0}
    return {name for name in names if name.split(".")[0] == "autograder"}


def test_it_imports_the_engine_through_one_module():
    # operations.py runs in the sandbox, where autograder.sandbox.inside.api is the engine's one surface
    for path in (TINY / "tanh_layer").rglob("*.py"):
        allowed = {"autograder.sandbox.inside.api"} if path.name == "operations.py" else {"autograder.checks.authoring"}
        assert engine_imports(path) <= allowed, path


def test_every_checks_conftest_is_the_same_two_lines():
    def code(path):
        body = ast.parse(path.read_text(encoding="utf-8")).body[1:]   # after the docstring
        return [ast.dump(node) for node in body]
    tiny = TINY / "tanh_layer" / "checks" / "conftest.py"
    assert len(code(tiny)) == 2
    for assignment in assignments.known().values():
        assert code(assignment.checks / "conftest.py") == code(tiny), assignment.id


def test_its_reference_is_generated_from_its_source_notebook(tmp_path):
    done = subprocess.run([sys.executable, "-m", "solutions.build", "--check", "--sources", TINY / "source",
                           "--solutions", TINY / "solutions"], cwd=ROOT, env=env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_list_and_rubric_know_it():
    assert "00_tanh  00 Tanh\n    parts: Tanh 10; total 10" in autograder("list").stdout
    assert "| `Tanh.backward gradient check` | 6 |" in autograder("rubric", "--assignment", "00_tanh").stdout


@pytest.mark.slow
def test_graded_through_the_cli_nbgrader_and_gradescope_alike(tmp_path):
    # nbgrader: a course of its own, set up docs/INSTRUCTORS.md's way, released by real nbgrader
    autograder("course", tmp_path / "course", "--assignment", "00_tanh")
    course = tmp_path / "course"
    nbgrader = [os.path.join(os.path.dirname(sys.executable), "nbgrader")]
    subprocess.run(nbgrader + ["generate_assignment", "00_tanh", "--log-level=WARN"], cwd=course, env=env(), check=True,
                   capture_output=True)
    release = course / "release" / "00_tanh" / "tanh.ipynb"
    assert "請實作 Tanh.forward" in release.read_text(encoding="utf-8")
    for student, code in (("good", GOOD), ("nodout", NO_DOUT), ("untouched", None)):
        path = course / "submitted" / student / "00_tanh" / "tanh.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(notebook(release, code), path)
    subprocess.run(nbgrader + ["autograde", "00_tanh", "--log-level=WARN"], cwd=course, env=env(), check=True,
                   capture_output=True)
    subprocess.run(nbgrader + ["export", "--log-level=WARN"], cwd=course, env=env(), check=True, capture_output=True)
    exported = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader((course / "grades.csv").open())}
    assert exported == SCORES

    # the CLI, on the same submitted folder (the assignment told by nbgrader's layout)
    autograder("grade", course / "submitted", "--json", tmp_path / "cli.json", "--quiet")
    cli = {r["id"]: r["score"] for r in json.loads((tmp_path / "cli.json").read_text())}
    assert cli == SCORES

    # Gradescope: the bundle of this one assignment, run as Gradescope runs it
    autograder("gradescope", "--assignment", "00_tanh", "--out", tmp_path / "autograder.zip")
    with zipfile.ZipFile(tmp_path / "autograder.zip") as archive:
        names = archive.namelist()
        assert "external/tanh_layer/checks/test_tanh.py" in names and "external/solutions/00_tanh/tanh.py" in names
        assert not [n for n in names if "backprop_basics" in n], "only this assignment is in its bundle"
        root = tmp_path / "gs" / "autograder"
        for name in ("source", "submission", "results"):
            (root / name).mkdir(parents=True)
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    for student, code in (("good", GOOD), ("nodout", NO_DOUT)):
        for old in (root / "submission").iterdir():
            old.unlink()
        nbformat.write(notebook(release, code), root / "submission" / "tanh.ipynb")
        gs_env = {k: v for k, v in env().items() if k != "AUTOGRADER_ASSIGNMENTS"}   # the bundle finds its own
        gs_env.update(AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
        done = subprocess.run([str(root / "run_autograder")], cwd=root, env=gs_env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        data = json.loads((root / "results" / "results.json").read_text())
        assert data["score"] == SCORES[student], done.stderr
