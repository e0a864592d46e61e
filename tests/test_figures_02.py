"""02's decision-region figures, in the notebook and in the feedback: one palette
(autograder/assignments/layers/notebook.py), and a class's region is drawn in its points' colour. Real
matplotlib: the figures are rendered and their pixels read back."""
import ast

import matplotlib
import nbformat
import numpy as np
import pytest
from matplotlib.colors import to_rgb

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from autograder.assignments.layers import notebook, plots, reference  # noqa: E402

from .conftest import ROOT  # noqa: E402

SOLVED = ROOT / "solutions" / "02_layers" / "layers.ipynb"


def region_colour(colour):
    """The RGB a region of ``colour`` has on the white axes: the colour drawn at REGION_ALPHA over white."""
    return notebook.REGION_ALPHA * np.array(to_rgb(colour)) + (1 - notebook.REGION_ALPHA) * np.ones(3)


def pixel(fig, ax, xy):
    """The RGB rendered at data point ``xy`` of ``ax``."""
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[:, :, :3] / 255
    x, y = ax.transData.transform(xy)
    return pixels[int(round(fig.bbox.height - y)), int(round(x))]


def constant_network(label):
    """2-64-3 parameters whose prediction is ``label`` everywhere."""
    W1, b1, W2, b2 = (np.zeros(shape) for shape in plots.PARAM_SHAPES)
    b2[label] = 1.0
    return [W1, b1, W2, b2]


@pytest.mark.parametrize("label", range(3))
def test_the_feedback_figure_draws_a_region_in_its_points_colour(label):
    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    try:
        plots.draw_regions(ax, constant_network(label), "en")
        colour = notebook.CLASS_PALETTE[label]
        # A corner of the plane no spiral point reaches (radius ≤ 1): the region alone.
        assert np.abs(pixel(fig, ax, (-1.15, 1.15)) - region_colour(colour)).max() < 2 / 255
        points = [c for c in ax.collections if c.get_offsets().shape[0] == 100]
        assert [to_rgb(c.get_facecolor()[0]) for c in points] == [to_rgb(c) for c in notebook.CLASS_PALETTE]
        handles = ax.get_legend().legend_handles
        assert [to_rgb(h.get_facecolor()[0]) for h in handles] == [to_rgb(c) for c in notebook.CLASS_PALETTE]
    finally:
        plt.close(fig)


def notebook_cells():
    nb = nbformat.read(SOLVED, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def notebook_plotting(namespace):
    """The notebook's palette lines and plot_decision_regions, run as the notebook runs them."""
    cells = notebook_cells()
    [palette_cell] = [c for c in cells if "CLASS_PALETTE = " in c]
    palette = "\n".join(line for line in palette_cell.split("\n")
                        if line.startswith(("CLASS_PALETTE = ", "REGION_ALPHA = ", "CLASS_COLORS = ", "CLASS_NORM = ")))
    [figure_cell] = [c for c in cells if "def plot_decision_regions" in c]
    [function] = [node for node in ast.parse(figure_cell).body if isinstance(node, ast.FunctionDef)]
    exec("import numpy as np\nfrom matplotlib.colors import BoundaryNorm, ListedColormap\n" + palette, namespace)
    exec(ast.get_source_segment(figure_cell, function), namespace)
    return namespace


class Constant:
    def __init__(self, label):
        self.label = label

    def predict(self, X):
        return np.full(len(X), self.label)


@pytest.mark.parametrize("label", range(3))
def test_the_notebooks_decision_regions_have_their_points_colour(label):
    ns = notebook_plotting({})
    assert tuple(ns["CLASS_PALETTE"]) == notebook.CLASS_PALETTE and ns["REGION_ALPHA"] == notebook.REGION_ALPHA
    X, y = reference.spiral()
    fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
    try:
        ns["plot_decision_regions"](Constant(label), X, y, ax, "regions")
        x_min, y_max = X[:, 0].min() - 0.2, X[:, 1].max() + 0.2
        assert np.abs(pixel(fig, ax, (x_min + 0.05, y_max - 0.05)) - region_colour(ns["CLASS_PALETTE"][label])).max() < 2 / 255
        [points] = [c for c in ax.collections if c.get_offsets().shape[0] == len(X)]
        faces = points.get_facecolors()
        for k, colour in enumerate(notebook.CLASS_PALETTE):
            assert np.allclose(faces[y == k][:, :3], to_rgb(colour))
    finally:
        plt.close(fig)
