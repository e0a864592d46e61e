"""An instructor's own nbgrader course, set up by following docs/INSTRUCTORS.md verbatim, graded through real
nbgrader with the same points as the CLI -- including a notebook that tries to forge them."""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.assignments import backprop_basics
from autograder.assignments.backprop_basics import sample

from .conftest import ROOT, run_cli

ASSIGNMENT = "01_backprop_basics"
GUIDE = (ROOT / "docs" / "INSTRUCTORS.md").read_text(encoding="utf-8")
BLOCK = re.search(r"<!-- course:start -->\n```sh\n(.*?)```\n<!-- course:end -->", GUIDE, re.S).group(1)
COLLECT = "# collect each student's notebook"
# Cells a hostile student adds to the untouched release: each forged 100 (or reached other students'
# files) when nbgrader ran the notebook in a kernel with the instructor's rights.
FORGING_CELLS = [
    "try:\n    import autograder.notebook as _n\n    _n.grade_part = lambda part, lang='zh': "
    "{'Sigmoid': 30, 'TwoLayerNet': 40, 'train_xor': 30}[part]\nexcept Exception:\n    pass",
    "get_ipython().ast_node_interactivity = 'none'",
    "get_ipython().display_formatter.formatters['text/plain'].for_type(float, lambda x, p, c: p.text('graded'))",
    "import subprocess\nsubprocess.Popen(['sleep', '300'])",
    "import glob\nfor _f in glob.glob('../../*/01_backprop_basics/*.ipynb'):\n    open(_f, 'w').write('{}')",
    "import autograder, os\nopen(os.path.join(autograder.__path__[0], 'assignments', 'backprop_basics', 'checks', "
    "'test_forged.py'), 'w').write('x = 1')",
    "print(open(__import__('solutions').__file__).read())",
]
STUDENTS = {"alice": "reference", "carol": "sigmoid-ignores-dout", "mallory": "forger"}


def bash(script, cwd):
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")})


def notebook(variant):
    if variant != "forger":
        return sample.filled_notebook(variant)
    nb = sample.filled_notebook("release")
    at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "Sigmoid")
    for offset, source in enumerate(FORGING_CELLS):
        nb.cells.insert(at + offset, nbformat.v4.new_code_cell(source))
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The guide's commands, run as written in one shell in a new folder: the kit's path filled in,
    and the comment that says to collect the students' notebooks replaced by doing it."""
    home = tmp_path_factory.mktemp("instructor")
    folder = home / "mycourse"
    placer = home / "collect.py"
    placer.write_text("import sys\nfrom autograder.course import sample\nfrom tests.test_course import STUDENTS, notebook\n"
                      "import json\nwritten = {}\n"
                      "for student, variant in STUDENTS.items():\n"
                      f"    path = sample.write_notebook(notebook(variant), f'{folder}/submitted/{{student}}/{ASSIGNMENT}/backprop_basics.ipynb')\n"
                      "    written[student] = path.read_text(encoding='utf-8')\n"
                      f"open('{home}/written.json', 'w').write(json.dumps(written))\n")
    lines = []
    for line in BLOCK.replace("/path/to/kit", str(ROOT)).splitlines():
        lines.append(f"PYTHONPATH={ROOT} python {placer}" if line.startswith(COLLECT) else line)
    assert any(str(placer) in line for line in lines), "docs/INSTRUCTORS.md no longer says where submissions go"
    checks_before = sorted(p.name for p in (ROOT / "autograder" / "assignments" / "backprop_basics" / "checks").iterdir())
    sleepers_before = set(sleepers())
    done = bash("\n".join(lines), home)
    # a sleeper started from the course (a kernel runs in the notebook's folder), not by anything else
    new_sleepers = {pid for pid in set(sleepers()) - sleepers_before if str(home) in cwd_of(pid)}
    assert done.returncode == 0, done.stderr[-3000:]
    written = json.loads((home / "written.json").read_text())
    return folder, {s: text.encode("utf-8") for s, text in written.items()}, checks_before, new_sleepers


def cwd_of(pid):
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def sleepers():
    return subprocess.run(["pgrep", "-f", "sleep 300"], capture_output=True, text=True).stdout.split()


@pytest.mark.slow
def test_readme_course_grades_like_the_cli_even_a_forging_notebook(course, tmp_path):
    folder = course[0]
    run_cli("grade", folder / "submitted", "--json", tmp_path / "g.json", "--quiet")
    cli = {r["id"]: r["score"] for r in json.loads((tmp_path / "g.json").read_text())}
    rows = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader((folder / "grades.csv").open())}
    assert rows == pytest.approx(cli)
    assert cli["alice"] == backprop_basics.ASSIGNMENT.total_points and cli["mallory"] == 0
    assert cli["carol"] == backprop_basics.ASSIGNMENT.total_points - backprop_basics.ASSIGNMENT.part_points["Sigmoid"] / 2


@pytest.mark.slow
def test_the_forging_notebook_reached_nothing(course):
    folder, before, checks_before, new_sleepers = course
    for student, data in before.items():
        assert (folder / "submitted" / student / ASSIGNMENT / "backprop_basics.ipynb").read_bytes() == data
    assert sorted(p.name for p in (ROOT / "autograder" / "assignments" / "backprop_basics" / "checks").iterdir()) == checks_before
    assert new_sleepers == set()


@pytest.mark.slow
def test_feedback_shows_no_hidden_tests_grader_calls_or_reference(course):
    folder = course[0]
    pages = list((folder / "feedback").rglob("*.html"))
    assert len(pages) == len(STUDENTS)
    reference = (ROOT / "solutions" / "01_backprop_basics" / "backprop_basics.py").read_text(encoding="utf-8")
    secret = next(line for line in reference.splitlines() if "sigmoid_out * (1 - sigmoid_out)" in line).strip()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        # mallory's own cells name grade_part and autograder.notebook; nobody's page shows the kit's
        internals = ("HIDDEN TESTS", secret) if "mallory" in page.parts else \
            ("HIDDEN TESTS", "grade_part", "autograder.notebook", secret)
        for internal in internals:
            assert internal not in html, (page, internal)
    carol = next(p for p in pages if "carol" in p.parts).read_text(encoding="utf-8")
    assert "Sigmoid: 15 / 30" in carol


@pytest.mark.slow
def test_the_kit_installs_into_another_environment_and_grades(tmp_path):
    """The JupyterHub case: `pip install /path/to/kit` into an environment that is not this checkout."""
    env_dir = tmp_path / "hub"
    base_python = os.path.join(sys.base_prefix, "bin", "python3")
    subprocess.run([base_python, "-m", "venv", env_dir], check=True, capture_output=True)
    python = env_dir / "bin" / "python"
    # From a copy of the tracked files, as a clone would be: the build leaves nothing in this checkout.
    kit = tmp_path / "kit"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (kit / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, kit / name)
    done = subprocess.run([python, "-m", "pip", "install", "-q", str(kit)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    where = subprocess.run([python, "-c", "import autograder; print(autograder.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where
    made = subprocess.run([python, "-m", "autograder", "course", tmp_path / "c"], cwd=tmp_path, capture_output=True,
                          text=True)
    assert made.returncode == 0, made.stderr
    # every assignment's source notebooks are installed, without a line per assignment in pyproject.toml
    for folder in sorted(p for p in (ROOT / "source").iterdir() if p.is_dir()):
        for notebook in folder.glob("*.ipynb"):
            assert (tmp_path / "c" / "source" / folder.name / notebook.name).is_file(), notebook
    graded = subprocess.run([python, "-m", "autograder", "grade", ROOT / "tests/files/corpus/correct/c01_split_abs.py",
                             "--json", tmp_path / "g.json", "--quiet", "--assignment", ASSIGNMENT], cwd=tmp_path, capture_output=True, text=True)
    assert graded.returncode == 0, graded.stderr
    assert json.loads((tmp_path / "g.json").read_text())[0]["score"] == backprop_basics.ASSIGNMENT.total_points
