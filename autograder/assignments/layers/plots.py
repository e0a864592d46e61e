"""02's feedback figure: the student's train_classifier loss curve (one loss per batch) beside the
reference's, and the decision regions their trained classifier gives on the spiral (the graded
accuracy run). Its words are ``plot.*`` in ``messages/``; the arrays are checked against the 2-64-3
network before anything is drawn. The classes have the notebook's colours (``notebook.CLASS_PALETTE``):
a class's points, legend entry and region (drawn at ``REGION_ALPHA``) share one colour."""
import functools

import numpy as np

from autograder.views import plots

from . import reference
from .notebook import CLASS_PALETTE, REGION_ALPHA

RUN = "accuracy"
PARAM_NAMES = ("W1", "b1", "W2", "b2")
PARAM_SHAPES = tuple(p.shape for p in reference.run_args(RUN)[0])
MAX_LOSSES = 100_000
_, _, _, _, _, _BATCH, _ = reference.run_args(RUN)
BATCHES_PER_EPOCH = -(-reference.spiral()[0].shape[0] // _BATCH)
EXPECTED = {"losses": plots.at_most(MAX_LOSSES),
            **{name: plots.exactly(name, shape) for name, shape in zip(PARAM_NAMES, PARAM_SHAPES)}}


def record(student):
    """The arrays the figure needs, from the student's graded accuracy run, or None."""
    reply = student.cached(("train", RUN), "train_classifier")
    if reply is None or not reply.ok:
        return None
    losses = reply.value["losses"]
    return {"losses": losses if losses is not None else np.zeros(0),
            **{name: p for name, p in zip(PARAM_NAMES, reply.value["params"])}}


def text(key: str, lang: str, **values) -> str:
    """The figure's word ``plot.<key>`` (messages/), in ``lang`` where a font can draw it."""
    return plots.figure_words(lang, __package__)(f"plot.{key}", **values)


@functools.lru_cache(maxsize=None)
def _reference_losses():
    losses, _ = reference.train_expected(RUN)
    return losses


def render(path, png, lang="zh"):
    """Draw the saved record at ``path`` into ``png`` (the engine's entry point)."""
    arrays = plots.read_arrays(path, EXPECTED)
    losses, params = arrays["losses"], [arrays[name] for name in PARAM_NAMES]
    with plots.figure_context() as plt:
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
        try:
            expected, xlabel = _reference_losses(), "batch"
            if len(losses) == len(expected) and len(expected) % BATCHES_PER_EPOCH == 0:
                # One point per epoch (the mean of its batches): per-batch losses are too noisy to compare.
                expected = expected.reshape(-1, BATCHES_PER_EPOCH).mean(axis=1)
                losses, xlabel = losses.reshape(-1, BATCHES_PER_EPOCH).mean(axis=1), "epoch"
            left.plot(expected, color="gray", linewidth=3, alpha=0.6, label=text("reference", lang))
            shown = np.isfinite(losses) & (losses > 0)
            if shown.any():
                left.plot(np.arange(len(losses))[shown], losses[shown], color="tab:blue", linewidth=1,
                          label=text("yours", lang))
            left.set_yscale("log")
            left.set(xlabel=xlabel, ylabel="loss", title=text("loss", lang))
            left.legend(loc="best")
            left.grid(True, alpha=0.3)
            draw_regions(right, params, lang)
            fig.tight_layout()
            fig.savefig(png, dpi=80)
        finally:
            plt.close(fig)
    return png


LIMITS = (-1.2, 1.2)


def draw_regions(ax, params, lang):
    """The spiral's points over the classes the 2-64-3 network ``params`` predicts on the plane, each
    class in its colour of ``CLASS_PALETTE`` (points and legend full, region at ``REGION_ALPHA``)."""
    X, y = reference.spiral()
    xx, yy = np.meshgrid(np.linspace(*LIMITS, 120), np.linspace(*LIMITS, 120))
    grid = np.c_[xx.ravel(), yy.ravel()]
    hidden = np.maximum(0, grid @ params[0] + params[1])
    scores = hidden @ params[2] + params[3]
    if np.isfinite(scores).all():
        classes = np.argmax(scores, axis=1).reshape(xx.shape)
        ax.contourf(xx, yy, classes, levels=[-0.5, 0.5, 1.5, 2.5], colors=CLASS_PALETTE, alpha=REGION_ALPHA)
    else:
        ax.text(0.5, 0.5, text("no-regions", lang), transform=ax.transAxes, ha="center", va="center",
                bbox=dict(facecolor="white", edgecolor="tab:red"))
    for label, colour in enumerate(CLASS_PALETTE):
        rows = y == label
        ax.scatter(X[rows, 0], X[rows, 1], color=colour, s=14, edgecolors="black", linewidths=0.4,
                   label=text("class", lang, label=label))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, frameon=False)
    ax.set(xlim=LIMITS, ylim=LIMITS, xlabel="x1", ylabel="x2", title=text("regions", lang))
