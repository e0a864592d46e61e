"""Feedback plots: the student's train_xor loss curve beside the reference's, and the decision
boundary their loop produced. Chinese titles where a CJK font is installed, English otherwise."""
import functools

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


def text(key, lang):
    zh, en = TITLES[key]
    return zh if lang != "en" and cjk_font() else en


def render_training(losses, params, path, *, run, lang="zh"):
    """Write a PNG with the loss curves and the decision boundary; ``run`` = (seed, lr, epochs)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rc = {"font.sans-serif": [cjk_font(), "DejaVu Sans"], "axes.unicode_minus": False} if cjk_font() else {}
    expected, _ = reference.train(*run)
    with plt.rc_context(rc):
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        left.plot(np.maximum(expected, 1e-32), label=text("reference", lang), color="gray", linewidth=3, alpha=0.6)
        if len(losses):
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
        plt.close(fig)
    return path
