"""The gradebook as a spreadsheet or an LMS reads it: UTF-8 with a BOM, scores rounded once, no score
left blank with its reason (never a 0), a roster joined by id, lateness against a due date, Canvas."""
import csv
import io

import pytest

from autograder.views import gradebook
from autograder.assignments.backprop_basics import ASSIGNMENT, sample

from .conftest import FILES, run_cli

STUDENTS = {"s01": ("reference", "2026-11-30 15:00:00.000000 UTC"),        # on time (due 23:59 +08:00)
            "s02": ("release", "2026-12-01 18:30:05.000000 UTC"),          # 1 day 02:31:05 late
            "s03": ("net-params-copies", "")}                              # no timestamp.txt
ROSTER = "student_id,name,email,section\ns01,王小明,s01@example.edu,A\ns02,李小華,s02@example.edu,B\n" \
         "s03,陳大文,s03@example.edu,A\ns04,林美玲,s04@example.edu,B\n"


def rows_of(path):
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8")), "a byte-order mark: Excel reads UTF-8 Chinese only with it"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("gradebook")
    for student, (variant, stamp) in STUDENTS.items():
        path = root / "submitted" / student / "01_backprop_basics" / "backprop_basics.ipynb"
        sample.write_notebook(sample.filled_notebook(variant), path)
        if stamp:
            (path.parent / "timestamp.txt").write_text(stamp + "\n")
    (root / "submitted" / "s05").mkdir()                                 # a folder with nothing in it
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8-sig")
    done = run_cli("grade", root / "submitted", "--json", root / "g.json", "--csv", root / "g.csv", "--quiet",
                   "--roster", root / "roster.csv", "--due", "2026-11-30T23:59:00+08:00", "--canvas", root / "canvas.csv")
    return root, done


def test_the_csv_is_a_spreadsheet_gradebook(graded):
    root, done = graded
    rows = {r["id"]: r for r in rows_of(root / "g.csv")}
    assert list(rows) == ["s01", "s02", "s03", "s04", "s05"]
    assert rows["s01"]["name"] == "王小明" and rows["s01"]["email"] == "s01@example.edu"
    assert rows["s01"]["total"] == f"{ASSIGNMENT.total_points:g}" and rows["s01"]["late_by"] == ""
    assert rows["s01"]["submitted_at"] == "2026-11-30T15:00:00+00:00"
    assert rows["s02"]["total"] == "0" and rows["s02"]["late_by"] == "1d 02:31:05"
    assert rows["s03"]["total"] == "98" and rows["s03"]["submitted_at"] == ""
    # no score: the cells are blank and the reason says why, never a graded 0
    assert rows["s04"]["total"] == "" and rows["s04"]["status"] == "missing" and "roster" in rows["s04"]["reason"]
    assert rows["s05"]["total"] == "" and rows["s05"]["status"] == "load-error" and rows["s05"]["reason"]
    assert "s05" in done.stderr and "not in the roster" in done.stderr


def test_the_canvas_import_file(graded):
    root, _ = graded
    rows = list(csv.reader(io.StringIO((root / "canvas.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01_backprop_basics"]
    assert rows[1] == ["Points Possible", "", "", "", "", f"{ASSIGNMENT.total_points:g}"]
    by_id = {r[2]: r for r in rows[2:]}
    assert by_id["s01"] == ["王小明", "", "s01", "s01@example.edu", "A", f"{ASSIGNMENT.total_points:g}"]
    assert by_id["s04"][5] == "" and by_id["s05"][5] == ""


@pytest.mark.parametrize("text,problem", [("name,email\nx,y\n", "no id column"),
                                          ("id,name\na,1\na,2\n", "appears twice"), ("id,name\n,1\n", "empty id")])
def test_a_bad_roster_is_a_one_line_error(tmp_path, text, problem):
    (tmp_path / "roster.csv").write_text(text)
    done = run_cli("grade", FILES / "corpus" / "correct" / "c01_split_abs.py", "--roster", tmp_path / "roster.csv",
                   "--json", tmp_path / "g.json", check=False)
    assert done.returncode == 2 and problem in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_lateness_and_timestamps():
    due = gradebook.parse_due("2026-11-30 23:59+08:00")
    assert gradebook.lateness(gradebook.parse_timestamp("2026-11-30 15:59:01 UTC"), due) == "00:00:01"
    assert gradebook.lateness(gradebook.parse_timestamp("2026-11-30 15:58:59.5 UTC"), due) == ""
    assert gradebook.parse_timestamp("garbage") is None
    with pytest.raises(ValueError, match="not a date"):
        gradebook.parse_due("next friday")
