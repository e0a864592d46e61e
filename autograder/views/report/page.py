"""The class report's page: one self-contained ``index.html``, each section a small function.

Figures are embedded as ``data:`` URIs (no external request); links are relative and only to files
that exist. Every word comes from the report language's catalog; student-controlled text (ids,
reasons, outputs, code) is made visible (ids by ``IdNames.show``, the rest by ``readable.visible``)
and HTML-escaped everywhere.
"""
import base64
import dataclasses
import html
import os
from pathlib import Path
from urllib.parse import quote

from autograder import messages, results
from autograder.views import readable
from autograder.views.readable import visible
from autograder.views.report.tables import kind_word, status_word

SHOWN_PAIRS = 200     # pairs drawn on the page (all are in similarity.csv / report.json)
SHOWN_LINES = 60      # shared lines shown per pair
SHOWN_SKIPPED = 200   # submissions the similarity check left out, listed on the page
SHOWN_STUDENTS = 5    # students named in a group of failures with no hint
SHOWN_CLUSTER = 30    # students named in a cluster of similar code

STYLE = """
body{font-family:"Noto Sans CJK TC","Noto Sans TC","Microsoft JhengHei","PingFang TC",sans-serif;margin:1.5em auto;
max-width:70em;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0;max-width:100%}
td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f3f3f3;overflow-wrap:normal}td.n{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto}.wrap{overflow-x:auto;max-width:100%}
code,pre{font-family:"Noto Sans Mono CJK TC",monospace;font-size:.9em}
pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.note{color:#555}.side{display:grid;grid-template-columns:1fr 1fr;gap:.5em}
.side pre{background:#f7f7f7;padding:.3em}
details{margin:.3em 0}
"""


def esc(text) -> str:
    """Student-controlled (or any) text on the page: control characters visible, HTML escaped."""
    return html.escape(visible(text), quote=True)


def href(target, out) -> str | None:
    """An escaped relative link from the report folder ``out`` to ``target`` (a file that exists), or None."""
    if not target or not Path(target).is_file():
        return None
    relative = Path(os.path.relpath(Path(target).resolve(), Path(out).resolve())).as_posix()
    return html.escape("/".join(quote(part, safe="") for part in relative.split("/")), quote=True)


def skipped_reason(words: messages.Catalog, skipped: dict) -> str:
    """Why the similarity check left a submission out, in ``words``' language."""
    kind = skipped.get("kind")
    if kind and f"similarity.{kind}" in words:
        return words(f"similarity.{kind}", reason=skipped.get("reason", ""), tokens=skipped.get("tokens"),
                     minimum=skipped.get("minimum"))
    return skipped.get("reason", "")


@dataclasses.dataclass
class _Page:
    data: dict
    out: Path
    words: messages.Catalog
    images: dict
    names: readable.IdNames

    def w(self, key, **values):
        """A word of the catalog, escaped."""
        return esc(self.words(key, **values))

    def id(self, sid):
        return esc(self.names.show(sid))

    def linked(self, sid, feedback):
        link = href(feedback, self.out)
        return f'<a href="{link}">{self.id(sid)}</a>' if link else self.id(sid)

    def image(self, name, alt):
        if name not in self.images:
            return []
        data = base64.b64encode(self.images[name]).decode()
        return [f'<p><img src="data:image/png;base64,{data}" alt="{esc(alt)}"></p>']

    def table(self, columns, rows):
        head = "".join(f"<th>{self.w(f'report.{c}')}</th>" for c in columns)
        return [f'<div class="wrap"><table><tr>{head}</tr>', *rows, "</table></div>"]

    def none(self):
        return [f"<p>{self.w('report.none')}</p>"]


def _head(p):
    d = p.data
    heading = p.w("report.heading", title=p.words("report.title"), assignment=d["assignment"], name=d["title"])
    nav = " · ".join(f'<a href="#{anchor}">{p.w(f"report.{key}")}</a>' for anchor, key in (
        ("distribution", "distribution"), ("tests", "tests"), ("hints", "hints"), ("unhinted", "no-hint"),
        ("ungraded", "ungraded"), ("ids", "ids"), ("similarity", "similarity"), ("feedback", "feedback")))
    return [f'<!DOCTYPE html>\n<html lang="{esc(p.words.tag)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{p.w("report.title")} — {esc(d["assignment"])}</title>\n<style>{STYLE}</style>\n</head>\n<body>',
            f"<h1>{heading}</h1>", f"<nav>{nav}</nav>"]


def _summary(p):
    d = p.data
    line = p.w("report.summary-line", n=d["submissions"], graded=d["graded"], not_graded=d["not_graded"],
               mean=d["mean"], median=d["median"], total=d["total_points"])
    lines = [f'<h2 id="summary">{p.w("report.summary")}</h2>', f"<p>{line}</p>"]
    if d["problems"]:
        lines.append(f'<details><summary>{p.w("report.problems")} ({len(d["problems"])})</summary><ul>'
                     + "".join(f"<li>{esc(problem)}</li>" for problem in d["problems"]) + "</ul></details>")
    return lines


def _distribution(p):
    graded = [s for s in p.data["students"] if s["status"] == results.GRADED]
    rows = []
    for name, dist in p.data["distribution"].items():
        values = [s["score"] if name == "total" else s["parts"][name] for s in graded]
        mean = sum(values) / len(values) if values else 0.0
        shown = p.w("report.total") if name == "total" else esc(name)
        rows.append(f'<tr><td>{shown}</td><td class="n">{dist["max"]:g}</td>'
                    f'<td class="n">{mean:.2f}</td><td class="n">{dist["full"]}/{len(values)}</td></tr>')
    return [f'<h2 id="distribution">{p.w("report.distribution")}</h2>',
            *p.image("distribution.png", p.words("report.distribution")),
            *p.table(("part", "points", "mean", "pass-rate"), rows)]


def _tests(p):
    rows = []
    for t in p.data["tests"]:
        rate = "—" if t["pass_rate"] is None else f'{t["pass_rate"]:.0%}'
        share = "—" if t["mean_share"] is None else f'{t["mean_share"]:.0%}'
        rows.append(f'<tr><td><code>{esc(t["name"])}</code></td><td class="n">{t["points"]:g}</td>'
                    f'<td class="n">{rate}</td><td class="n">{share}</td></tr>')
    return [f'<h2 id="tests">{p.w("report.tests")}</h2>', *p.image("tests.png", p.words("report.tests")),
            *p.table(("test", "points", "pass-rate", "mean-share"), rows)]


def _hints(p):
    lines = [f'<h2 id="hints">{p.w("report.hints")}</h2>', *p.image("hints.png", p.words("report.hints"))]
    if not p.data["hints"]:
        return lines + p.none()
    feedback = {s["id"]: s["feedback"] for s in p.data["students"]}
    rows = []
    for h in p.data["hints"]:
        who = ", ".join(p.linked(sid, feedback.get(sid)) for sid in h["ids"])    # every one: a TA writes to each
        rows.append(f'<tr><td><code>{esc(h["id"])}</code><br><span class="note">{esc(h["text"] or "")}</span></td>'
                    f'<td class="n">{h["students"]}</td><td>{who}</td></tr>')
    return lines + p.table(("hint", "students", "who"), rows)


def _unhinted(p):
    lines = [f'<h2 id="unhinted">{p.w("report.no-hint")}</h2>', f'<p class="note">{p.w("report.no-hint-note")}</p>']
    if not p.data["unhinted"]:
        return lines + p.none()
    feedback = {s["id"]: s["feedback"] for s in p.data["students"]}
    rows = []
    for g in p.data["unhinted"]:
        kinds = ", ".join(kind_word(p.words, k) for k in g["kinds"])
        shown = ", ".join(p.linked(sid, feedback.get(sid)) for sid in g["students"][:SHOWN_STUDENTS])
        more = f" … (+{g['count'] - SHOWN_STUDENTS})" if g["count"] > SHOWN_STUDENTS else ""
        tests = "<br>".join(f"<code>{esc(t)}</code>" for t in g["tests"])
        rows.append(f'<tr><td class="n">{g["count"]}</td><td>{tests}</td><td>{esc(kinds)}</td>'
                    f'<td>{shown}{more}</td></tr>')
    return lines + p.table(("students", "failing-tests", "error-kind", "examples"), rows)


def _ungraded(p):
    lines = [f'<h2 id="ungraded">{p.w("report.ungraded")}</h2>']
    if not p.data["ungraded"]:
        return lines + p.none()
    rows = [f'<tr><td>{p.id(u["id"])}</td><td>{esc(status_word(p.words, u["status"]))}</td>'
            f'<td>{esc(u["reason"])}</td></tr>' for u in p.data["ungraded"]]
    return lines + p.table(("student", "status", "reason"), rows)


def _ids(p):
    lines = [f'<h2 id="ids">{p.w("report.ids")}</h2>']
    flagged = p.names.flagged()
    if not flagged:
        return lines + p.none()
    rows = [f'<tr><td><code>{p.id(sid)}</code></td><td>{esc(p.names.note(sid, p.words.lang))}</td></tr>'
            for sid in flagged]
    return lines + [f'<p class="note">{p.w("report.ids-note")}</p>'] + p.table(("student", "note"), rows)


def _pair(p, pair):
    other = {"reference": p.w("report.with-reference"),
             "base": p.id(pair["b"]) + p.w("report.with-base")}.get(pair["with"], p.id(pair["b"]))
    lines = [f'<details><summary>{pair["score"]:.2f} — {p.id(pair["a"])} ↔ {other} '
             f'({len(pair["shared"])} {p.w("report.shared-lines")})</summary><div class="side">',
             f"<pre><b>{p.id(pair['a'])}</b></pre><pre><b>{other}</b></pre>"]
    lines += [f"<pre>{esc(a)}</pre><pre>{esc(b)}</pre>" for a, b in pair["shared"][:SHOWN_LINES]]
    return lines + ["</div></details>"]


def _similarity(p):
    lines = [f'<h2 id="similarity">{p.w("report.similarity")}</h2>']
    sim = p.data.get("similarity")
    if not sim:
        return lines + [f'<p class="note">{p.w("report.similarity-off")}</p>']
    base = p.words("report.base-compared", n=sim["base"]) if sim.get("base") else ""
    found = p.w("report.pairs-found", n=sim["pair_count"], threshold=sim["threshold"], compared=sim["compared"],
                seconds=sim["seconds"])
    lines += [f'<p class="note">{p.w("report.similarity-note", threshold=sim["threshold"], base=base)}</p>',
              f"<p>{found}</p>"]
    if sim["skipped"]:
        lines.append(f'<details><summary>{p.w("report.not-compared", n=len(sim["skipped"]))}</summary><ul>'
                     + "".join(f'<li>{p.id(s["id"])}: {esc(skipped_reason(p.words, s))}</li>'
                               for s in sim["skipped"][:SHOWN_SKIPPED]) + "</ul></details>")
    if sim["clusters"]:
        rows = [f'<tr><td class="n">{len(c)}</td><td>' + ", ".join(p.id(x) for x in c[:SHOWN_CLUSTER])
                + (f" … (+{len(c) - SHOWN_CLUSTER})" if len(c) > SHOWN_CLUSTER else "") + "</td></tr>"
                for c in sim["clusters"][:SHOWN_PAIRS]]
        lines += p.table(("students", "cluster"), rows)
    shown = [pair for pair in sim["pairs"] if pair["shared"] is not None][:SHOWN_PAIRS]
    for pair in shown:
        lines += _pair(p, pair)
    if sim["pair_count"] > len(shown):
        lines.append(f'<p>{p.w("report.more-pairs", n=sim["pair_count"] - len(shown))}</p>')
    return lines


def _feedback(p):
    rows = []
    for s in p.data["students"]:
        link = href(s["feedback"], p.out)
        name = (f'<a href="{link}">{p.id(s["id"])}</a>' if link
                else f'{p.id(s["id"])} <span class="note">{p.w("report.no-feedback")}</span>')
        rows.append(f'<tr><td>{name}</td><td class="n">{results.score_text(s["status"], s["score"])}</td>'
                    f'<td>{esc(status_word(p.words, s["status"]))}</td></tr>')
    return [f'<h2 id="feedback">{p.w("report.feedback")}</h2>', *p.table(("student", "score", "status"), rows)]


def _files(p):
    files = ["report.json", "students.csv", "distribution.csv", "tests.csv", "hints.csv", "unhinted.csv",
             "ungraded.csv", *(["similarity.csv"] if p.data.get("similarity") else []), *sorted(p.images)]
    links = " · ".join(f'<a href="{f}">{f}</a>' for f in files)
    return [f'<h2 id="files">{p.w("report.files")}</h2><p>{links}</p>', "</body>\n</html>\n"]


SECTIONS = (_head, _summary, _distribution, _tests, _hints, _unhinted, _ungraded, _ids, _similarity, _feedback, _files)


def html_page(data: dict, out, words: messages.Catalog, images: dict) -> str:
    """The page, as text: every figure in ``images`` ({name: PNG bytes}) embedded as a data: URI."""
    page = _Page(data, Path(out), words, images, readable.IdNames(s["id"] for s in data["students"]))
    return "\n".join(line for section in SECTIONS for line in section(page))
