"""01's feedback figure: the student's train_xor loss curve beside the reference's, and the decision
boundary their loop produced (its main training run). Its words are ``plot.*`` in ``messages/`` (drawn
in English where no CJK font is installed); the arrays are checked against the 2-8-1 XOR network
before anything is drawn."""
import functools

import numpy as np

from autograder.views import plots
from autograder.views.plots import Unplottable

from . import reference
from .rubric import TRAIN_RUNS

# The network train_xor trains (2 inputs, 8 hidden units, 1 output): W1, b1, W2, b2.
PARAM_NAMES = ("W1", "b1", "W2", "b2")
PARAM_SHAPES = tuple(p.shape for p in reference.initial_params(0))   # ((2, 8), (8,), (8, 1), (1,))
MAX_LOSSES = 100_000           # the main run has 500 epochs; more than this is not a loss curve
EXPECTED = {"losses": plots.at_most(MAX_LOSSES),
            **{name: plots.exactly(name, shape) for name, shape in zip(PARAM_NAMES, PARAM_SHAPES)}}


def record(student):
    """The arrays the figure needs, from the student's main training run (as graded), or None."""
    reply = student.cached(("train", "main"), "train_xor")
    if reply is None or not reply.ok:
        return None
    losses = reply.value["losses"]
    return {"losses": losses if losses is not None else np.zeros(0),
            **{name: p for name, p in zip(PARAM_NAMES, reply.value["params"])}}


def check_training(losses, params):
    """The run as float64 arrays ``(losses, [W1, b1, W2, b2])``, or ``Unplottable`` saying what is wrong."""
    if params is None or len(params) != len(PARAM_SHAPES):
        raise Unplottable("missing", name=", ".join(PARAM_NAMES))
    arrays = []
    for name, value in zip(("losses",) + PARAM_NAMES, [losses, *params]):
        if not isinstance(value, np.ndarray):
            raise Unplottable("dtype", name=name, dtype=type(value).__name__)
        plots.check_array(name, value.shape, value.dtype, EXPECTED[name])
        arrays.append(np.asarray(value, dtype=np.float64))
    return arrays[0], arrays[1:]


def read_training(path):
    """A saved record as ``check_training`` returns it (headers checked before anything is loaded)."""
    arrays = plots.read_arrays(path, EXPECTED)
    return arrays["losses"], [arrays[name] for name in PARAM_NAMES]


def render(path, png, lang="zh"):
    """Draw the saved record at ``path`` into ``png`` (the engine's entry point)."""
    losses, params = read_training(path)
    return render_training(losses, params, png, run=TRAIN_RUNS["main"], lang=lang)


@functools.lru_cache(maxsize=None)
def _reference_losses(run):
    losses, _ = reference.train(*run)
    losses.setflags(write=False)
    return losses


def text(key: str, lang: str, **values) -> str:
    """The figure's word ``plot.<key>`` (messages/), in ``lang`` where a font can draw it."""
    return plots.figure_words(lang, __package__)(f"plot.{key}", **values)


# Log-axis range: matplotlib's tick locator overflows for limits beyond about 1e300. A loss above
# LOG_CEILING is, like inf and nan, drawn as where the curve stops.
LOG_FLOOR, LOG_CEILING = 1e-30, 1e200
# Regions and points share one colour map and one scale: a point has the colour of the region where
# the network's answer for it would be right (output 0 blue, output 1 red); the regions are a lighter
# shade (alpha) so that a point on a region of the other colour stands out.
CMAP = "RdYlBu_r"


def _draw_losses(ax, losses, expected, lang):
    """Both loss curves on a log axis. A diverged run is drawn up to its last loss below
    LOG_CEILING, and a dashed line marks the first loss that is larger, inf or nan."""
    shown = np.isfinite(losses) & (losses <= LOG_CEILING)
    epochs = np.arange(len(losses))
    ax.plot(np.clip(expected, LOG_FLOOR, LOG_CEILING), label=text("reference", lang),
            color="gray", linewidth=3, alpha=0.6)
    if shown.any():
        ax.plot(epochs[shown], np.clip(losses[shown], LOG_FLOOR, None), label=text("yours", lang), color="tab:blue")
    if not shown.all():
        first = int(np.argmin(shown))
        rest = losses[first:]
        kinds = [kind for kind, present in ((f"> {LOG_CEILING:.0e}", (rest > LOG_CEILING).any()),
                                            ("inf", np.isinf(rest).any()), ("nan", np.isnan(rest).any())) if present]
        ax.axvline(first, color="tab:red", linestyle="--", linewidth=1.5,
                   label=text("not-finite", lang, index=first, value=" / ".join(kinds)))
    values = np.clip(np.concatenate([expected, losses[shown]]), LOG_FLOOR, LOG_CEILING)
    ax.set_yscale("log")
    ax.set_ylim(max(values.min() / 3, LOG_FLOOR), min(values.max() * 3, LOG_CEILING))
    ax.set(xlabel="epoch", ylabel="loss", title=text("loss", lang))
    ax.legend(loc="best")
    ax.grid(True, alpha=0.3)


def _draw_boundary(fig, ax, params, lang):
    """The network's output over the plane, its 0.5 contour, and the four XOR points coloured by y."""
    import matplotlib
    cmap = matplotlib.colormaps[CMAP]
    xx, yy = np.meshgrid(np.linspace(-0.5, 1.5, 80), np.linspace(-0.5, 1.5, 80))
    Z = reference.net_forward(params, np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
    if np.isfinite(Z).all():
        filled = ax.contourf(xx, yy, np.clip(Z, 0, 1), levels=np.linspace(0, 1, 21), cmap=cmap, alpha=0.6)
        if Z.min() < 0.5 < Z.max():
            ax.contour(xx, yy, Z, levels=[0.5], colors="black", linewidths=2)
        fig.colorbar(filled, ax=ax, ticks=[0, 0.5, 1]).ax.set_title(text("output", lang), fontsize=9)
    else:
        ax.text(0.5, 0.5, text("no-boundary", lang), transform=ax.transAxes, ha="center", va="center",
                bbox=dict(facecolor="white", edgecolor="tab:red"))
    for label in (0, 1):
        rows = reference.XOR_Y[:, 0] == label
        ax.scatter(reference.XOR_X[rows, 0], reference.XOR_X[rows, 1], color=cmap(float(label)), s=150,
                   edgecolors="black", linewidths=1.5, zorder=5, label=text("class", lang, label=label))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)
    ax.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="x1", ylabel="x2", title=text("boundary", lang))


def render_training(losses, params, path, *, run, lang="zh"):
    """Write a PNG with the loss curves and the decision boundary; ``run`` = (seed, lr, epochs).

    Raises ``Unplottable`` (before drawing anything) unless the arrays are a run of the 2-8-1 network.
    Prints nothing, also for a run that overflowed: those warnings are about the student's numbers,
    and the picture shows them."""
    losses, params = check_training(losses, params)
    expected = _reference_losses(tuple(run))
    with plots.figure_context() as plt:
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
        try:
            _draw_losses(left, losses, expected, lang)
            _draw_boundary(fig, right, params, lang)
            fig.tight_layout()
            fig.savefig(path, dpi=80)
        finally:
            plt.close(fig)   # also when drawing failed: a class's worth of open figures would pile up
    return path
