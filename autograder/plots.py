"""Feedback plots: the student's train_xor loss curve beside the reference's, and the decision
boundary their loop produced. Chinese titles where a CJK font is installed, English otherwise.

The arrays come from the student's run: ``read_training`` checks a saved run against the shapes of
the 2-8-1 XOR network before anything is loaded or drawn, so a padded network or a string where a
matrix belongs is a one-line ``Unplottable`` reason, never a huge allocation or a traceback."""
import functools
import zipfile
from pathlib import Path

import numpy as np

from . import reference

TITLES = {
    "loss": ("訓練損失 (loss)：你的 train_xor 與參考答案", "Training loss: your train_xor and the reference"),
    "boundary": ("你的 train_xor 學到的 XOR 決策邊界", "XOR decision boundary your train_xor learned"),
    "yours": ("你的", "yours"),
    "reference": ("參考答案", "reference"),
}


@functools.lru_cache(maxsize=None)
def cjk_font():
    """Name of an installed font with CJK glyphs (e.g. Debian's fonts-noto-cjk), or None."""
    from matplotlib import font_manager
    names = sorted({f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name})
    preferred = [n for n in names if "TC" in n] + [n for n in names if "Sans" in n] + names
    return preferred[0] if preferred else None


# The network train_xor trains (2 inputs, 8 hidden units, 1 output): W1, b1, W2, b2.
PARAM_NAMES = ("W1", "b1", "W2", "b2")
PARAM_SHAPES = tuple(p.shape for p in reference.initial_params(0))   # ((2, 8), (8,), (8, 1), (1,))
MAX_LOSSES = 100_000           # the main run has 500 epochs; more than this is not a loss curve
MAX_FILE_BYTES = 4 * 1024 ** 2  # a genuine run's .training.npz is a few KB
NUMBER_KINDS = "fiu"            # real numbers: float, signed and unsigned integers

NOTES = {
    "not-drawn": ("未繪製圖表：{reason}", "plot not drawn: {reason}"),
    "unreadable": ("訓練紀錄無法讀取（{error}）", "the training record could not be read ({error})"),
    "too-large": ("訓練紀錄檔太大（{size} 位元組）", "the training record is too large ({size} bytes)"),
    "missing": ("訓練紀錄缺少 {name}", "the training record has no {name}"),
    "dtype": ("{name} 不是實數陣列（dtype {dtype}）", "{name} is not an array of real numbers (dtype {dtype})"),
    "shape": ("{name} 的形狀是 {got}，應為 {expected}（2-8-1 的 XOR 網路）",
              "{name} has shape {got}, expected {expected} (the 2-8-1 XOR network)"),
    "losses": ("losses 的形狀是 {got}，應為最多 {limit} 個值的一維陣列",
               "losses has shape {got}, expected a 1-D array of at most {limit} values"),
    "failed": ("評分程式繪圖時發生錯誤（{error}）", "the grader failed while drawing it ({error})"),
}


class Unplottable(ValueError):
    """A saved training run that cannot be drawn; ``note(lang)`` is the one line a student reads."""

    def __init__(self, key, **values):
        super().__init__(NOTES[key][1].format(**values))
        self.key, self.values = key, values

    def note(self, lang="zh"):
        zh, en = NOTES[self.key]
        return NOTES["not-drawn"][lang == "en"].format(reason=(en if lang == "en" else zh).format(**self.values))


def _check(name, shape, dtype, expected):
    """Raise ``Unplottable`` unless an array of ``shape`` and ``dtype`` can be the ``name`` expected."""
    if dtype.kind not in NUMBER_KINDS:
        raise Unplottable("dtype", name=name, dtype=dtype.str)
    if name == "losses":
        if len(shape) != 1 or shape[0] > MAX_LOSSES:
            raise Unplottable("losses", got=tuple(shape), limit=MAX_LOSSES)
    elif tuple(shape) != expected:
        raise Unplottable("shape", name=name, got=tuple(shape), expected=expected)


def check_training(losses, params):
    """The run as float64 arrays ``(losses, [W1, b1, W2, b2])``, or ``Unplottable`` saying what is wrong."""
    if params is None or len(params) != len(PARAM_SHAPES):
        raise Unplottable("missing", name=", ".join(PARAM_NAMES))
    arrays = []
    for name, value, expected in zip(("losses",) + PARAM_NAMES, [losses, *params], (None,) + PARAM_SHAPES):
        if not isinstance(value, np.ndarray):
            raise Unplottable("dtype", name=name, dtype=type(value).__name__)
        _check(name, value.shape, value.dtype, expected)
        arrays.append(np.asarray(value, dtype=np.float64))
    return arrays[0], arrays[1:]


def read_training(path):
    """A worker's ``.training.npz`` as ``check_training`` returns it. Each array's shape and dtype are
    read from its header first, so nothing of unexpected size or type is ever loaded."""
    path = Path(path)
    members = {"losses": "losses.npy", **{name: f"param{i}.npy" for i, name in enumerate(PARAM_NAMES)}}
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            present = set(archive.namelist())
            for (name, member), expected in zip(members.items(), (None,) + PARAM_SHAPES):
                if member not in present:
                    raise Unplottable("missing", name=name)
                with archive.open(member) as f:
                    version = np.lib.format.read_magic(f)
                    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                                   else np.lib.format.read_array_header_2_0)
                    shape, _, dtype = read_header(f)
                _check(name, shape, dtype, expected)
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:   # right arrays, and more: not a file a worker wrote
                raise Unplottable("too-large", size=size)
            for name, member in members.items():
                with archive.open(member) as f:
                    arrays[name] = np.lib.format.read_array(f, allow_pickle=False)
    except Unplottable:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise Unplottable("unreadable", error=type(exc).__name__) from exc
    return check_training(arrays["losses"], [arrays[name] for name in PARAM_NAMES])


@functools.lru_cache(maxsize=None)
def _reference_losses(run):
    losses, _ = reference.train(*run)
    losses.setflags(write=False)
    return losses


def text(key, lang):
    zh, en = TITLES[key]
    return zh if lang != "en" and cjk_font() else en


def render_training(losses, params, path, *, run, lang="zh"):
    """Write a PNG with the loss curves and the decision boundary; ``run`` = (seed, lr, epochs).

    Raises ``Unplottable`` (before drawing anything) unless the arrays are a run of the 2-8-1 network."""
    losses, params = check_training(losses, params)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc = {"font.sans-serif": [cjk_font(), "DejaVu Sans"], "axes.unicode_minus": False} if cjk_font() else {}
    expected = _reference_losses(tuple(run))
    with plt.rc_context(rc):
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        try:
            left.plot(np.maximum(expected, 1e-32), label=text("reference", lang), color="gray", linewidth=3, alpha=0.6)
            if len(losses):
                with np.errstate(all="ignore"):
                    left.plot(np.maximum(np.abs(losses), 1e-32), label=text("yours", lang), color="tab:blue")
            left.set(yscale="log", xlabel="epoch", ylabel="loss", title=text("loss", lang))
            left.legend()
            left.grid(True, alpha=0.3)
            xx, yy = np.meshgrid(np.linspace(-0.5, 1.5, 80), np.linspace(-0.5, 1.5, 80))
            with np.errstate(all="ignore"):
                Z = reference.net_forward(params, np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
            Z = np.nan_to_num(Z, nan=0.5, posinf=2.0, neginf=-1.0).clip(-1, 2)
            right.contourf(xx, yy, Z, levels=30, cmap="RdYlBu_r", alpha=0.7)
            if Z.min() < 0.5 < Z.max():
                right.contour(xx, yy, Z, levels=[0.5], colors="black", linewidths=2)
            colors = ["red" if t == 0 else "blue" for t in reference.XOR_Y[:, 0]]
            right.scatter(reference.XOR_X[:, 0], reference.XOR_X[:, 1], c=colors, s=150, edgecolors="black", zorder=5)
            right.set(xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="x1", ylabel="x2", title=text("boundary", lang))
            fig.tight_layout()
            fig.savefig(path, dpi=80)
        finally:
            plt.close(fig)   # also when drawing failed: a class's worth of open figures would pile up
    return path
