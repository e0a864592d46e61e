"""The class report's figures, as PNG bytes: the score distributions, the tests' pass rates, the hints
given. Their words are the report's language where a font can draw it (``plots.figure_words``).
matplotlib loads only when they are drawn (``plots.figure_context``), not with the report."""
import io
import re
import unicodedata

from autograder import messages
from autograder.views import plots
from autograder.views.readable import visible

SHOWN_HINTS = 25       # bars of the hints figure (all are in hints.csv)
LABEL_COLUMNS = 48     # the width of a hint's label, in terminal columns (a CJK character is two)
CLAUSE_END = re.compile(r"[：:；;，,。（(]")


def _columns(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def hint_label(words: messages.Catalog, hint_id: str, limit: int = LABEL_COLUMNS) -> str:
    """A hint as a chart label: the first clause of its sentence, cut to ``limit`` columns; the id
    (made visible) when no catalog has it."""
    text = words.hint_text(hint_id)
    if not text:
        return visible(hint_id)
    label = CLAUSE_END.split(text, maxsplit=1)[0].strip() or text
    if _columns(label) <= limit:
        return label
    while _columns(label) > limit - 1:
        label = label[:-1]
    return label.rstrip() + "…"


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _distribution(plt, data, words):
    names = ["total", *data["parts"]]
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 2.8), squeeze=False)
    for ax, name in zip(axes[0], names):
        dist = data["distribution"][name]
        lows = [b[0] for b in dist["bins"]]
        width = (dist["bins"][0][1] - dist["bins"][0][0]) or 1
        ax.bar(lows, [b[2] for b in dist["bins"]], width=width * 0.9, align="edge", color="#4c72b0")
        ax.set_title(f"{words('report.total') if name == 'total' else name} (/{dist['max']:g})", fontsize=10)
        ax.set_xlim(0, dist["max"])
        ax.set_xlabel(words("report.score"), fontsize=8)
        ax.set_ylabel(words("report.students"), fontsize=8)
        ax.yaxis.set_major_locator(plt.MaxNLocator(integer=True))
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig


def _tests(plt, data, words):
    tests = data["tests"]
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(tests) + 1.0))
    labels = [t["name"] for t in tests][::-1]
    ax.barh(labels, [(t["pass_rate"] or 0) * 100 for t in tests][::-1], color="#55a868",
            label=words("report.pass-rate"))
    ax.plot([(t["mean_share"] or 0) * 100 for t in tests][::-1], labels, "o", color="#c44e52",
            label=words("report.mean-share"))
    ax.set_xlim(0, 100)
    ax.set_xlabel("%", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def _hints(plt, hints, words):
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(hints) + 1.0))
    rows = range(len(hints))        # by position: two hints may share the first words of their sentence
    ax.barh(rows, [h["students"] for h in hints][::-1], color="#8172b2")
    ax.set_yticks(rows, [hint_label(words, h["id"]) for h in hints][::-1])
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))      # students are counted, not measured
    ax.set_xlabel(words("report.students"), fontsize=8)
    ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig


def figures(data: dict, lang: str, assignment) -> dict:
    """{file name: PNG bytes}: ``distribution.png``, ``tests.png`` and (when hints were given) ``hints.png``."""
    words = plots.figure_words(lang, assignment)
    out = {}
    with plots.figure_context() as plt:
        drawn = [("distribution.png", _distribution(plt, data, words)), ("tests.png", _tests(plt, data, words))]
        if data["hints"]:
            drawn.append(("hints.png", _hints(plt, data["hints"][:SHOWN_HINTS], words)))
        for name, fig in drawn:
            out[name] = _png(fig)
            plt.close(fig)
    return out
