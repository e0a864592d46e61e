"""What the class got wrong: one self-contained HTML page, its figures as PNG, its numbers as CSV/JSON.

``build(collected, assignment)`` computes, from ``SubmissionResult``s only (any assignment: parts and
tests come from its ``Assignment``):

* the score distribution per part and in total;
* per test, the share of graded students with full marks and the mean share of the points;
* per hint id (the ``tags`` of failing tests), how many students got it, and one of them;
* failures with **no hint**, grouped by signature -- the set of failing tests that carried no hint,
  and the kind of error their output names (an exception class, a timeout, a missing name, or just
  wrong values) -- biggest group first: the mistakes the grader cannot name yet;
* the submissions without a score, with their reasons; the ids to check (``readable.IdNames``: hidden
  characters, scripts mixed in a word, ids that look like another); every student's feedback file.

``write(out, data, ...)`` writes ``index.html`` (figures embedded as ``data:`` URIs, no external
request; links are relative and only to files that exist), the same figures as PNG, and
``report.json`` + one CSV per table. Student-controlled text (ids, reasons, outputs, code) is made
visible (ids by ``IdNames.show``, the rest by ``readable.visible``) and HTML-escaped (``html.escape``)
everywhere on the page; the CSVs are written by ``readable.write_csv``.
"""
import base64
import html
import io
import json
import os
import re
from pathlib import Path

from autograder import messages, results
from autograder.views import readable
from autograder.views.readable import visible

# ---------------------------------------------------------------------------------------- words
WORDS = {
    "title": ("全班評分報告", "Class report"),
    "summary": ("摘要", "Summary"),
    "summary_line": ("{n} 份繳交：{graded} 份已評分，{not_graded} 份未評分；平均 {mean:g} 分，中位數 {median:g} 分（滿分 {total:g}）",
                     "{n} submissions: {graded} graded, {not_graded} not graded; mean {mean:g}, median {median:g} "
                     "(out of {total:g})"),
    "mean": ("平均", "mean"),
    "distribution": ("分數分布", "Score distribution"),
    "total": ("總分", "total"),
    "part": ("部分", "part"),
    "tests": ("各測試項目", "Tests"),
    "test": ("測試項目", "test"),
    "points": ("配分", "points"),
    "pass_rate": ("滿分比例", "full marks"),
    "mean_share": ("平均得分比例", "mean share of points"),
    "hints": ("提示出現次數", "Hints given"),
    "hint": ("提示", "hint"),
    "students": ("學生數", "students"),
    "example": ("範例回饋", "example feedback"),
    "no_hint": ("沒有提示的失分（依特徵分組）", "Failures with no hint (grouped by signature)"),
    "no_hint_note": ("這些學生在下列測試失分，但評分程式沒有給任何提示：同一組的學生錯在同樣的測試、同樣的錯誤類型。"
                     "人數最多的組排在最前面，是最值得新增提示的錯誤。",
                     "These students lost points in these tests and the grader gave no hint: a group shares the same "
                     "failing tests and the same kind of error. The biggest group comes first: the mistakes most worth a "
                     "new hint."),
    "failing_tests": ("失分的測試", "failing tests"),
    "error_kind": ("錯誤類型", "kind of error"),
    "examples": ("學生（前幾位）", "students (first few)"),
    "ungraded": ("未評分的繳交", "Submissions without a score"),
    "ids": ("需要查核的學號", "Ids to check"),
    "ids_note": ("這些學號含有看不見的字元、在同一個字裡混用不同文字，或看起來像班上另一個學號：匯入成績前請先確認是哪一位學生。"
                 "特殊字元以跳脫碼顯示（例如 \\u00a0）。",
                 "These ids hide characters, mix scripts in one word, or look like another id of the class: make sure "
                 "who they are before importing grades. Unusual characters are shown as escapes (e.g. \\u00a0)."),
    "note": ("說明", "note"),
    "status": ("狀態", "status"),
    "reason": ("原因", "reason"),
    "student": ("學生", "student"),
    "feedback": ("各學生回饋檔", "Every student's feedback"),
    "score": ("分數", "score"),
    "no_feedback": ("（沒有回饋檔）", "(no feedback file)"),
    "none": ("沒有", "none"),
    "similarity": ("相似的程式碼", "Similar code"),
    "similarity_note": ("比較的是評分時會執行的、學生自己寫的程式：已移除作業原本給的程式碼，沒有被評分程式用到的程式不算；"
                        "名稱、註解、空白、docstring 與常數都先正規化，每個函式各自切成 token 片段（k-gram），函式的順序不影響。"
                        "分數是較小那份程式的片段也出現在另一份的比例（containment；比參考解答一半還短的程式以一半計）；"
                        "門檻 {threshold:g}。每份繳交也和參考解答{base}比對。",
                        "Compared: the code of each student's own that grading runs -- the release's given code removed, "
                        "code nothing graded uses left out -- with names, comments, whitespace, docstrings and literals "
                        "normalised, cut into token k-grams function by function, so the order of functions does not "
                        "matter. The score is the share of the smaller program's k-grams also found in the other "
                        "(containment; a program shorter than half the reference counts as half the reference); "
                        "threshold {threshold:g}. Every submission is also compared with the reference solution{base}."),
    "base_compared": ("及 {n} 份往屆繳交", " and with {n} earlier submissions"),
    "with_reference": ("參考解答", "the reference solution"),
    "with_base": ("（往屆繳交）", " (earlier submission)"),
    "similarity_off": ("沒有做相似度比對（grade/report 加上 --similarity 0.8 即可）",
                       "similarity was not checked (add --similarity 0.8 to grade/report)"),
    "pair": ("配對", "pair"),
    "shared_lines": ("相同的程式行", "shared lines"),
    "pairs_found": ("找到 {n} 組相似配對（門檻 {threshold:g}，比對了 {compared} 份有自己程式的繳交，{seconds:.2f} 秒）",
                    "{n} similar pairs (threshold {threshold:g}; {compared} submissions with code of their own compared "
                    "in {seconds:.2f} s)"),
    "not_compared": ("{n} 份繳交沒有比對（讀不到檔案，或幾乎沒有自己寫的程式）",
                     "{n} submissions were not compared (file not readable, or almost no code of their own)"),
    "more_pairs": ("還有 {n} 組沒有列在這裡，見 similarity.csv（最多 5000 組）與 report.json 的 clusters",
                   "{n} more pairs not shown here: see similarity.csv (up to 5,000) and the clusters in report.json"),
    "cluster": ("彼此相似的一群學生", "students connected by similar code"),
    "files": ("檔案", "Files"),
    "wrong-values": ("數值錯誤", "wrong values"),
    "problems": ("讀取結果時的警告", "Warnings while reading the results"),
}


def word(key, lang, **values):
    zh, en = WORDS[key]
    return (en if lang == "en" else zh).format(**values)


def esc(text):
    """Student-controlled (or any) text on the page: control characters visible, HTML escaped."""
    return html.escape(visible(text), quote=True)


# ---------------------------------------------------------------------------------------- numbers
EXCEPTION = re.compile(r"\b([A-Z][A-Za-z0-9_]*(?:Error|Exception|Exit|Interrupt))\b")
# Kinds of failure the engine's sentences name, recognised in either language (messages.MESSAGES).
KINDS = ("timeout", "timeout-cpu", "out-of-memory", "no-process", "exited", "missing", "detail-missing",
         "returned-none", "detail-returned-none", "not-array", "detail-not-array", "not-finite", "shape",
         "budget", "load-timeout", "load-exited", "protocol", "structure")


def _template_pattern(template):
    pieces = re.split(r"\{[^{}]*\}", template)
    pieces = [re.escape(p.strip()) for p in pieces]
    return re.compile(".*?".join(p for p in pieces if p), re.S)


KIND_PATTERNS = [(key, _template_pattern(text)) for key in KINDS for text in messages.MESSAGES[key]
                 if len(re.sub(r"\{[^{}]*\}", "", text).strip()) >= 4]


def error_kind(output):
    """A language-independent name for why a test failed: the exception its output names, the
    engine's kind of failure (timeout, missing, ...), else ``wrong-values``."""
    found = EXCEPTION.search(output or "")
    if found and found.group(1) != "RuntimeWarning":
        return found.group(1)
    for key, pattern in KIND_PATTERNS:
        if pattern.search(output or ""):
            return key.replace("detail-", "")
    return "wrong-values"


def _histogram(values, top, bins=10):
    """Counts in ``bins`` equal bins of [0, top] (the last closed): [(low, high, count)]."""
    top = float(top) or 1.0
    edges = [top * i / bins for i in range(bins + 1)]
    counts = [0] * bins
    for v in values:
        i = min(int(v / top * bins), bins - 1) if v > 0 else 0
        counts[i] += 1
    return [(round(edges[i], 4), round(edges[i + 1], 4), counts[i]) for i in range(bins)]


def build(collected, assignment, *, feedback=None, problems=()):
    """The report's numbers as plain data (also what ``report.json`` holds). ``feedback`` maps a
    student id to their feedback file (a Path that exists), when there is one."""
    feedback = feedback or {}
    graded = [r for r in collected if r.status == results.GRADED]
    known_hints = {**messages.HINTS, **assignment.hints}
    part_points = assignment.part_points
    per_student = []
    for r in collected:
        parts = r.part_scores()
        per_student.append({"id": r.id, "status": r.status, "score": r.score,
                            "parts": parts, "reason": r.reason,
                            "feedback": str(feedback[r.id]) if r.id in feedback else None})
    scores = sorted(r.score for r in graded)
    median = ((scores[len(scores) // 2] if len(scores) % 2 else
               (scores[len(scores) // 2 - 1] + scores[len(scores) // 2]) / 2) if scores else 0.0)
    distribution = {"total": {"max": assignment.total_points,
                              "bins": _histogram([r.score for r in graded], assignment.total_points),
                              "full": sum(1 for r in graded if r.score >= assignment.total_points)}}
    for part in assignment.parts:
        values = [r.part_scores()[part] for r in graded]
        distribution[part] = {"max": part_points[part], "bins": _histogram(values, part_points[part]),
                              "full": sum(1 for v in values if v >= part_points[part])}
    tests = []
    for test in assignment.tests:
        got = [t for r in graded for t in r.tests if t.name == test.name]
        passed = sum(1 for t in got if t.score >= t.max_score)
        share = [t.score / t.max_score if t.max_score else 1.0 for t in got]
        tests.append({"name": test.name, "part": test.part, "points": test.points, "students": len(got),
                      "pass_rate": round(passed / len(got), 4) if got else None,
                      "mean_share": round(sum(share) / len(share), 4) if share else None})
    hints = {}
    unhinted = {}
    for r in graded:
        given = []
        for t in r.tests:
            if t.status == "failed":
                given += [tag for tag in t.tags if tag not in given]
        for tag in given:
            entry = hints.setdefault(tag, {"id": tag, "students": 0, "example": None, "example_feedback": None,
                                           "known": tag in known_hints})
            entry["students"] += 1
            if entry["example_feedback"] is None and r.id in feedback:
                entry["example"], entry["example_feedback"] = r.id, str(feedback[r.id])
            elif entry["example"] is None:
                entry["example"] = r.id
        bare = [t for t in r.tests if t.status == "failed" and not t.tags]
        if bare:
            kinds = sorted({error_kind(t.output) for t in bare})
            key = (tuple(t.name for t in bare), tuple(kinds))
            group = unhinted.setdefault(key, {"tests": list(key[0]), "kinds": list(key[1]), "students": []})
            group["students"].append(r.id)
    for entry in hints.values():
        pair = known_hints.get(entry["id"])
        entry["text"] = list(pair) if pair else None
    hint_list = sorted(hints.values(), key=lambda h: (-h["students"], h["id"]))
    groups = sorted(unhinted.values(), key=lambda g: (-len(g["students"]), g["tests"], g["kinds"]))
    for g in groups:
        g["count"] = len(g["students"])
    ungraded = [{"id": r.id, "status": r.status, "reason": r.reason} for r in collected if r.status != results.GRADED]
    names = readable.IdNames(r.id for r in collected)
    attention = [{"id": sid, "shown": names.show(sid), "notes": [{"kind": kind, **values} for kind, values in names.notes(sid)]}
                 for sid in names.flagged()]
    return {"assignment": assignment.id, "title": assignment.title,
            "parts": {p: part_points[p] for p in assignment.parts}, "total_points": assignment.total_points,
            "submissions": len(collected), "graded": len(graded), "not_graded": len(collected) - len(graded),
            "mean": round(sum(scores) / len(scores), 2) if scores else 0.0, "median": median,
            "distribution": distribution, "tests": tests, "hints": hint_list, "unhinted": groups,
            "ungraded": ungraded, "attention": attention, "students": per_student, "problems": list(problems), "similarity": None}


# ---------------------------------------------------------------------------------------- figures
def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def figures(data, lang):
    """{file name: PNG bytes}: the score distributions, the tests' pass rates, the hints."""
    from matplotlib.ticker import MaxNLocator

    from autograder.views import plots
    out = {}
    en = lang == "en"
    with plots.figure_context() as plt:
        zh_ok = not en and bool(plots.cjk_font())
        say = (lambda key, **v: word(key, "zh" if zh_ok else "en", **v))
        names = ["total", *data["parts"]]
        fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 2.8), squeeze=False)
        for ax, name in zip(axes[0], names):
            dist = data["distribution"][name]
            lows = [b[0] for b in dist["bins"]]
            width = (dist["bins"][0][1] - dist["bins"][0][0]) or 1
            ax.bar(lows, [b[2] for b in dist["bins"]], width=width * 0.9, align="edge", color="#4c72b0")
            ax.set_title(f"{say('total') if name == 'total' else name} (/{dist['max']:g})", fontsize=10)
            ax.set_xlim(0, dist["max"])
            ax.set_xlabel(say("score"), fontsize=8)
            ax.set_ylabel(say("students"), fontsize=8)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.tick_params(labelsize=7)
        fig.tight_layout()
        out["distribution.png"] = _png(fig)
        plt.close(fig)

        tests = data["tests"]
        fig, ax = plt.subplots(figsize=(7, 0.32 * len(tests) + 1.0))
        labels = [t["name"] for t in tests][::-1]
        ax.barh(labels, [(t["pass_rate"] or 0) * 100 for t in tests][::-1], color="#55a868", label=say("pass_rate"))
        ax.plot([(t["mean_share"] or 0) * 100 for t in tests][::-1], labels, "o", color="#c44e52",
                label=say("mean_share"))
        ax.set_xlim(0, 100)
        ax.set_xlabel("%", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7, loc="lower right")
        fig.tight_layout()
        out["tests.png"] = _png(fig)
        plt.close(fig)

        hints = data["hints"][:25]
        if hints:
            fig, ax = plt.subplots(figsize=(7, 0.32 * len(hints) + 1.0))
            ax.barh([visible(h["id"]) for h in hints][::-1], [h["students"] for h in hints][::-1], color="#8172b2")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))      # students are counted, not measured
            ax.set_xlabel(say("students"), fontsize=8)
            ax.tick_params(labelsize=7)
            fig.tight_layout()
            out["hints.png"] = _png(fig)
            plt.close(fig)
    return out


# ---------------------------------------------------------------------------------------- files
def _write_csv(path, header, rows):
    readable.write_csv(path, [header, *rows])


def write_tables(out, data):
    out = Path(out)
    names = readable.IdNames(s["id"] for s in data["students"])
    show = names.show
    rows = [(name, low, high, count) for name, dist in data["distribution"].items() for low, high, count in dist["bins"]]
    _write_csv(out / "distribution.csv", ["part", "from", "to", "students"], rows)
    _write_csv(out / "tests.csv", ["test", "part", "points", "students", "pass_rate", "mean_share"],
               [(t["name"], t["part"], t["points"], t["students"], t["pass_rate"], t["mean_share"]) for t in data["tests"]])
    _write_csv(out / "hints.csv", ["hint", "students", "example", "example_feedback"],
               [(h["id"], h["students"], show(h["example"]) if h["example"] else "", h["example_feedback"] or "")
                for h in data["hints"]])
    _write_csv(out / "unhinted.csv", ["students", "failing_tests", "error_kind", "ids"],
               [(g["count"], "; ".join(g["tests"]), "; ".join(g["kinds"]), "; ".join(map(show, g["students"])))
                for g in data["unhinted"]])
    _write_csv(out / "ungraded.csv", ["student", "status", "reason"],
               [(show(u["id"]), u["status"], u["reason"]) for u in data["ungraded"]])
    _write_csv(out / "students.csv", ["student", "status", "score", *data["parts"], "feedback", "id_note"],
               [(show(s["id"]), s["status"], results.display(s["score"]),
                 *(results.display(s["parts"][p]) for p in data["parts"]), s["feedback"] or "", names.note(s["id"]))
                for s in data["students"]])
    if data.get("similarity"):
        _write_csv(out / "similarity.csv", ["a", "b", "with", "score", "a_share", "b_share", "shared_lines"],
                   [(show(p["a"]), show(p["b"]), p["with"], p["score"], p["a_share"], p["b_share"],
                     "" if p["shared"] is None else len(p["shared"])) for p in data["similarity"]["pairs"]])
    results.write_atomic(out / "report.json", data)


def _link(target, out):
    """A relative link from the report folder to ``target`` (a file that exists), or None."""
    if not target or not Path(target).is_file():
        return None
    return Path(os.path.relpath(Path(target).resolve(), Path(out).resolve())).as_posix()


def _href(target, out):
    rel = _link(target, out)
    return None if rel is None else html.escape("/".join(_quote(p) for p in rel.split("/")), quote=True)


def _quote(part):
    from urllib.parse import quote
    return quote(part, safe="")


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


def html_page(data, out, lang, images):
    """The page, as text: every figure in ``images`` ({name: PNG bytes}) embedded as a data: URI."""
    w = lambda key, **v: word(key, lang, **v)   # noqa: E731
    names = readable.IdNames(s["id"] for s in data["students"])
    esc_id = lambda sid: esc(names.show(sid))   # noqa: E731
    L = []
    add = L.append
    add(f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "zh-Hant-TW"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{esc(w("title"))} — {esc(data["assignment"])}</title>\n<style>{STYLE}</style>\n</head>\n<body>')
    add(f'<h1>{esc(w("title"))}：{esc(data["assignment"])} {esc(data["title"])}</h1>' if lang != "en" else
        f'<h1>{esc(w("title"))}: {esc(data["assignment"])} {esc(data["title"])}</h1>')
    add(f'<nav><a href="#distribution">{esc(w("distribution"))}</a> · <a href="#tests">{esc(w("tests"))}</a> · '
        f'<a href="#hints">{esc(w("hints"))}</a> · <a href="#unhinted">{esc(w("no_hint"))}</a> · '
        f'<a href="#ungraded">{esc(w("ungraded"))}</a> · <a href="#ids">{esc(w("ids"))}</a> · <a href="#similarity">{esc(w("similarity"))}</a> · '
        f'<a href="#feedback">{esc(w("feedback"))}</a></nav>')
    add(f'<h2 id="summary">{esc(w("summary"))}</h2>')
    add(f'<p>{esc(w("summary_line", n=data["submissions"], graded=data["graded"], not_graded=data["not_graded"], mean=data["mean"], median=data["median"], total=data["total_points"]))}</p>')
    if data["problems"]:
        add(f'<details><summary>{esc(w("problems"))} ({len(data["problems"])})</summary><ul>'
            + "".join(f"<li>{esc(p)}</li>" for p in data["problems"]) + "</ul></details>")

    def image(name, alt):
        if name in images:
            add(f'<p><img src="data:image/png;base64,{base64.b64encode(images[name]).decode()}" alt="{esc(alt)}"></p>')

    add(f'<h2 id="distribution">{esc(w("distribution"))}</h2>')
    image("distribution.png", w("distribution"))
    add(f'<div class="wrap"><table><tr><th>{esc(w("part"))}</th><th>{esc(w("points"))}</th>'
        f'<th>{esc(w("mean"))}</th><th>{esc(w("pass_rate"))}</th></tr>')
    graded_rows = [s for s in data["students"] if s["status"] == results.GRADED]
    for name, dist in data["distribution"].items():
        values = [s["score"] if name == "total" else s["parts"][name] for s in graded_rows]
        mean = sum(values) / len(values) if values else 0.0
        add(f'<tr><td>{esc(w("total") if name == "total" else name)}</td><td class="n">{dist["max"]:g}</td>'
            f'<td class="n">{mean:.2f}</td><td class="n">{dist["full"]}/{len(values)}</td></tr>')
    add("</table></div>")

    add(f'<h2 id="tests">{esc(w("tests"))}</h2>')
    image("tests.png", w("tests"))
    add(f'<div class="wrap"><table><tr><th>{esc(w("test"))}</th><th>{esc(w("points"))}</th>'
        f'<th>{esc(w("pass_rate"))}</th><th>{esc(w("mean_share"))}</th></tr>')
    for t in data["tests"]:
        pr = "—" if t["pass_rate"] is None else f'{t["pass_rate"]:.0%}'
        ms = "—" if t["mean_share"] is None else f'{t["mean_share"]:.0%}'
        add(f'<tr><td><code>{esc(t["name"])}</code></td><td class="n">{t["points"]:g}</td>'
            f'<td class="n">{pr}</td><td class="n">{ms}</td></tr>')
    add("</table></div>")

    add(f'<h2 id="hints">{esc(w("hints"))}</h2>')
    image("hints.png", w("hints"))
    if data["hints"]:
        add(f'<div class="wrap"><table><tr><th>{esc(w("hint"))}</th><th>{esc(w("students"))}</th>'
            f'<th>{esc(w("example"))}</th></tr>')
        for h in data["hints"]:
            text = h["text"][lang == "en"] if h["text"] else ""
            href = _href(h["example_feedback"], out)
            example = (f'<a href="{href}">{esc_id(h["example"])}</a>' if href else esc_id(h["example"]) if h["example"] else "")
            add(f'<tr><td><code>{esc(h["id"])}</code><br><span class="note">{esc(text)}</span></td>'
                f'<td class="n">{h["students"]}</td><td>{example}</td></tr>')
        add("</table></div>")
    else:
        add(f"<p>{esc(w('none'))}</p>")

    add(f'<h2 id="unhinted">{esc(w("no_hint"))}</h2>')
    add(f'<p class="note">{esc(w("no_hint_note"))}</p>')
    if data["unhinted"]:
        add(f'<div class="wrap"><table><tr><th>{esc(w("students"))}</th><th>{esc(w("failing_tests"))}</th>'
            f'<th>{esc(w("error_kind"))}</th><th>{esc(w("examples"))}</th></tr>')
        for g in data["unhinted"]:
            kinds = ", ".join(w(k) if k in WORDS else k for k in g["kinds"])
            shown = []
            for sid in g["students"][:5]:
                student = next((s for s in data["students"] if s["id"] == sid), None)
                href = _href(student and student["feedback"], out)
                shown.append(f'<a href="{href}">{esc_id(sid)}</a>' if href else esc_id(sid))
            more = f" … (+{g['count'] - 5})" if g["count"] > 5 else ""
            add(f'<tr><td class="n">{g["count"]}</td><td>' + "<br>".join(f"<code>{esc(t)}</code>" for t in g["tests"])
                + f'</td><td>{esc(kinds)}</td><td>{", ".join(shown)}{more}</td></tr>')
        add("</table></div>")
    else:
        add(f"<p>{esc(w('none'))}</p>")

    add(f'<h2 id="ungraded">{esc(w("ungraded"))}</h2>')
    if data["ungraded"]:
        add(f'<div class="wrap"><table><tr><th>{esc(w("student"))}</th><th>{esc(w("status"))}</th>'
            f'<th>{esc(w("reason"))}</th></tr>')
        for u in data["ungraded"]:
            add(f'<tr><td>{esc_id(u["id"])}</td><td>{esc(u["status"])}</td><td>{esc(u["reason"])}</td></tr>')
        add("</table></div>")
    else:
        add(f"<p>{esc(w('none'))}</p>")

    add(f'<h2 id="ids">{esc(w("ids"))}</h2>')
    flagged = names.flagged()
    if flagged:
        add(f'<p class="note">{esc(w("ids_note"))}</p>')
        add(f'<div class="wrap"><table><tr><th>{esc(w("student"))}</th><th>{esc(w("note"))}</th></tr>')
        for sid in flagged:
            add(f'<tr><td><code>{esc_id(sid)}</code></td><td>{esc(names.note(sid, lang))}</td></tr>')
        add("</table></div>")
    else:
        add(f"<p>{esc(w('none'))}</p>")

    add(f'<h2 id="similarity">{esc(w("similarity"))}</h2>')
    sim = data.get("similarity")
    if not sim:
        add(f'<p class="note">{esc(w("similarity_off"))}</p>')
    else:
        base = w("base_compared", n=sim["base"]) if sim.get("base") else ""
        add(f'<p class="note">{esc(w("similarity_note", threshold=sim["threshold"], base=base))}</p>')
        add(f'<p>{esc(w("pairs_found", n=sim["pair_count"], threshold=sim["threshold"], compared=sim["compared"], seconds=sim["seconds"]))}</p>')
        if sim["skipped"]:
            add(f'<details><summary>{esc(w("not_compared", n=len(sim["skipped"])))}</summary><ul>'
                + "".join(f'<li>{esc_id(s["id"])}: {esc(s["reason"])}</li>' for s in sim["skipped"][:200]) + "</ul></details>")
        if sim["clusters"]:
            add(f'<div class="wrap"><table><tr><th>{esc(w("students"))}</th><th>{esc(w("cluster"))}</th></tr>')
            for c in sim["clusters"][:SHOWN_PAIRS]:
                listed = ", ".join(esc_id(x) for x in c[:30]) + (f" … (+{len(c) - 30})" if len(c) > 30 else "")
                add(f'<tr><td class="n">{len(c)}</td><td>{listed}</td></tr>')
            add("</table></div>")
        shown = [p for p in sim["pairs"] if p["shared"] is not None][:SHOWN_PAIRS]
        for p in shown:
            other = {"reference": esc(w("with_reference")),
                     "base": esc_id(p["b"]) + esc(w("with_base"))}.get(p["with"], esc_id(p["b"]))
            add(f'<details><summary>{p["score"]:.2f} — {esc_id(p["a"])} ↔ {other} '
                f'({len(p["shared"])} {esc(w("shared_lines"))})</summary><div class="side">')
            add(f"<pre><b>{esc_id(p['a'])}</b></pre><pre><b>{other}</b></pre>")
            for a, b in p["shared"][:SHOWN_LINES]:
                add(f"<pre>{esc(a)}</pre><pre>{esc(b)}</pre>")
            add("</div></details>")
        if sim["pair_count"] > len(shown):
            add(f'<p>{esc(w("more_pairs", n=sim["pair_count"] - len(shown)))}</p>')

    add(f'<h2 id="feedback">{esc(w("feedback"))}</h2>')
    add(f'<div class="wrap"><table><tr><th>{esc(w("student"))}</th><th>{esc(w("score"))}</th>'
        f'<th>{esc(w("status"))}</th></tr>')
    for s in data["students"]:
        href = _href(s["feedback"], out)
        name = f'<a href="{href}">{esc_id(s["id"])}</a>' if href else f'{esc_id(s["id"])} <span class="note">{esc(w("no_feedback"))}</span>'
        add(f'<tr><td>{name}</td><td class="n">{results.display(s["score"])}</td><td>{esc(s["status"])}</td></tr>')
    add("</table></div>")
    files = ["report.json", "students.csv", "distribution.csv", "tests.csv", "hints.csv", "unhinted.csv",
             "ungraded.csv", *(["similarity.csv"] if sim else []), *sorted(images)]
    add(f'<h2 id="files">{esc(w("files"))}</h2><p>' + " · ".join(f'<a href="{f}">{f}</a>' for f in files) + "</p>")
    add("</body>\n</html>\n")
    return "\n".join(L)


SHOWN_PAIRS = 200     # pairs drawn on the page (all are in similarity.csv / report.json)
SHOWN_LINES = 60      # shared lines shown per pair


def feedback_files(collected, folders):
    """{id: feedback file} for the students with a feedback file in one of ``folders``."""
    from autograder.views.feedback import feedback_path
    found = {}
    for folder in folders or ():
        for r in collected:
            path = feedback_path(folder, r.id)
            if r.id not in found and path.is_file():
                found[r.id] = path.resolve()
    return found


def write(out, collected, assignment, *, lang="zh", feedback_dirs=(), problems=(), similarity=None):
    """The whole report in ``out``; returns the path of index.html."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = build(collected, assignment, feedback=feedback_files(collected, feedback_dirs), problems=problems)
    data["similarity"] = similarity
    images = figures(data, lang)
    for name, png in images.items():
        (out / name).write_bytes(png)
    write_tables(out, data)
    page = out / "index.html"
    tmp = out / ".index.html.tmp"
    tmp.write_text(html_page(data, out, lang, images), encoding="utf-8")
    os.replace(tmp, page)
    return page


def summary_line(page, data_path):
    with open(data_path, encoding="utf-8") as f:
        data = json.load(f)
    sim = data.get("similarity")
    return (f"wrote {page}: {len(data['hints'])} hints given, {len(data['unhinted'])} groups of failures with no hint, "
            f"{len(data['ungraded'])} not graded"
            + (f", {len(data['attention'])} ids to check" if data.get("attention") else "") + (f", {sim['pair_count']} similar pairs in {len(sim['clusters'])} clusters" if sim else ""))


def submission_files(collected, paths=(), assignment=None, bases=()):
    """{id: file} of the students' submissions: found under ``paths`` (the class folders, as ``grade``
    finds them), else the result's ``submission`` field when it names a file (as given to ``grade``:
    tried as it is and relative to each folder in ``bases``)."""
    files = {}
    if paths:
        from autograder.find import discover
        try:
            for s in discover.find(paths, assignment):
                if not s.problem:
                    files[s.id] = Path(s.path)
        except discover.DiscoveryError:
            pass
    for r in collected:
        if r.id in files or not r.submission:
            continue
        for base in (Path("."), *map(Path, bases)):
            candidate = base / r.submission
            try:
                if candidate.is_file():
                    files[r.id] = candidate
                    break
            except OSError:
                continue
    return files


def run(*, result_dirs, out, assignment=None, lang="zh", feedback_dirs=(), similarity=None, submissions=(),
        base_corpus=(), collected=None, problems=(), stream=None):
    """``python -m autograder report``: read the results folders (merged like ``merge``), write the report."""
    import sys
    from autograder import assignments
    from autograder.grading import batch
    from autograder.grading import UsageError
    stream = stream or sys.stdout
    if base_corpus and similarity is None:
        raise UsageError("--base-corpus is compared by --similarity: give --similarity T too")
    for folder in base_corpus:
        if not Path(folder).exists():
            raise UsageError(f"--base-corpus {folder}: no such folder")
    if collected is None:
        for folder in result_dirs:
            if not Path(folder).is_dir():
                raise UsageError(f"{folder}: no such results folder")
        collected, problems = batch.merge(result_dirs)
        ids = sorted({r.assignment for r in collected})
        if assignment:
            try:
                chosen = assignments.get(assignment)
            except assignments.UnknownAssignment as exc:
                raise UsageError(str(exc)) from None
            collected = [r for r in collected if r.assignment == chosen.id]
        elif len(ids) > 1:
            raise UsageError(f"the folders hold results of {' and '.join(ids)}: give --assignment NAME")
        elif not ids:
            raise UsageError("no results in " + ", ".join(str(f) for f in result_dirs))
        assignment = assignment or ids[0]
    chosen = assignments.get(assignment) if isinstance(assignment, str) else assignment
    sim = None
    if similarity is not None:
        from autograder.views import similarity as similar
        files = submission_files(collected, submissions, chosen, bases=[Path(d).parent for d in result_dirs])
        unfound = sorted(r.id for r in collected if r.id not in files)
        if unfound:
            print(f"similarity: {len(unfound)} of {len(collected)} submissions not found (e.g. {readable.show_id(unfound[0])}); "
                  "give --submissions CLASS_FOLDER (the folder graded)", file=sys.stderr)
        sim = similar.find_pairs(collected, chosen, files, threshold=similarity, base=base_corpus)
    page = write(out, collected, chosen, lang=lang, feedback_dirs=feedback_dirs, problems=problems, similarity=sim)
    print(summary_line(page, Path(out) / "report.json"), file=stream)
    return page
