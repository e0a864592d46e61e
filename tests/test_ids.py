"""Look-alike ids in the views made for people (``autograder/readable.py``).

Ids are file names students choose. A space at an end, an invisible or exotic space character, a letter
of another script inside a word, or another id's TR39 skeleton must show distinctly and be flagged in
every view -- CSV gradebook, Canvas CSV, terminal table, feedback files and index, the class report --
while names in any script stay as they are, and no cell of any CSV the kit writes is read as a
formula. The JSON keeps every id exactly."""
import csv
import io
import itertools
import json
import re
import unicodedata
from pathlib import Path

import pytest

from autograder.views import feedback, gradebook, readable, report, terminal
from autograder import results
from autograder.assignments.backprop_basics import ASSIGNMENT, rubric
from autograder.views.readable import IdNames, show_id

from .conftest import ROOT

# (case, id, how the class below shows it, the kinds of notes it gets)
HOSTILE = [
    ("trailing space", "good1 ", "good1\\x20", ["escaped", "looks_like"]),
    ("leading space", " good2", "\\x20good2", ["escaped", "looks_like"]),
    ("no-break space", "good1\u00a0", "good1\\u00a0", ["escaped", "looks_like"]),
    ("ideographic space", "good1\u3000", "good1\\u3000", ["escaped", "looks_like"]),
    ("Cyrillic o", "g\u043eod2", "g\\u043eod2", ["mixed", "looks_like"]),
    ("zero-width space", "go\u200bod1", "go\\u200bod1", ["escaped", "looks_like"]),
    ("zero-width joiner", "good\u200d1", "good\\u200d1", ["escaped", "looks_like"]),
    ("zero-width non-joiner", "\u200cgood1", "\\u200cgood1", ["escaped", "looks_like"]),
    ("word joiner", "good1\u2060", "good1\\u2060", ["escaped", "looks_like"]),
    ("byte-order mark", "\ufeffgood1", "\\ufeffgood1", ["escaped", "looks_like"]),
    ("soft hyphen", "go\u00adod1", "go\\u00adod1", ["escaped", "looks_like"]),
    ("left-to-right mark", "good1\u200e", "good1\\u200e", ["escaped", "looks_like"]),
    ("right-to-left override", "\u202e1doog", "\\u202e1doog", ["escaped"]),
    ("right-to-left isolate", "good\u20671\u2069", "good\\u20671\\u2069", ["escaped", "looks_like"]),
    ("Arabic letter mark", "good1\u061c", "good1\\u061c", ["escaped", "looks_like"]),
    ("Mongolian vowel separator", "good\u180e1", "good\\u180e1", ["escaped", "looks_like"]),
    ("narrow no-break space", "good\u202f1", "good\\u202f1", ["escaped", "looks_like"]),
    ("en space", "good\u20021", "good\\u20021", ["escaped", "looks_like"]),
    ("thin space", "good\u20091", "good\\u20091", ["escaped", "looks_like"]),
    ("hair space", "good1\u200a", "good1\\u200a", ["escaped", "looks_like"]),
    ("medium mathematical space", "good\u205f1", "good\\u205f1", ["escaped", "looks_like"]),
    ("Ogham space mark", "good\u16801", "good\\u16801", ["escaped", "looks_like"]),
    ("Hangul filler", "good1\u3164", "good1\\u3164", ["escaped", "looks_like"]),
    ("halfwidth Hangul filler", "good1\uffa0", "good1\\uffa0", ["escaped", "looks_like"]),
    ("Braille blank", "good1\u2800", "good1\\u2800", ["escaped", "looks_like"]),
    ("combining grapheme joiner", "good1\u034f", "good1\\u034f", ["escaped", "looks_like"]),
    ("variation selector 16", "good1\ufe0f", "good1\\ufe0f", ["escaped", "looks_like"]),
    ("tag letter", "good1\U000e0041", "good1\\U000e0041", ["escaped", "looks_like"]),
    ("line separator", "good1\u2028", "good1\\u2028", ["escaped", "looks_like"]),
    ("next line (C1 control)", "good1\u0085", "good1\\u0085", ["escaped", "looks_like"]),
    ("terminal escape", "good1\x1b[0m", "good1\\x1b[0m", ["escaped"]),
    ("tab", "good1\t", "good1\\t", ["escaped", "looks_like"]),
    ("delete", "good1\x7f", "good1\\x7f", ["escaped", "looks_like"]),
    ("private use", "good1\ue000", "good1\\ue000", ["escaped", "looks_like"]),
    ("unassigned", "good1\u0378", "good1\\u0378", ["escaped", "looks_like"]),
    ("two spaces", "good  1", "good\\x20\\x201", ["escaped", "looks_like"]),
    ("space beside a slash", "sec a/ good1", "sec a/\\x20good1", ["escaped"]),
    ("Greek omicron", "go\u03bfd1", "go\\u03bfd1", ["mixed", "looks_like"]),
    ("Armenian oh", "go\u0585d1", "go\\u0585d1", ["mixed", "looks_like"]),
    ("Cyrillic a", "\u0430lice", "\\u0430lice", ["mixed", "looks_like"]),
    ("all Cyrillic", "\u0455\u0441\u043e\u0440\u0435", "\\u0455\\u0441\\u043e\\u0440\\u0435", ["looks_like"]),
    ("full-width", "\uff47\uff4f\uff4f\uff44\uff11", "\\uff47\\uff4f\\uff4f\\uff44\\uff11", ["looks_like"]),
    ("mathematical bold", "\U0001d420ood1", "\\U0001d420ood1", ["looks_like"]),
    ("dotless i", "al\u0131ce", "al\\u0131ce", ["looks_like"]),
    ("Latin alpha", "\u0251lice", "\\u0251lice", ["looks_like"]),
    ("digit one for l", "a1ice", "a1ice", ["looks_like"]),
    ("capital I for l", "aIice", "aIice", ["looks_like"]),
    ("ohm sign for omega", "\u2126-team", "\\u2126-team", ["looks_like"]),
    ("e and a combining acute", "Jose\u0301", "Jose\\u0301", ["looks_like"]),
    ("lone backslash", "good1\\", "good1\\x5c", ["escaped"]),
    ("byte that is not UTF-8 (discover.name_text)", "good1\\xa0", "good1\\xa0", []),
    ("backslash in a file name (discover.name_text)", "good1\\\\", "good1\\\\", []),
    ("leading apostrophe", "'=1+1", "\\x27=1+1", ["escaped"]),
    ("formula", "=1+1", "=1+1", []),
]
# The ids they imitate: in the class too, shown as they are but flagged.
IMITATED = {"good1": ["looks_like"], "good2": ["looks_like"], "alice": ["looks_like"], "scope": ["looks_like"],
            "Ω-team": ["looks_like"], "José": ["looks_like"]}
CLASS = [sid for _, sid, _, _ in HOSTILE] + list(IMITATED)
# Real names, in many scripts, together in one class: none escaped, none flagged.
REAL = ["王小明", "b0912345 陳大文", "陳大文 b0912345", "Lee Mei-Ling", "José", "Ω-team", "O'Brien", "Anne-Marie",
        "Nguyễn Văn An", "François", "Zoë", "Ærøskøbing", "Straße", "Сергей Иванов", "Δημήτρης", "محمد علي",
        "山田たろう", "佐藤 ひろし", "カタカナ太郎", "김민준", "이민호 Lee", "สมชาย", "अमित", "ㄅㄆㄇ陳", "s01", "stu003",
        "mistakes/train-ascends", "section-a/b0912345", "caf\\xe9", "x" * 240]


def decode(shown):
    """The id back from how it is shown: the escapes of ``readable`` (and ``discover.name_text``'s,
    kept as they are). That it always gives the id back is why distinct ids show distinctly."""
    out, i = [], 0
    while i < len(shown):
        if shown[i] != "\\":
            out.append(shown[i])
            i += 1
            continue
        kind = shown[i + 1]
        if kind == "\\":
            out.append("\\\\")
            i += 2
        elif kind in "tnr":
            out.append({"t": "\t", "n": "\n", "r": "\r"}[kind])
            i += 2
        elif kind == "x":
            code = int(shown[i + 2:i + 4], 16)
            out.append(shown[i:i + 4] if code >= 0x80 else chr(code))
            i += 4
        else:
            width = {"u": 4, "U": 8}[kind]
            out.append(chr(int(shown[i + 2:i + 2 + width], 16)))
            i += 2 + width
    return "".join(out)


# ------------------------------------------------------------------------------------ how ids show
@pytest.mark.parametrize("case, sid, shown, notes", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_each_hostile_id_shows_distinctly_and_is_flagged(case, sid, shown, notes):
    names = IdNames(CLASS)
    assert names.show(sid) == shown
    assert [kind for kind, _ in names.notes(sid)] == notes
    assert decode(shown) == sid


def test_the_ids_it_imitates_stay_as_they_are_and_are_flagged():
    names = IdNames(CLASS)
    for sid, notes in IMITATED.items():
        assert names.show(sid) == sid and [kind for kind, _ in names.notes(sid)] == notes
    assert names.note("good2") == "looks like \\x20good2, g\\u043eod2"
    assert names.note("g\u043eod2") == "mixes Latin and Cyrillic letters in one word; looks like \\x20good2, good2"
    assert names.note("good1\u00a0", "zh").startswith("含以跳脫碼顯示的字元")
    assert names.note("g\u043eod2", "zh").startswith("同一個字混用 Latin 與 Cyrillic 字母")
    more = len(names.twins["good1"]) - readable.SHOWN_TWINS
    assert more > 0 and names.note("good1").endswith(f", … (+{more})"), "a note names at most a few look-alikes"


def test_every_id_shows_distinctly_in_every_view():
    names = IdNames(CLASS)
    for show in (names.show, show_id):
        shown = [show(sid) for sid in CLASS]
        assert len(set(shown)) == len(CLASS)
        assert [decode(s) for s in shown] == CLASS
        cells = [readable.csv_cell(s) for s in shown]
        assert len(set(cells)) == len(CLASS)
        assert all(not readable.HIDDEN.search(s) and s == s.strip() and "  " not in s for s in shown)


# Every id of up to three of these pieces: backslashes, discover's escapes and readable's, spaces.
PIECES = ["\\", "x", "a0", "u00a0", " ", "\u00a0", "'", "\\xa0", "\\\\", "\u043e", "o"]


def test_escapes_never_meet_each_other():
    ids = ["".join(p) for n in range(1, 4) for p in itertools.product(PIECES, repeat=n)]
    ids = sorted(set(ids))
    names = IdNames(ids)
    for show in (names.show, show_id):
        shown = [show(sid) for sid in ids]
        assert [decode(s) for s in shown] == ids
        assert len(set(shown)) == len(ids)


def test_real_names_in_any_script_stay_as_they_are():
    names = IdNames(REAL + ["good1", "alice"])
    for sid in REAL:
        assert names.show(sid) == sid == show_id(sid), sid
        assert names.notes(sid) == [], (sid, names.notes(sid))
        assert readable.csv_cell(names.show(sid)) == sid
    assert names.flagged() == []


def test_escapes_cover_every_control_format_and_separator_character():
    missed = [hex(code) for code in range(0x110000)
              if unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp", "Cs") and not readable.HIDDEN.match(chr(code))]
    assert missed == []
    spaces = [chr(code) for code in range(0x110000) if unicodedata.category(chr(code)) == "Zs" and code != 0x20]
    for c in spaces + ["\ue000", "\U000f0000", "\U0010fffd", "\u0378", "\U000e0100", "\ufe00"]:
        assert show_id(f"a{c}b") == f"a{readable.escape(c)}b", hex(ord(c))


def test_the_json_keeps_every_id_exactly(tmp_path):
    gradebook.write_json([result(sid) for sid in CLASS], tmp_path / "g.json")
    assert [r["id"] for r in json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))] == CLASS


# ------------------------------------------------------------------------------------ the views
def result(sid, *, status=results.GRADED, reason="", tags=(), fail=False, output=""):
    tests = [results.TestResult(t.name, 0.0 if fail else t.points, t.points, output=output, tags=list(tags), part=t.part)
             for t in rubric.TESTS]
    return results.SubmissionResult(submission=f"class/{sid}.py", id=sid, status=status, reason=reason, tests=tests,
                                     assignment=ASSIGNMENT.id, rubric=ASSIGNMENT)


RED_TEAM = ["good1", "good2", "good1 ", " good2", "good1\u00a0", "good1\u3000", "g\u043eod2"]
SHOWN = {"good1": "good1", "good2": "good2", "good1 ": "good1\\x20", " good2": "\\x20good2",
         "good1\u00a0": "good1\\u00a0", "good1\u3000": "good1\\u3000", "g\u043eod2": "g\\u043eod2"}
ESCAPED = "escaped characters (invisible, or spaces at an end or in a row)"
NOTE = {"good1": "looks like good1\\x20, good1\\u00a0, good1\\u3000",
        "good2": "looks like \\x20good2, g\\u043eod2",
        "good1 ": f"{ESCAPED}; looks like good1, good1\\u00a0, good1\\u3000",
        " good2": f"{ESCAPED}; looks like good2, g\\u043eod2",
        "good1\u00a0": f"{ESCAPED}; looks like good1, good1\\x20, good1\\u3000",
        "good1\u3000": f"{ESCAPED}; looks like good1, good1\\x20, good1\\u00a0",
        "g\u043eod2": "mixes Latin and Cyrillic letters in one word; looks like \\x20good2, good2"}


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8")), path
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def red_team(tmp_path):
    collected = sorted((result(sid) for sid in RED_TEAM), key=lambda r: r.id)
    return tmp_path, collected


def test_the_red_team_class_in_the_gradebook_and_canvas(red_team):
    tmp_path, collected = red_team
    gradebook.write_csv(collected, tmp_path / "grades.csv", ASSIGNMENT)
    gradebook.write_canvas(collected, tmp_path / "canvas.csv", ASSIGNMENT)
    rows = read_csv(tmp_path / "grades.csv")
    assert rows[0][0] == "id" and rows[0][-1] == "id_note"
    assert [(r[0], r[-1]) for r in rows[1:]] == [(SHOWN[sid], NOTE[sid]) for sid in sorted(RED_TEAM)]
    canvas = read_csv(tmp_path / "canvas.csv")
    # no roster: the student column shows the id; Canvas's id columns stay empty, never a guess
    assert [(r[0], r[2]) for r in canvas[2:]] == [(SHOWN[sid], "") for sid in sorted(RED_TEAM)]


def test_the_red_team_class_in_the_terminal(red_team):
    _, collected = red_team
    table = terminal.table(collected, ASSIGNMENT).splitlines()
    assert [line.split("  ")[0].rstrip() for line in table[1:]] == [SHOWN[sid] for sid in sorted(RED_TEAM)]
    attention = terminal.attention_text(collected).splitlines()
    assert attention[0].startswith("WARNING: 7 ids need a look before grades are imported")
    assert attention[1:] == [f"  {SHOWN[sid]}: {NOTE[sid]}" for sid in sorted(RED_TEAM)]
    assert terminal.attention_text([result("good1"), result("王小明"), result("b0912345 陳大文")]) == ""


def test_the_red_team_class_in_the_feedback_and_its_index(red_team):
    tmp_path, collected = red_team
    feedback.write(collected, tmp_path / "fb", "en", jobs=1)
    for r in collected:
        title = feedback.feedback_path(tmp_path / "fb", r.id).read_text(encoding="utf-8").splitlines()[0]
        assert title == f"# Feedback: `{SHOWN[r.id]}`"
    rows = read_csv(tmp_path / "fb" / "index.csv")
    assert rows[0] == ["student", "feedback", "plot", "score", "status", "id_note"]
    assert [(r[0], r[-1]) for r in rows[1:]] == [(SHOWN[sid], NOTE[sid]) for sid in sorted(RED_TEAM)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_red_team_class_in_the_class_report(red_team, lang):
    tmp_path, collected = red_team
    page = report.write(tmp_path / "report", collected, ASSIGNMENT, lang=lang).read_text(encoding="utf-8")
    section = page[page.index('<h2 id="ids">'):page.index('<h2 id="similarity">')]
    names = IdNames(RED_TEAM)
    assert re.findall(r"<tr><td><code>(.*?)</code></td><td>(.*?)</td></tr>", section) == \
        [(SHOWN[sid], names.note(sid, lang).replace("'", "&#x27;")) for sid in sorted(RED_TEAM)]
    rows = read_csv(tmp_path / "report" / "students.csv")      # in the report's language, as its page
    assert [(r[0], r[-1]) for r in rows[1:]] == [(SHOWN[sid], names.note(sid, lang)) for sid in sorted(RED_TEAM)]
    data = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in data["attention"]] == sorted(RED_TEAM), "report.json keeps the ids exactly"


def test_long_ids_are_cut_distinctly_in_the_table():
    ids = ["x" * 100 + "a", "x" * 100 + "b"]
    names = [line.split("  ")[0] for line in terminal.table([result(s) for s in ids], ASSIGNMENT).splitlines()[1:]]
    assert len(set(names)) == 2 and all(len(n) == terminal.NAME_WIDTH and "…#" in n for n in names)


# ------------------------------------------------------------------------------------ every CSV cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
HOSTILE_TEXT = ["=HYPERLINK(\"http://x\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "\uff1d1+1",
                " =1", "=1\n=2", "\x1b[2J=1", "\u202e=1"]


def every_csv_of_a_hostile_class(out):
    """Write every CSV the kit writes, for a class of hostile ids with hostile text everywhere."""
    hostile_ids = [sid for _, sid, _, _ in HOSTILE] + ["a" * 300, "=" * 250, "-rf", "@x", "+y"]
    collected = [result(sid, fail=True, tags=[HOSTILE_TEXT[i % len(HOSTILE_TEXT)]],
                        output=HOSTILE_TEXT[i % len(HOSTILE_TEXT)]) for i, sid in enumerate(hostile_ids)]
    collected += [result(f"{text}!", status=results.LOAD_ERROR, reason=text) for text in HOSTILE_TEXT]
    collected += [result("=bare", fail=True)]          # a failure with no hint
    collected.sort(key=lambda r: r.id)
    roster = {sid: {"name": text, "email": text, "section": text, "canvas_id": text, "sis_user_id": "", "login": ""}
              for sid, text in zip(["good1", "=roster-only", "good2"], HOSTILE_TEXT)}
    gradebook.write_csv(collected, out / "grades.csv", ASSIGNMENT, roster=roster)
    gradebook.write_canvas(collected, out / "canvas.csv", ASSIGNMENT)
    gradebook.write_canvas(collected, out / "canvas-roster.csv", ASSIGNMENT, roster=roster)
    feedback.write(collected, out / "fb", "en", jobs=1)
    pair = {"a": "+y", "b": "-rf", "with": "class", "score": 0.9, "a_share": 0.9, "b_share": 0.9,
            "shared": [("=1", "+2")]}
    similarity = {"threshold": 0.8, "pair_count": 1, "compared": 2, "seconds": 0.1, "pairs": [pair],
                  "clusters": [[pair["a"], pair["b"]]], "skipped": [{"id": "+y", "reason": "=no code"}]}
    report.write(out / "report", collected, ASSIGNMENT, lang="en", feedback_dirs=[out / "fb"],
                      similarity=similarity)


def test_no_cell_of_any_csv_is_a_formula_or_hides_a_character(tmp_path):
    every_csv_of_a_hostile_class(tmp_path)
    files = sorted(tmp_path.rglob("*.csv"))
    assert sorted(p.name for p in files) == sorted(
        ["grades.csv", "canvas.csv", "canvas-roster.csv", "index.csv", "distribution.csv", "tests.csv", "hints.csv",
         "unhinted.csv", "ungraded.csv", "students.csv", "similarity.csv"])
    for path in files:
        rows = read_csv(path)
        assert len(rows) > 1, path
        for row in rows:
            for cell in row:
                assert not cell.lstrip(" ").startswith(FORMULA_START), (path.name, cell)
                assert not readable.HIDDEN.search(cell), (path.name, cell)
    text = {p.name: p.read_text(encoding="utf-8-sig") for p in files}
    # the hostile text got there, guarded: not a vacuous pass
    assert "'=HYPERLINK" in text["grades.csv"] and "'-2+3" in text["canvas-roster.csv"]
    assert "\n'+" in text["index.csv"], "a hashed feedback file name (+<sha256>.md) is guarded"
    assert "'@SUM" in text["hints.csv"] and "\n'=1+1," in text["students.csv"] and "\n'+y,'-rf," in text["similarity.csv"]
    assert read_csv(tmp_path / "report" / "unhinted.csv")[1][-1] == "'=bare", "the one failure with no hint"


def test_every_csv_writer_goes_through_one_function():
    writers = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "autograder").rglob("*.py"))
               for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if re.search(r"csv\.(writer|DictWriter)\b", line)]
    assert writers == [f"{Path('autograder/views/readable.py')}:{n}" for n in
                       [i for i, line in enumerate((ROOT / "autograder" / "views" / "readable.py").read_text(encoding="utf-8")
                                                   .splitlines(), 1) if re.search(r"csv\.(writer|DictWriter)\b", line)]]
    assert len(writers) == 1


def test_numbers_stay_numbers_and_text_that_looks_like_one_is_guarded():
    assert [readable.csv_cell(v) for v in (-3.5, 0, 12, None)] == ["-3.5", "0", "12", ""]
    assert readable.csv_cell("-3.5") == "'-3.5"
