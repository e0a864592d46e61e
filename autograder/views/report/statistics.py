"""The class report's numbers, as plain data (what ``report.json`` holds), from ``SubmissionResult``s
only -- any assignment: its parts and tests come from its ``Assignment``.

* the score distribution per part and in total;
* per test, the share of graded students with full marks and the mean share of the points;
* per hint id (the ``tags`` of failing tests), how many students got it, and who (one of them as the example);
* failures with **no hint**, grouped by signature -- the failing tests that carried no hint and how
  they failed (``failure_kind``: data recorded with each test, never read back from its text) --
  biggest group first: the mistakes the grader cannot name yet;
* the submissions without a score, with their reasons; the ids to check (``readable.IdNames``).
"""
from statistics import median      # the standard library's (this module is autograder.views.report.statistics)

from autograder import messages, results
from autograder.views import readable

BINS = 10            # bars of a score histogram
WRONG_VALUES = "wrong-values"


def failure_kind(test: results.TestResult) -> str:
    """How a failed test lost its points, as the report groups it: the type of the exception when it
    raised one, else its recorded kind; "wrong-values" when it ran and computed the wrong thing, and
    for a result recorded before tests carried a kind."""
    kind = test.kind or WRONG_VALUES
    if kind == "raised":
        return test.exception or kind
    return kind


def histogram(values: list, top: float, bins: int = BINS) -> list:
    """Counts in ``bins`` equal bins of [0, top] (the last closed): [(low, high, count)]."""
    top = float(top) or 1.0
    edges = [top * i / bins for i in range(bins + 1)]
    counts = [0] * bins
    for v in values:
        i = min(int(v / top * bins), bins - 1) if v > 0 else 0
        counts[i] += 1
    return [(round(edges[i], 4), round(edges[i + 1], 4), counts[i]) for i in range(bins)]


def _distribution(graded, assignment):
    part_points = assignment.part_points
    out = {"total": {"max": assignment.total_points,
                     "bins": histogram([r.score for r in graded], assignment.total_points),
                     "full": sum(1 for r in graded if r.score >= assignment.total_points)}}
    for part in assignment.parts:
        values = [r.part_scores()[part] for r in graded]
        out[part] = {"max": part_points[part], "bins": histogram(values, part_points[part]),
                     "full": sum(1 for v in values if v >= part_points[part])}
    return out


def _tests(graded, assignment):
    tests = []
    for test in assignment.tests:
        got = [t for r in graded for t in r.tests if t.name == test.name]
        passed = sum(1 for t in got if t.score >= t.max_score)
        share = [t.score / t.max_score if t.max_score else 1.0 for t in got]
        tests.append({"name": test.name, "part": test.part, "points": test.points, "students": len(got),
                      "pass_rate": round(passed / len(got), 4) if got else None,
                      "mean_share": round(sum(share) / len(share), 4) if share else None})
    return tests


def _hints_and_unhinted(graded, words, feedback):
    hints, unhinted = {}, {}
    for r in graded:
        given = []
        for t in r.tests:
            if t.status == "failed":
                given += [tag for tag in t.tags if tag not in given]
        for tag in given:
            entry = hints.setdefault(tag, {"id": tag, "students": 0, "ids": [], "example": None,
                                           "example_feedback": None, "known": words.hint_text(tag) is not None,
                                           "text": words.hint_text(tag)})
            entry["students"] += 1
            entry["ids"].append(r.id)     # every student who got it, so a TA can write to each
            if entry["example_feedback"] is None and r.id in feedback:
                entry["example"], entry["example_feedback"] = r.id, str(feedback[r.id])
            elif entry["example"] is None:
                entry["example"] = r.id
        bare = [t for t in r.tests if t.status == "failed" and not t.tags]
        if bare:
            key = (tuple(t.name for t in bare), tuple(sorted({failure_kind(t) for t in bare})))
            group = unhinted.setdefault(key, {"tests": list(key[0]), "kinds": list(key[1]), "students": []})
            group["students"].append(r.id)
    groups = sorted(unhinted.values(), key=lambda g: (-len(g["students"]), g["tests"], g["kinds"]))
    for g in groups:
        g["count"] = len(g["students"])
    return sorted(hints.values(), key=lambda h: (-h["students"], h["id"])), groups


def build(collected: list, assignment, *, words: messages.Catalog, feedback: dict | None = None,
          problems=()) -> dict:
    """The report's numbers as plain data (also what ``report.json`` holds); hint texts in ``words``'
    language. ``feedback`` maps a student id to their feedback file (a Path that exists), when there is one."""
    feedback = feedback or {}
    graded = [r for r in collected if r.status == results.GRADED]
    per_student = [{"id": r.id, "status": r.status, "score": r.score, "parts": r.part_scores(), "reason": r.reason,
                    "feedback": str(feedback[r.id]) if r.id in feedback else None} for r in collected]
    scores = sorted(r.score for r in graded)
    hint_list, groups = _hints_and_unhinted(graded, words, feedback)
    names = readable.IdNames(r.id for r in collected)
    attention = [{"id": sid, "shown": names.show(sid),
                  "notes": [{"kind": kind, **values} for kind, values in names.notes(sid)]} for sid in names.flagged()]
    return {"assignment": assignment.id, "title": assignment.title,
            "parts": {p: assignment.part_points[p] for p in assignment.parts}, "total_points": assignment.total_points,
            "submissions": len(collected), "graded": len(graded), "not_graded": len(collected) - len(graded),
            "mean": round(sum(scores) / len(scores), 2) if scores else 0.0,
            "median": median(scores) if scores else 0.0,
            "distribution": _distribution(graded, assignment), "tests": _tests(graded, assignment),
            "hints": hint_list, "unhinted": groups,
            "ungraded": [{"id": r.id, "status": r.status, "reason": r.reason} for r in collected
                         if r.status != results.GRADED],
            "attention": attention, "students": per_student, "problems": list(problems), "similarity": None}
