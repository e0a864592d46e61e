"""02's feedback figure: the student's train_classifier loss curve (one loss per batch) beside the
reference's, and the decision regions their trained classifier gives on the spiral (the graded
accuracy run). Its words are ``plot.*`` in ``messages/``; the arrays are checked against the 2-64-3
network before anything is drawn."""
import functools

import numpy as np

from autograder.views import plots

from . import reference

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
    import matplotlib
    X, y = reference.spiral()
    cmap = matplotlib.colormaps["viridis"]
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
            xx, yy = np.meshgrid(np.linspace(-1.2, 1.2, 120), np.linspace(-1.2, 1.2, 120))
            grid = np.c_[xx.ravel(), yy.ravel()]
            hidden = np.maximum(0, grid @ params[0] + params[1])
            scores = hidden @ params[2] + params[3]
            if np.isfinite(scores).all():
                right.contourf(xx, yy, np.argmax(scores, axis=1).reshape(xx.shape), levels=[-0.5, 0.5, 1.5, 2.5],
                               cmap=cmap, alpha=0.35)
            else:
                right.text(0.5, 0.5, text("no-regions", lang), transform=right.transAxes, ha="center", va="center",
                           bbox=dict(facecolor="white", edgecolor="tab:red"))
            for label in range(3):
                rows = y == label
                right.scatter(X[rows, 0], X[rows, 1], color=cmap(label / 2), s=14, edgecolors="black",
                              linewidths=0.4, label=text("class", lang, label=label))
            right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, frameon=False)
            right.set(xlim=(-1.2, 1.2), ylim=(-1.2, 1.2), xlabel="x1", ylabel="x2", title=text("regions", lang))
            fig.tight_layout()
            fig.savefig(png, dpi=80)
        finally:
            plt.close(fig)
    return png
