"""The notebook's own figures, drawn by its cells: the gradient-flow figure's labels are clear of the
node circles and the arrows, and the XOR decision boundary colours each point like its region."""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from . import notebook_cells as nc  # noqa: E402


def figures_of(marker, upto_marker=None):
    """Run the solved notebook's code cells up to the one containing ``marker`` and return the figures that
    cell shows (``plt.show`` is intercepted; the other cells' figures are closed)."""
    shown = []
    cells = nc.solved_cells()
    index = next(i for i, (_, source) in enumerate(cells) if marker in source)
    before = [(gid, src) for gid, src in cells[:index] if "plt." not in src or "圖表字型設定" in src]
    namespace, _ = nc.run(before, skip=("epochs = 5000",) if upto_marker is None else ())
    namespace["plt"].show = lambda *a, **k: shown.append(plt.gcf())
    try:
        exec(compile(cells[index][1], "<figure cell>", "exec"), namespace)
    finally:
        namespace["plt"].show = plt.show.__wrapped__ if hasattr(plt.show, "__wrapped__") else plt.show
    return shown, namespace


def test_gradient_flow_labels_are_clear_of_circles_and_arrows():
    [fig], _ = figures_of("draw_gate(axes[0]")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert len(fig.axes) == 3
    for ax in fig.axes:
        circles = [p for p in ax.patches if isinstance(p, Circle)]
        arrows = [t.arrow_patch for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
        labels = [t for t in ax.texts if t.get_text() and getattr(t, "arrow_patch", None) is None]
        assert len(circles) == 1 and len(arrows) == 6 and len(labels) == 7   # symbol, x, y, f, three gradients
        circle = circles[0].get_transform().transform_path(circles[0].get_path())
        for label in labels:
            box = label.get_window_extent(renderer)
            if label.get_position() == tuple(circles[0].center):          # the operation's symbol, inside
                assert all(circle.contains_point(corner) for corner in box.corners())
                continue
            assert not circle.intersects_bbox(box, filled=True), label.get_text()
            for arrow in arrows:
                assert not arrow.get_path().intersects_bbox(box, filled=False), (label.get_text(), ax.get_title())
        for arrow in arrows:   # arrowheads stop short of the circle
            assert not arrow.get_path().intersects_path(circle, filled=False), ax.get_title()
    plt.close(fig)


@pytest.mark.slow
def test_decision_boundary_points_have_the_colour_of_their_region():
    [fig], namespace = figures_of("# 視覺化訓練過程", upto_marker=True)
    loss_ax, ax = fig.axes[:2]
    [region] = [c for c in ax.collections if hasattr(c, "levels") and len(c.levels) > 2]
    [points] = [c for c in ax.collections if c.get_offsets().shape == (4, 2)]
    outputs = namespace["net"].forward(namespace["X_xor"])[:, 0]
    targets = namespace["y_xor"][:, 0]
    for xy, colour, output, target in zip(points.get_offsets(), points.get_facecolors(), outputs, targets):
        assert np.linalg.norm(np.subtract(colour[:3], region.to_rgba(np.clip(output, 0, 1))[:3])) < 0.15
        assert np.linalg.norm(np.subtract(colour[:3], region.to_rgba(1 - target)[:3])) > 0.5
    plt.close(fig)
