"""What every assignment's feedback plots share: reading a saved record safely, the one-line note a
student reads when a plot cannot be drawn, and a matplotlib context with the CJK font.

An assignment draws its own figure (its package's ``plots.py``: ``record(student)`` for the arrays
to keep when it is graded, ``render(path, png, lang)`` to draw them; ``plot.caption`` and its other
words are in its catalog). The arrays come from the student's run, so ``read_arrays`` checks every
array's header against what the figure expects before anything is loaded: a padded network or a
string where a matrix belongs is a one-line ``Unplottable`` reason, never a huge allocation or a
traceback.
"""
import contextlib
import warnings
import zipfile
from pathlib import Path

import numpy as np

from autograder import messages
from autograder.assignment import Assignment
from autograder.views.fonts import cjk_font

MAX_FILE_BYTES = 4 * 1024 ** 2  # a genuine record is a few KB
NUMBER_KINDS = "fiu"            # real numbers: float, signed and unsigned integers

# Where a CJK font is missing, a figure in a language that needs one is drawn in this one's words;
# exception text (``str(Unplottable)``), like the engine's other exceptions, is in it too.
FALLBACK = "en"


class Unplottable(ValueError):
    """A saved record that cannot be drawn, and why: ``key`` names the catalog's ``plot.note.<key>``
    (the assignment's over the engine's), filled with ``values``; ``note(words)`` is the one line a
    student reads."""

    def __init__(self, key: str, **values):
        super().__init__(messages.catalog(FALLBACK)(f"plot.note.{key}", **values))
        self.key, self.values = key, values

    def note(self, words: messages.Catalog) -> str:
        return words("plot.not-drawn", reason=words(f"plot.note.{self.key}", **self.values))


def at_most(limit: int):
    """An ``expected`` of ``check_array``: a 1-D array of at most ``limit`` values (a loss curve)."""
    def check(shape):
        if len(shape) != 1 or shape[0] > limit:
            raise Unplottable("losses", got=shape, limit=limit)
    return check


def exactly(name: str, expected: tuple):
    """An ``expected`` of ``check_array``: the shape ``expected`` (a parameter of the figure's network)."""
    def check(shape):
        if tuple(shape) != tuple(expected):
            raise Unplottable("shape", name=name, got=shape, expected=expected)
    return check


def check_array(name: str, shape: tuple, dtype: np.dtype, expected) -> None:
    """``Unplottable`` unless an array of ``shape`` and ``dtype`` can be ``name``: ``expected`` is a
    shape, or a callable that raises ``Unplottable`` for a shape it refuses."""
    if dtype.kind not in NUMBER_KINDS:
        raise Unplottable("dtype", name=name, dtype=dtype.str)
    if callable(expected):
        expected(tuple(shape))
    elif tuple(shape) != tuple(expected):
        raise Unplottable("dtype", name=name, dtype=f"shape {tuple(shape)}, expected {tuple(expected)}")


def read_arrays(path, expected: dict) -> dict:
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


def figure_words(lang: str, assignment: Assignment | str | None = None) -> messages.Catalog:
    """The words a figure is drawn with: ``lang``'s (``messages.catalog(lang, assignment)``) where
    a font can draw them, else ``FALLBACK``'s."""
    words = messages.catalog(lang, assignment)
    return words if not words.cjk or cjk_font() else messages.catalog(FALLBACK, assignment)


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
