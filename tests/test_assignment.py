"""The assignment: source notebook from the seed, release by real nbgrader, solutions derived."""
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.views import fonts
from autograder.assignments.backprop_basics import ASSIGNMENT, rubric
from solutions import build

from .conftest import ROOT

SOURCE = ROOT / "source" / "01_backprop_basics"
RELEASE = ROOT / "assignments" / "01_backprop_basics" / "backprop_basics.ipynb"
SEED = ROOT / "docs" / "seed_01_backprop_basics.txt"
EXERCISE_IDS = ("Sigmoid", "TwoLayerNet", "train_xor")
STUBBED_METHODS = ["Sigmoid.forward", "Sigmoid.backward", "TwoLayerNet.__init__", "TwoLayerNet.forward",
                   "TwoLayerNet.backward", "TwoLayerNet.get_params_and_grads", "train_xor"]

# Seed lines the kit changed on purpose, by seed code cell (0-based among all seed cells), and why.
CHANGED_SEED_LINES = {
    # Output lines in zh-TW, like the rest of the notebook.
    1: {'print("Backpropagation Basics loaded successfully!")'},
    5: {'print(f"∂f/∂x = {df_dx} (should be z = {z})")', 'print(f"∂f/∂y = {df_dy} (should be z = {z})")',
        'print(f"∂f/∂z = {df_dz} (should be q = {q})")'},
    # 純量, not 標量; one relative-error formula everywhere, |a - b| / (|a| + |b| + 1e-8).
    7: {"計算標量函數 f 對 x 的數值梯度（中央差分）", "標量函數",
        'print(f"相對誤差: {abs(df_dx - num_grad_x) / (abs(df_dx) + 1e-8):.2e}")'},
    10: {'print(f"相對誤差: {abs(dw - num_dw) / (abs(dw) + 1e-8):.2e}")',
         'print(f"相對誤差: {abs(db - num_db) / (abs(db) + 1e-8):.2e}")'},
    # sqrt(2 / in_features) is He (Kaiming) initialisation, not Xavier; bias is 偏差, the grader's word (one term
    # per concept between notebook and grader, Taiwan usage).
    12: {"# Xavier 初始化", 'print(f"偏置 b 形狀: {fc.b.shape}")'},
    # The loss is sum(Y^2), not MSE; relative_error() and the named threshold DEMO_GRAD_TOL.
    13: {"# 前向傳播，使用簡單的 MSE loss", "diff = np.abs(layer.dW - num_dW)", "diff = np.abs(layer.db - num_db)",
         "diff = np.abs(dX - num_dX)", "rel_error = np.max(diff / (np.abs(layer.dW) + np.abs(num_dW) + 1e-8))",
         "rel_error = np.max(diff / (np.abs(layer.db) + np.abs(num_db) + 1e-8))",
         "rel_error = np.max(diff / (np.abs(dX) + np.abs(num_dX) + 1e-8))", 'print(f"驗證通過: {rel_error < 1e-5}")'},
    # Exercise 1 became a solution region; the forward is the overflow-free exp(-|x|) form.
    17: {"與輸入相同形狀", "# 解答：", "# 數值穩定的 sigmoid 實作", "# 對於 x < 0: sigmoid = exp(x) / (1 + exp(x))",
         "out = np.where(x >= 0,", "1 / (1 + np.exp(-x)),", "np.exp(x) / (1 + np.exp(x)))",
         "self.cache = out  # 儲存輸出值，不是輸入", "對輸入的梯度",
         'print(f"相對誤差: {np.max(np.abs(dx - num_dx) / (np.abs(dx) + np.abs(num_dx) + 1e-8)):.2e}")'},
    # Exercise 2 became a solution region; the demo names the parameters (fc1.W, ...) instead of 0-based numbers
    # and says which MSE it uses.
    19: {"# 解答：初始化各層", "# 解答：", "# 解答：以相反順序呼叫 backward", "# 假設簡單的 MSE loss",
         "for i, (param, grad) in enumerate(net.get_params_and_grads()):",
         'print(f"  參數 {i}: {param.shape}, 梯度: {grad.shape}")'},
    # The network gradient check returns its largest error, names the parameters, uses DEMO_GRAD_TOL.
    20: {'print("梯度檢驗完成!")', "for idx, (param, grad) in enumerate(params_and_grads):", "if rel_error > 1e-4:",
         'print(f"  參數 {idx}, 位置 {multi_idx}: 解析={analytic_grad:.6f}, 數值={num_grad:.6f}, 誤差={rel_error:.2e} ❌")'},
    # The training loop became train_xor(net, X, y, learning_rate, epochs); 1.0 diverged, 0.3 is used;
    # losses[-1] is the loss before the last update, not the final loss.
    23: {"# 解答：訓練網路解決 XOR", "# 訓練參數", "learning_rate = 1.0", "Y = net.forward(X_xor)",
         "loss = np.mean((Y - y_xor) ** 2)", "dY = 2 * (Y - y_xor) / Y.size", "# 更新參數（SGD）",
         "if epoch % 500 == 0:", 'print(f"Epoch {epoch:4d}, Loss: {loss:.6f}")', 'print(f"\\n最終 Loss: {losses[-1]:.6f}")'},
    # Decision boundary: points coloured from the regions' colour map (class 0 was red on a blue region);
    # zh-TW titles where a Chinese font is installed.
    24: {"# 畫決策邊界", "# 畫資料點", "ax.contourf(xx, yy, Z, levels=50, cmap='RdYlBu_r', alpha=0.7)",
         "ax.set_title('Training Loss')", "ax.set_title('XOR Decision Boundary')",
         "colors = ['red' if y == 0 else 'blue' for y in y_xor.flatten()]"},
}
# Seed cells redrawn as a whole, and the text that shows the new cell draws the same thing.
REDRAWN_SEED_CELLS = {
    # The gradient-flow figure: its labels overlapped the node circles and arrowheads (one drawing
    # function now places them), and the add node's title no longer says the gradient is split evenly.
    15: ["加法節點: 梯度原封不動分配", "乘法節點: 梯度交換", "Max 節點: 梯度只流向最大值", "y·dout", "x·dout"],
}


def seed_cells():
    """The seed text split into (type, source) cells, code cells marked by 'In [None]:'."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    cells, kind, current = [], "markdown", []

    def flush():
        text = "\n".join(current).strip("\n")
        if text.strip():
            cells.append((kind, text))
        current.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "In [None]:":
            flush()
            kind = "code"
        elif kind == "code" and not line.strip():
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j >= len(lines) or re.match(r"#{2,3} ", lines[j]) or lines[j].strip() == "In [None]:":
                flush()
                kind = "markdown"
                i = j
                continue
            current.append(line)
        else:
            current.append(line)
        i += 1
    flush()
    return cells


def code_lines(nb):
    return {line.strip() for cell in nb.cells if cell.cell_type == "code" for line in cell.source.split("\n")}


def test_every_seed_code_line_is_in_the_source_notebook_or_a_documented_change():
    nb = nbformat.read(SOURCE / "backprop_basics.ipynb", as_version=4)
    have = code_lines(nb)
    cells = seed_cells()
    assert sum(kind == "code" for kind, _ in cells) == 15
    source = "\n".join(cell.source for cell in nb.cells)
    for index, (kind, text) in enumerate(cells):
        if kind != "code":
            continue
        if index in REDRAWN_SEED_CELLS:
            assert all(piece in source for piece in REDRAWN_SEED_CELLS[index]), f"seed cell {index}"
            continue
        missing = {line.strip() for line in text.split("\n") if line.strip() and line.strip() not in have}
        expected = CHANGED_SEED_LINES.get(index, set())
        assert missing == expected, (
            f"seed code cell {index} of docs/seed_01_backprop_basics.txt: lines changed in the source notebook "
            f"without a documented reason: {sorted(missing - expected)}; lines listed as changed that are back: "
            f"{sorted(expected - missing)}. A deliberate change: add the line to CHANGED_SEED_LINES[{index}] in "
            "tests/test_assignment.py with why, and to docs/CHANGES.md "
            "(docs/AUTHORING.md, \"Editing a course notebook\")")


def test_seed_markdown_headings_are_in_order():
    nb = nbformat.read(SOURCE / "backprop_basics.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    headings = [line for kind, md in seed_cells() if kind == "markdown" for line in md.split("\n")
                if line.startswith("#")]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)


def test_solution_regions_cover_exactly_the_three_exercises():
    nb = nbformat.read(SOURCE / "backprop_basics.ipynb", as_version=4)
    with_solutions = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells if "### BEGIN SOLUTION" in c.source]
    assert with_solutions == list(EXERCISE_IDS)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta is None and cell.cell_type == "code":
            assert cell.metadata.get("editable") is False and cell.metadata.get("deletable") is False


def test_test_cells_carry_the_rubric_points():
    nb = nbformat.read(SOURCE / "backprop_basics.ipynb", as_version=4)
    points = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
              for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
    assert points == {f"test_{part}": ASSIGNMENT.part_points[part] for part in rubric.PARTS}


def test_solutions_are_generated_from_the_source_notebook():
    assert build.main(["--check"]) == 0


def test_reference_module_defines_the_student_api():
    ref = ASSIGNMENT.reference_module()
    for name in ("FullyConnectedLayer", "Sigmoid", "TwoLayerNet", "train_xor"):
        assert hasattr(ref, name)


def test_source_folder_holds_only_the_notebook():
    # nbgrader copies every other file of the assignment folder into the student release.
    assert sorted(p.name for p in SOURCE.iterdir()) == ["backprop_basics.ipynb"]


def test_release_has_no_solution_code_and_no_hidden_tests():
    release_files = sorted(p.name for p in RELEASE.parent.iterdir())
    assert release_files == ["backprop_basics.ipynb"]
    text = RELEASE.read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "autograder", "grade_part"):
        assert marker not in text
    reference = build.reference_module(nbformat.read(SOURCE / "backprop_basics.ipynb", as_version=4),
                                       SOURCE / "backprop_basics.ipynb")
    release_code = code_lines(nbformat.read(RELEASE, as_version=4))
    for solution_line in ("z = np.exp(-np.abs(x))", "dx = dout * sigmoid_out * (1 - sigmoid_out)",
                          "dh1 = self.sigmoid.backward(dh2)", "param -= learning_rate * grad",
                          "self.fc1 = FullyConnectedLayer(in_features, hidden_features)"):
        assert solution_line in reference
        assert solution_line not in release_code


def test_each_stub_names_what_to_implement():
    nb = nbformat.read(RELEASE, as_version=4)
    stubs = re.findall(r'raise NotImplementedError\("請實作 ([\w.]+)"\)', "\n".join(c.source for c in nb.cells))
    assert stubs == STUBBED_METHODS


@pytest.mark.slow
def test_regenerating_the_release_gives_the_committed_one(tmp_path, nbgrader_env):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (course / ".nbgrader").mkdir()
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "01_backprop_basics",
                    "--log-level=WARN"], cwd=course, env=nbgrader_env, check=True, capture_output=True)
    fresh = nbformat.read(course / "assignments" / "01_backprop_basics" / "backprop_basics.ipynb", as_version=4)
    committed = nbformat.read(RELEASE, as_version=4)
    assert [c.source for c in fresh.cells] == [c.source for c in committed.cells]
    assert [c.metadata for c in fresh.cells] == [c.metadata for c in committed.cells]


def execute(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def text_of(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


@pytest.mark.slow
def test_solved_notebook_runs_headless_and_solves_xor(tmp_path, monkeypatch):
    # Jupyter's own backend, as students have it: the figures become outputs (`make test` exports Agg).
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = execute(ROOT / "solutions" / "01_backprop_basics" / "backprop_basics.ipynb", tmp_path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source[:40] for c in code if errors(c)] == []
    assert [c.source[:40] for c in code if any(o.get("name") == "stderr" for o in c.outputs)] == []
    assert "XOR 準確率: 4/4" in "".join(text_of(c) for c in code)
    assert "".join(text_of(c) for c in code).count("：全部通過 ✓") == 3
    assert "✗" not in "".join(text_of(c) for c in code)
    # The two figures (gradient flow, training), their titles in Traditional Chinese glyphs where installed.
    assert sum("image/png" in o.get("data", {}) for c in code for o in c.outputs) == 2
    traditional = [family for family, _, _ in fonts.candidates() if fonts.TRADITIONAL.search(family)]
    font_line = next(line for c in code for line in text_of(c).splitlines() if line.startswith("中文字型:"))
    assert font_line == f"中文字型: {traditional[0]}" if traditional else font_line.endswith("（圖表標題使用英文）")


@pytest.mark.slow
def test_untouched_release_runs_to_the_end(tmp_path):
    nb = execute(RELEASE, tmp_path)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        found = [e.ename for e in errors(cell)]
        if meta.get("grade"):
            assert found == ["AssertionError"], meta["grade_id"]      # the self-check fails, readably
            assert "還沒實作" in text_of(cell)
        elif meta.get("solution"):
            assert found == []                                         # defining the stubs is fine
        elif "TwoLayerNet(" in cell.source and "net = " in cell.source or "sigmoid.forward(x)" in cell.source:
            assert found == ["NotImplementedError"], cell.source[:60]  # demo cells call the stubs
        else:
            assert found == [], cell.source[:60]                       # every given cell still runs


def _code(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def test_the_notebook_and_the_rubric_agree_on_their_numbers():
    """Numbers the students read in the notebook and numbers the grader uses, set in two places: a
    change to one must be made to the other, and the failure says which and where."""
    code = _code(nbformat.read(SOURCE / "backprop_basics.ipynb", as_version=4))
    # The training cell's learning rate is the one the grader's XOR accuracy runs use.
    taught = {float(x) for x in re.findall(r"^learning_rate = ([0-9.]+)$", code, re.M)}
    graded = {lr for name, (_, lr, _) in rubric.TRAIN_RUNS.items() if name != "short"}
    assert taught == graded, (f"the notebook trains with learning_rate {sorted(taught)}, the grader's accuracy runs "
                              f"(rubric.TRAIN_RUNS) with {sorted(graded)}: change one of them")
    # The self-checks' threshold is the grader's full-marks threshold.
    check_tol = float(re.search(r"^CHECK_TOL = ([0-9e.+-]+)", code, re.M).group(1))
    full_marks = rubric.GRADIENT_TIERS[0][0]
    assert check_tol == rubric.VALUE_REL_TOL == full_marks, (
        f"the notebook's CHECK_TOL is {check_tol:g}, the rubric's VALUE_REL_TOL {rubric.VALUE_REL_TOL:g} and its top "
        f"gradient tier {full_marks:g}: the self-check promises the grader's full-marks threshold, keep them equal")
    # The self-check of exercise 3 names the main run's learning rate and epochs.
    _, lr, epochs = rubric.TRAIN_RUNS["main"]
    assert f"learning_rate = {lr:g}、{epochs} 個 epoch" in code, (
        f"the train_xor self-check should name the grader's main run (lr {lr:g}, {epochs} epochs; rubric.TRAIN_RUNS)")
