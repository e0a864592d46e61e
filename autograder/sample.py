"""Sample submissions built from the real release notebook: the demo class, the benchmark, the tests.

``filled_notebook(variant)`` is the release notebook with its three exercise cells filled in the way
a student with that ``variant`` would: the reference solution, or the reference with one typical
mistake (a text substitution in one cell). Built from the committed release and the source
notebook, so the samples can never drift from what students actually receive.
"""
import copy
from pathlib import Path

import nbformat

from solutions.build import SOURCE_NOTEBOOK, solved_source

ROOT = Path(__file__).resolve().parent.parent
RELEASE_NOTEBOOK = ROOT / "assignments" / "01_backprop_basics" / "backprop_basics.ipynb"
EXERCISES = ("Sigmoid", "TwoLayerNet", "train_xor")   # grade_ids of the solution cells

# variant: (grade_id, text in the reference cell, replacement) -- one typical mistake each.
MISTAKES = {
    "sigmoid-ignores-dout": ("Sigmoid", "dx = dout * sigmoid_out * (1 - sigmoid_out)", "dx = sigmoid_out * (1 - sigmoid_out)"),
    "sigmoid-unstable": ("Sigmoid", "z = np.exp(-np.abs(x))\n        out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))",
                         "out = 1 / (1 + np.exp(-x))"),
    "net-backward-skips-sigmoid": ("TwoLayerNet", "dh1 = self.sigmoid.backward(dh2)", "dh1 = dh2"),
    "net-params-copies": ("TwoLayerNet", "(self.fc1.W, self.fc1.dW)", "(self.fc1.W.copy(), self.fc1.dW)"),
    "train-loss-after-update": ("train_xor", "        loss = np.mean((Y - y) ** 2)\n        losses.append(loss)\n", ""),
    "train-rebinds-param": ("train_xor", "param -= learning_rate * grad", "param = param - learning_rate * grad"),
}


def reference_cells():
    """grade_id -> solved source of each exercise cell of the source notebook."""
    nb = nbformat.read(SOURCE_NOTEBOOK, as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: solved_source(cell.source)
            for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade_id") in EXERCISES}


def filled_notebook(variant="reference"):
    """The release notebook as a student with ``variant`` would submit it ("release": untouched)."""
    nb = nbformat.read(RELEASE_NOTEBOOK, as_version=4)
    if variant == "release":
        return nb
    cells = reference_cells()
    if variant == "train-loss-after-update":
        # Record the loss only after the update: move the two lines below the update loop.
        grade_id, old, new = MISTAKES[variant]
        source = cells[grade_id].replace(old, new)
        source = source.replace("            param -= learning_rate * grad\n",
                                "            param -= learning_rate * grad\n\n"
                                "        losses.append(np.mean((net.forward(X) - y) ** 2))\n")
        cells[grade_id] = source
    elif variant != "reference":
        grade_id, old, new = MISTAKES[variant]
        if old not in cells[grade_id]:
            raise ValueError(f"sample variant {variant}: {old!r} is not in the reference {grade_id} cell")
        cells[grade_id] = cells[grade_id].replace(old, new)
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in cells:
            cell.source = cells[grade_id]
    return nb


def write_notebook(nb, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    return path
