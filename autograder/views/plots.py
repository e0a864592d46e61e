"""What every assignment's feedback plots share: reading a saved record safely, the one-line note a
student reads when a plot cannot be drawn, and a matplotlib context with the CJK font.

An assignment draws its own figure (its package's ``plots.py``: ``CAPTION``, ``record(student)`` for
the arrays to keep when it is graded, ``render(path, png, lang)`` to draw them). The arrays come
from the student's run, so ``read_arrays`` checks every array's header against what the figure
expects before anything is loaded: a padded network or a string where a matrix belongs is a one-line
``Unplottable`` reason, never a huge allocation or a traceback.
"""
import contextlib
import warnings
import zipfile
from pathlib import Path

import numpy as np

from autograder.views.fonts import cjk_font

MAX_FILE_BYTES = 4 * 1024 ** 2  # a genuine record is a few KB
NUMBER_KINDS = "fiu"            # real numbers: float, signed and unsigned integers

NOTES = {
    "not-drawn": ("未繪製圖表：{reason}", "plot not drawn: {reason}"),
    "unreadable": ("訓練紀錄無法讀取（{error}）", "the training record could not be read ({error})"),
    "too-large": ("訓練紀錄檔太大（{size} 位元組）", "the training record is too large ({size} bytes)"),
    "missing": ("訓練紀錄缺少 {name}", "the training record has no {name}"),
    "dtype": ("{name} 不是實數陣列（dtype {dtype}）", "{name} is not an array of real numbers (dtype {dtype})"),
    "failed": ("評分程式繪圖時發生錯誤（{error}）", "the grader failed while drawing it ({error})"),
    "shape": ("{name} 的形狀是 {got}，應為 {expected}", "{name} has shape {got}, expected {expected}"),
    "losses": ("losses 的形狀是 {got}，應為最多 {limit} 個值的一維陣列",
               "losses has shape {got}, expected a 1-D array of at most {limit} values"),
}


class Unplottable(ValueError):
    """A saved record that cannot be drawn; ``note(lang)`` is the one line a student reads.
    ``notes`` adds an assignment's own reasons to NOTES."""

    def __init__(self, key, notes=None, **values):
        self.notes = {**NOTES, **(notes or {})}
        super().__init__(self.notes[key][1].format(**values))
        self.key, self.values = key, values

    def note(self, lang="zh"):
        zh, en = self.notes[self.key]
        reason = (en if lang == "en" else zh).format(**self.values)
        return self.notes["not-drawn"][lang == "en"].format(reason=reason)


def at_most(limit, notes=None):
    """An ``expected`` of ``check_array``: a 1-D array of at most ``limit`` values (a loss curve)."""
    def check(shape):
        if len(shape) != 1 or shape[0] > limit:
            raise Unplottable("losses", notes, got=shape, limit=limit)
    return check


def exactly(name, expected, notes=None):
    """An ``expected`` of ``check_array``: the shape ``expected`` (a parameter of the figure's network)."""
    def check(shape):
        if tuple(shape) != tuple(expected):
            raise Unplottable("shape", notes, name=name, got=shape, expected=expected)
    return check


def check_array(name, shape, dtype, expected):
    """``Unplottable`` unless an array of ``shape`` and ``dtype`` can be ``name``: ``expected`` is a
    shape, or a callable that raises ``Unplottable`` for a shape it refuses."""
    if dtype.kind not in NUMBER_KINDS:
        raise Unplottable("dtype", name=name, dtype=dtype.str)
    if callable(expected):
        expected(tuple(shape))
    elif tuple(shape) != tuple(expected):
        raise Unplottable("dtype", name=name, dtype=f"shape {tuple(shape)}, expected {tuple(expected)}")


def read_arrays(path, expected):
    """``{name: float64 array}`` of a record (an ``.npz``), each checked against ``expected[name]``
    (see ``check_array``) from its header before it is loaded."""
    path = Path(path)
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            present = set(archive.namelist())
            for name, want in expected.items():
                member = f"{name}.npy"
                if member not in present:
                    raise Unplottable("missing", name=name)
                with archive.open(member) as f:
                    version = np.lib.format.read_magic(f)
                    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                                   else np.lib.format.read_array_header_2_0)
                    shape, _, dtype = read_header(f)
                check_array(name, shape, dtype, want)
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:   # right arrays, and more: not a file a worker wrote
                raise Unplottable("too-large", size=size)
            for name in expected:
                with archive.open(f"{name}.npy") as f:
                    arrays[name] = np.asarray(np.lib.format.read_array(f, allow_pickle=False), dtype=np.float64)
    except Unplottable:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise Unplottable("unreadable", error=type(exc).__name__) from exc
    return arrays


def text(titles, key, lang, **values):
    """A figure's text in the student's language where a CJK font can draw it, else in English."""
    zh, en = titles[key]
    return (zh if lang != "en" and cjk_font() else en).format(**values)


@contextlib.contextmanager
def figure_context():
    """matplotlib (Agg) with the CJK font, printing nothing: warnings about the student's numbers
    (overflow in a diverged run) are the picture's business, not stderr's."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rc = {"font.sans-serif": [cjk_font(), "DejaVu Sans"], "axes.unicode_minus": False} if cjk_font() else {}
    with plt.rc_context(rc), warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield plt
