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
    root, done = graded
    rows = list(csv.reader(io.StringIO((root / "canvas.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01_backprop_basics"]
    assert rows[1] == ["Points Possible", "", "", "", "", f"{ASSIGNMENT.total_points:g}"]
    by_name = {r[0]: r for r in rows[2:]}
    # The roster has no canvas_id, sis_user_id or login column: those stay empty, never another id
    assert by_name["王小明"] == ["王小明", "", "", "", "A", f"{ASSIGNMENT.total_points:g}"]
    assert by_name["林美玲"][5] == "" and by_name["s05"][5] == ""
    assert "canvas: Section (section) from the roster; ID, SIS User ID, SIS Login ID left empty" in done.stderr


def test_the_canvas_column_is_named_as_canvas_names_the_assignment(tmp_path):
    roster = {"s01": {"name": "王小明", "sis_user_id": "B0912345", "login": "s01@example.edu", "canvas_id": "77"}}
    result = sample_result("s01")
    rows = gradebook.canvas_rows([result], ASSIGNMENT, roster=roster, name="Backprop basics (12345)")
    assert rows[0][-1] == "Backprop basics (12345)"
    assert rows[2] == ["王小明", "77", "B0912345", "s01@example.edu", "", f"{ASSIGNMENT.total_points:g}"]
    assert gradebook.canvas_matched(roster) == ("canvas: ID (canvas_id), SIS User ID (sis_user_id), "
                                               "SIS Login ID (login) from the roster; Section left empty "
                                               "(the roster has no section column)")


def sample_result(sid):
    from autograder import results
    tests = [results.TestResult(t.name, t.points, t.points, part=t.part) for t in ASSIGNMENT.tests]
    return results.SubmissionResult(submission=sid, id=sid, status=results.GRADED, assignment=ASSIGNMENT.id,
                                    tests=tests, rubric=ASSIGNMENT)


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
    for naive in ("2026-11-30T23:59", "2026-11-30 23:59:00"):
        with pytest.raises(ValueError, match=r"offset from UTC, e.g. 2026-11-30T23:59\+08:00"):
            gradebook.parse_due(naive)
    assert gradebook.parse_due("2026-11-30T15:59Z") == gradebook.parse_due("2026-11-30T23:59+08:00")


def test_regrading_one_student_keeps_every_view_as_the_class_run_made_it(tmp_path):
    """The documented regrade: one student's folder (which holds another assignment too) graded into
    the same results folder with nothing but --json and --force. The roster's columns and `missing`
    rows, lateness, the Canvas file, the feedback and the report are all rewritten as the class run
    made them: the folder remembers its options (.views.json)."""
    import shutil
    root = tmp_path
    for student, (variant, stamp) in STUDENTS.items():
        path = root / "submitted" / student / "01_backprop_basics" / "backprop_basics.ipynb"
        sample.write_notebook(sample.filled_notebook(variant), path)
        if stamp:
            (path.parent / "timestamp.txt").write_text(stamp + "\n")
    (root / "roster.csv").write_text(ROSTER, encoding="utf-8-sig")
    out = root / "out"
    run_cli("grade", root / "submitted", "--json", out / "g.json", "--csv", out / "g.csv", "--quiet",
            "--roster", root / "roster.csv", "--due", "2026-11-30T23:59:00+08:00", "--canvas", out / "canvas.csv",
            "--canvas-name", "Backprop (12345)", "--feedback", out / "fb", "--report", out / "report", "--lang", "en")
    before = {r["id"]: r for r in rows_of(out / "g.csv")}
    assert before["s02"]["total"] == "0" and before["s02"]["late_by"] == "1d 02:31:05"
    # s02 hands in the reference, and has a folder of the next assignment beside it
    s02 = root / "submitted" / "s02"
    sample.write_notebook(sample.filled_notebook("reference"), s02 / "01_backprop_basics" / "backprop_basics.ipynb")
    shutil.copytree(s02 / "01_backprop_basics", s02 / "02_layers")
    (s02 / "02_layers" / "backprop_basics.ipynb").rename(s02 / "02_layers" / "layers.ipynb")
    done = run_cli("grade", s02, "--json", out / "g.json", "--force", "--quiet")
    assert "as recorded in" in done.stderr and "--roster" in done.stderr and "--canvas-name Backprop (12345)" in done.stderr
    after = {r["id"]: r for r in rows_of(out / "g.csv")}
    assert list(after) == list(before) == ["s01", "s02", "s03", "s04"]
    assert after["s02"]["total"] == f"{ASSIGNMENT.total_points:g}" and after["s02"]["late_by"] == "1d 02:31:05"
    assert after["s02"]["name"] == "李小華" and after["s04"]["status"] == "missing"
    for sid in ("s01", "s03", "s04"):
        assert after[sid] == before[sid]
    canvas = list(csv.reader(io.StringIO((out / "canvas.csv").read_text(encoding="utf-8-sig"))))
    assert canvas[0][-1] == "Backprop (12345)"
    assert {r[0]: r[-1] for r in canvas[2:]}["李小華"] == f"{ASSIGNMENT.total_points:g}"
    index = (out / "fb" / "index.csv").read_text(encoding="utf-8-sig")
    s02_feedback = next(out / "fb" / line.split(",")[1] for line in index.splitlines() if line.startswith("s02,"))
    assert f"**{ASSIGNMENT.total_points:g} / {ASSIGNMENT.total_points:g}**" in s02_feedback.read_text(encoding="utf-8")
    students = (out / "report" / "students.csv").read_text(encoding="utf-8-sig")
    assert "s02" in students and "Failures with no hint" in (out / "report" / "index.html").read_text(encoding="utf-8")


def test_a_due_date_without_its_offset_is_refused_in_one_line(tmp_path):
    done = run_cli("grade", FILES / "corpus" / "correct" / "c01_split_abs.py", "--due", "2026-11-30T23:59",
                   "--json", tmp_path / "g.json", check=False)
    assert done.returncode == 2 and "offset from UTC" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_the_terminal_names_roster_gaps_and_lateness_and_lines_up_cjk_ids(graded):
    root, done = graded
    lines = done.stdout.splitlines()
    assert "1 roster student has no submission (a 'missing' row in the gradebook): s04" in done.stdout
    assert "1 submission was late (reported, never penalised): s02 (1d 02:31:05)" in done.stdout
    s05 = next(line for line in lines if line.startswith("s05 "))
    assert s05.split()[1:5] == ["—", "—", "—", "—"], "no score is shown as no score, never a 0"


def test_a_cjk_id_takes_two_columns_per_character():
    from autograder import results
    from autograder.views import readable, terminal
    tests = [results.TestResult(t.name, t.points, t.points, part=t.part) for t in ASSIGNMENT.tests]
    class_ = [results.SubmissionResult(submission=sid, id=sid, status=results.GRADED, assignment=ASSIGNMENT.id,
                                       tests=tests, rubric=ASSIGNMENT) for sid in ("王小明", "b0912345 陳大文", "lee")]
    lines = terminal.table(class_, ASSIGNMENT).splitlines()
    total_at = {readable.width(line[:line.index(" 100 ")]) for line in lines[1:]}
    assert len(total_at) == 1, lines
    assert readable.width("王小明") == 6 and readable.width("e\u0301") == 1
