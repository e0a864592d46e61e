"""The gradebook as spreadsheets and learning-management systems import it.

``rows`` is the class as a table: a student's total and points per part, rounded once for display,
left blank (with the reason) when there is no score; the roster's names and e-mails joined by id;
nbgrader's submission time and how late it is against a due date; ids shown so that none passes
for another, and why one needs a look in ``id_note`` (``readable.IdNames``). ``write_csv`` writes it
with ``readable.write_csv`` (UTF-8 with a byte-order mark, no cell a formula), ``write_canvas`` in
the form Canvas's gradebook import takes (a ``Points Possible`` row, the assignment as one column).
Lateness is reported, never penalised: penalties stay the instructor's policy.
"""
import csv
import json
import datetime
import io
from pathlib import Path

from autograder.assignment import Assignment
from autograder.views import readable
from autograder import results
from autograder.results import display, write_atomic

ROSTER_ID_COLUMNS = ("id", "student_id", "student", "sis_user_id", "login")


class RosterError(ValueError):
    """The roster file cannot be used (one-line reason)."""


def read_roster(path: str | Path) -> dict:
    """{student id: row} from a CSV with a header; the id column is the first of ROSTER_ID_COLUMNS it has."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    fieldnames = reader.fieldnames or []
    header = [h.strip().lower() for h in fieldnames]
    id_column = next((fieldnames[header.index(c)] for c in ROSTER_ID_COLUMNS if c in header), None)
    if id_column is None:
        raise RosterError(f"{path}: no id column (one of {', '.join(ROSTER_ID_COLUMNS)}) in its header row")
    roster = {}
    for line, row in enumerate(reader, start=2):
        sid = (row.get(id_column) or "").strip()
        if not sid:
            raise RosterError(f"{path}, line {line}: empty {id_column}")
        if sid in roster:
            raise RosterError(f"{path}, line {line}: {id_column} {sid!r} appears twice")
        roster[sid] = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
    return roster


def parse_due(text: str) -> datetime.datetime:
    """A due date as the instructor writes it: ISO 8601 with its offset from UTC. Without one it is
    refused: the grading machine's zone (UTC on most servers) is rarely the course's."""
    try:
        due = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--due {text!r}: not a date and time like 2026-11-30T23:59+08:00") from None
    if due.tzinfo is None:
        example = due.isoformat(timespec="minutes") + "+08:00"
        raise ValueError(f"--due {text!r}: give the course's offset from UTC, e.g. {example} "
                         "(this machine's zone need not be the course's)")
    return due


def parse_timestamp(text: str | None) -> datetime.datetime | None:
    """nbgrader's timestamp.txt (``2026-11-27 13:07:08.123456 UTC`` and the like), or None."""
    text = (text or "").strip()
    if not text:
        return None
    for candidate in (text, text.replace(" UTC", "+00:00"), text.rsplit(" ", 1)[0]):
        try:
            moment = datetime.datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)
    return None


def lateness(submitted: datetime.datetime | None, due: datetime.datetime | None) -> str:
    """How late, as ``1d 02:03:04`` (empty when on time or unknown)."""
    if submitted is None or due is None or submitted <= due:
        return ""
    seconds = int((submitted - due).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    return (f"{days}d " if days else "") + f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def rows(collected: list, assignment: Assignment, *, roster: dict | None = None,
         due: datetime.datetime | None = None) -> list:
    """The gradebook table: a header row, then one row per student (roster order follows ids)."""
    roster = roster or {}
    extra = [c for c in ("name", "email") if any(c in r for r in roster.values())]
    header = ["id", *extra, "submission", "total", *assignment.parts, "max_score", "status", "reason",
              "submitted_at", "late_by", "id_note"]
    table = [header]
    by_id = {r.id: r for r in collected}
    names = readable.IdNames(set(by_id) | set(roster))
    for sid in names.ids:
        person = roster.get(sid, {})
        result = by_id.get(sid)
        if result is None:
            table.append([names.show(sid), *[person.get(c, "") for c in extra], "", "",
                          *["" for _ in assignment.parts], f"{assignment.total_points:g}", "missing",
                          "no submission found for this roster entry", "", "", names.note(sid)])
            continue
        graded = result.status == results.GRADED
        parts = result.part_scores()
        submitted = parse_timestamp(getattr(result, "submitted_at", ""))
        table.append([names.show(sid), *[person.get(c, "") for c in extra], readable.show_id(result.submission),
                      display(result.score) if graded else "",
                      *[(display(parts[p]) if graded else "") for p in assignment.parts],
                      f"{assignment.total_points:g}", result.status, result.reason.replace("\n", " "),
                      submitted.isoformat(timespec="seconds") if submitted else "", lateness(submitted, due),
                      names.note(sid)])
    return table


def write_csv(collected: list, path: str | Path, assignment: Assignment, *, roster: dict | None = None,
              due: datetime.datetime | None = None) -> None:
    readable.write_csv(path, rows(collected, assignment, roster=roster, due=due))


CANVAS_COLUMNS = {"ID": ("canvas_id",), "SIS User ID": ("sis_user_id",), "SIS Login ID": ("login", "sis_login_id"),
                  "Section": ("section",)}


def canvas_rows(collected: list, assignment: Assignment, *, roster: dict | None = None,
                name: str | None = None) -> list:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment's
    column (``name``, e.g. ``Backprop basics (12345)`` as Canvas's own export names it, else the
    assignment's id; its total is the points possible); a ``Points Possible`` row first. Each id
    column comes from the roster column Canvas's export names it by (``CANVAS_COLUMNS``); one the
    roster lacks stays empty, never filled with another id. Ungraded students stay blank."""
    roster = roster or {}
    table = [["Student", *CANVAS_COLUMNS, name or assignment.id],
             ["Points Possible", *("" for _ in CANVAS_COLUMNS), f"{assignment.total_points:g}"]]
    by_id = {r.id: r for r in collected}
    names = readable.IdNames(set(by_id) | set(roster))
    for sid in names.ids:
        person = roster.get(sid, {})
        result = by_id.get(sid)
        score = display(result.score) if result is not None and result.status == results.GRADED else ""
        ids = [next((person[c] for c in columns if person.get(c)), "") for columns in CANVAS_COLUMNS.values()]
        table.append([person.get("name") or person.get("student") or names.show(sid), *ids, score])
    return table


def canvas_matched(roster: dict | None) -> str:
    """Which of Canvas's id columns the roster fills, and which stay empty (one line)."""
    header = set().union(*(row.keys() for row in (roster or {}).values())) if roster else set()
    filled = [f"{col} ({next(c for c in cols if c in header)})" for col, cols in CANVAS_COLUMNS.items()
              if any(c in header for c in cols)]
    empty = [col for col, cols in CANVAS_COLUMNS.items() if not any(c in header for c in cols)]
    lacking = " or ".join(c for col in empty for c in CANVAS_COLUMNS[col])
    return (f"canvas: {', '.join(filled) or 'no id column'} from the roster"
            + (f"; {', '.join(empty)} left empty (the roster has no {lacking} column)" if empty else ""))


def write_canvas(collected: list, path: str | Path, assignment: Assignment, *, roster: dict | None = None,
                 name: str | None = None) -> None:
    readable.write_csv(path, canvas_rows(collected, assignment, roster=roster, name=name))


def write_json(collected: list, path: str | Path) -> None:
    write_atomic(path, [r.to_gradescope() for r in collected])


def dumps(collected: list) -> str:
    return json.dumps(results.strict([r.to_gradescope() for r in collected]), ensure_ascii=False, indent=1,
                      allow_nan=False)
