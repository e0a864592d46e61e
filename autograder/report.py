"""Views of the results: the JSON list, the CSV gradebook, the terminal table, feedback files.

None of them computes anything: they read ``SubmissionResult``s, already sorted by id.
"""
import csv
import io
import json
from pathlib import Path

import numpy as np

from . import results, rubric
from .results import write_atomic


def write_json(collected, path):
    write_atomic(path, [r.to_gradescope() for r in collected])


def gradebook_rows(collected):
    header = ["id", "submission", "total", *rubric.PARTS, "max_score", "status", "reason"]
    rows = [header]
    for r in collected:
        parts = r.part_scores()
        rows.append([r.id, r.submission, f"{r.score:g}", *[f"{parts[p]:g}" for p in rubric.PARTS],
                     f"{rubric.TOTAL_POINTS:g}", r.status, r.reason.replace("\n", " ")])
    return rows


def write_csv(collected, path):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(gradebook_rows(collected))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(path)


def table(collected, width=100):
    """The human summary: one line per submission."""
    parts = [f"{p} /{rubric.PART_POINTS[p]:g}" for p in rubric.PARTS]
    name_width = min(max([len("student")] + [len(r.id) for r in collected]), 32)
    lines = [f"{'student':<{name_width}}  {'total':>7}  " + "  ".join(f"{p:>15}" for p in parts) + "  status"]
    for r in collected:
        scores = r.part_scores()
        status = r.status if r.status == results.GRADED else f"{r.status}: {r.reason}"
        lines.append(f"{r.id[:name_width]:<{name_width}}  {r.score:>7g}  "
                     + "  ".join(f"{scores[p]:>15g}" for p in rubric.PARTS) + f"  {status[:width]}")
    return "\n".join(lines)


def summary_text(stats):
    parts = ", ".join(f"{p} {n}/{stats['graded']}" for p, n in stats["full_marks_per_part"].items())
    return (f"{stats['submissions']} submissions: {stats['graded']} graded, {stats['not_graded']} not graded; "
            f"mean {stats['mean']:g}, median {stats['median']:g} of {rubric.TOTAL_POINTS:g}; "
            f"full marks per part: {parts}")


def feedback_markdown(result, lang="zh"):
    title = "評分回饋" if lang != "en" else "Feedback"
    lines = [f"# {title}: {result.id}", "",
             f"**{result.score:g} / {rubric.TOTAL_POINTS:g}**" + ("" if result.status == results.GRADED
                                                               else f" — {result.status}: {result.reason}"), ""]
    if result.output:
        lines += ["```", result.output, "```", ""]
    for part in rubric.PARTS:
        tests = [t for t in result.tests if t.part == part]
        got = sum(t.score for t in tests)
        lines += [f"## {part} — {got:g} / {rubric.PART_POINTS[part]:g}", ""]
        for t in tests:
            mark = "✓" if t.status == "passed" else "✗"
            lines.append(f"### {mark} {t.name} — {t.score:g} / {t.max_score:g}")
            if t.output:
                lines += ["", "```", t.output, "```"]
            lines.append("")
    return "\n".join(lines)


def write_feedback(collected, folder, lang="zh", results_dir=None):
    """One Markdown file per student; with the results folder, a PNG of their train_xor run beside it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for result in collected:
        path = results.result_path(folder, result.id).with_suffix(".md")
        text = feedback_markdown(result, lang)
        training = results.training_path(results_dir, result.id) if results_dir else None
        if training is not None and training.exists():
            from . import plots
            with np.load(training, allow_pickle=False) as data:
                params = [data[f"param{i}"] for i in range(4)]
                png = plots.render_training(data["losses"], params, path.with_suffix(".png"),
                                            run=rubric.TRAIN_RUNS["main"], lang=lang)
            caption = "train_xor：損失曲線與決策邊界" if lang != "en" else "train_xor: loss curve and decision boundary"
            text += f"\n## {caption}\n\n![{caption}]({png.name})\n"
        path.write_text(text, encoding="utf-8")


def dumps(collected):
    return json.dumps([r.to_gradescope() for r in collected], ensure_ascii=False, indent=1)
