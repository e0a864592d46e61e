"""The class report's numbers as files: ``report.json`` (the data of ``statistics.build``, for programs)
and one CSV per table (for people: columns, statuses and kinds in the report's language, every cell
written by ``readable.write_csv``)."""
from pathlib import Path

from autograder import messages, results
from autograder.views import readable


def status_word(words: messages.Catalog, status: str) -> str:
    """A submission's status in ``words``' language (as recorded, when no catalog knows it)."""
    return words.get(f"status.{status}", status)


def kind_word(words: messages.Catalog, kind: str) -> str:
    """How a test failed (``statistics.failure_kind``) in ``words``' language; an exception's type as it is."""
    return words.get(f"kind.{kind}", kind)


def _columns(words, *names):
    return [words(f"report.column.{name}") for name in names]


def write_tables(out, data: dict, words: messages.Catalog) -> None:
    """``report.json`` and the CSVs of ``data`` in the folder ``out``."""
    out = Path(out)
    names = readable.IdNames(s["id"] for s in data["students"])
    show = names.show
    readable.write_csv(out / "distribution.csv", [_columns(words, "part", "from", "to", "students"), *(
        (words("report.total") if name == "total" else name, low, high, count)
        for name, dist in data["distribution"].items() for low, high, count in dist["bins"])])
    readable.write_csv(out / "tests.csv", [
        _columns(words, "test", "part", "points", "students", "pass-rate", "mean-share"),
        *((t["name"], t["part"], t["points"], t["students"], t["pass_rate"], t["mean_share"]) for t in data["tests"])])
    readable.write_csv(out / "hints.csv", [_columns(words, "hint", "students", "example", "example-feedback", "ids"), *(
        (h["id"], h["students"], show(h["example"]) if h["example"] else "", h["example_feedback"] or "",
         "; ".join(map(show, h["ids"]))) for h in data["hints"])])
    readable.write_csv(out / "unhinted.csv", [_columns(words, "students", "failing-tests", "error-kind", "ids"), *(
        (g["count"], "; ".join(g["tests"]), "; ".join(kind_word(words, k) for k in g["kinds"]),
         "; ".join(map(show, g["students"]))) for g in data["unhinted"])])
    readable.write_csv(out / "ungraded.csv", [_columns(words, "student", "status", "reason"), *(
        (show(u["id"]), status_word(words, u["status"]), u["reason"]) for u in data["ungraded"])])
    readable.write_csv(out / "students.csv", [
        [*_columns(words, "student", "status", "score"), *data["parts"], *_columns(words, "feedback", "id-note")],
        *((show(s["id"]), status_word(words, s["status"]), results.score_text(s["status"], s["score"], ""),
           *(results.score_text(s["status"], s["parts"][p], "") for p in data["parts"]), s["feedback"] or "",
           names.note(s["id"], words.lang))
          for s in data["students"])])
    sim = data.get("similarity")
    if sim:
        readable.write_csv(out / "similarity.csv", [
            _columns(words, "a", "b", "with", "similarity", "a-share", "b-share", "shared-lines"),
            *((show(p["a"]), show(p["b"]), words.get(f"report.with.{p['with']}", p["with"]), p["score"],
               p["a_share"], p["b_share"], "" if p["shared"] is None else len(p["shared"])) for p in sim["pairs"])])
    results.write_atomic(out / "report.json", data)
