"""Run a notebook's code cells in this process, as a Jupyter kernel would run them top to bottom.

For tests that need the cells' printed output many times over (the self-check corpus): no kernel to
start, one namespace, each cell compiled under its own file name and registered with ``linecache``
(as IPython does) so tracebacks and the self-checks' "在 … 的這一行" show the line. A cell that raises
is recorded and the next cell still runs, like ``nbclient`` with ``allow_errors``.
"""
import contextlib
import io
import linecache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402

from autograder.assignments.backprop_basics import ASSIGNMENT  # noqa: E402
from solutions.build import solved_source  # noqa: E402

SOURCE_NOTEBOOK = ASSIGNMENT.source / ASSIGNMENT.notebook

EXERCISES = ("Sigmoid", "TwoLayerNet", "train_xor")
SELF_CHECKS = {"test_Sigmoid": "Sigmoid", "test_TwoLayerNet": "TwoLayerNet", "test_train_xor": "train_xor"}


def solved_cells():
    """[(grade_id or None, solved source)] of the source notebook's code cells."""
    nb = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    return [(c.metadata.get("nbgrader", {}).get("grade_id"), solved_source(c.source))
            for c in nb.cells if c.cell_type == "code"]


def run(cells, skip=()):
    """Execute ``[(grade_id, source)]``; cells containing any text in ``skip`` are left out.

    Returns ``(namespace, outputs)``: ``outputs[grade_id or index] = (stdout, exception or None)``."""
    namespace = {"__name__": "__main__"}
    outputs = {}
    for index, (grade_id, source) in enumerate(cells):
        if any(marker in source for marker in skip):
            continue
        filename = f"<cell {index}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        out = io.StringIO()
        error = None
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(source, filename, "exec"), namespace)
        except Exception as exc:   # the notebook shows it and goes on
            error = exc
        finally:
            plt.close("all")
        outputs[grade_id or index] = (out.getvalue(), error)
    return namespace, outputs


def with_exercise(cells, grade_id, old, new):
    """``cells`` with ``old`` replaced by ``new`` in the exercise cell ``grade_id`` (exactly one match)."""
    changed = []
    for gid, source in cells:
        if gid == grade_id:
            if source.count(old) != 1:
                raise ValueError(f"{grade_id}: {old!r} occurs {source.count(old)} times in the reference cell")
            source = source.replace(old, new)
        changed.append((gid, source))
    return changed
