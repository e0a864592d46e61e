"""Every ✗ a self-check prints is true about the student's code: realistic wrong versions of each
exercise, run through the notebook's own cells, and the first ✗ line of each self-check is asserted.

A later exercise whose check fails because an earlier exercise is wrong says so first. The cells run
in this process (``tests/notebook_cells.py``): the plotting cells and the 5000-epoch demo are left out."""
import re

import pytest

from . import notebook_cells as nc

SKIP = ("plt.", "epochs = 5000")
FIRST_CHECK = {"Sigmoid": "test_Sigmoid", "TwoLayerNet": "test_TwoLayerNet", "train_xor": "test_train_xor"}

# Text of the reference solution cells that the wrong versions change.
SIGMOID_FORWARD = "z = np.exp(-np.abs(x))\n        out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))"
SIGMOID_DX = "dx = dout * sigmoid_out * (1 - sigmoid_out)"
NET_BACKWARD = "dh2 = self.fc2.backward(dout)\n        dh1 = self.sigmoid.backward(dh2)\n        dX = self.fc1.backward(dh1)"
HAND_WRITTEN_FC2 = ("h2 = self.fc2.cache\n        self.fc2.dW = {dW}\n        self.fc2.db = {db}\n"
                    "        dh2 = dout @ self.fc2.W.T\n        dh1 = self.sigmoid.backward(dh2)\n        dX = self.fc1.backward(dh1)")
TRAIN_UPDATE = "param -= learning_rate * grad"
TRAIN_BACKWARD_THEN_UPDATE = ("        # 反向傳播\n        net.backward(dY)\n\n        # 更新參數（梯度下降，就地更新）\n"
                              "        for param, grad in net.get_params_and_grads():\n            param -= learning_rate * grad\n")
SIGMOID_IGNORES_DOUT = ("Sigmoid", SIGMOID_DX, "dx = sigmoid_out * (1 - sigmoid_out)")
NET_PARAMS_COPIES = ("TwoLayerNet", "(self.fc1.W, self.fc1.dW)", "(self.fc1.W.copy(), self.fc1.dW)")

# name: (changes [(exercise, old, new)], part whose self-check is read, first ✗ description, phrases in that line)
WRONG = {
    # ---- exercise 1: Sigmoid
    "sigmoid-ignores-dout": ([SIGMOID_IGNORES_DOUT], "Sigmoid", "backward 通過梯度檢驗（隨機上游梯度）",
                             ["最大相對誤差", "你的 dx 剛好等於 σ'(x) = σ(x)(1 − σ(x))，沒有乘上 dout"]),
    "sigmoid-derivative-uses-input": ([("Sigmoid", "self.cache = out", "self.cache = x")], "Sigmoid",
                                      "backward 通過梯度檢驗（隨機上游梯度）", ["要用 σ(x)，不是輸入 x"]),
    "sigmoid-missing-one-minus": ([("Sigmoid", SIGMOID_DX, "dx = dout * sigmoid_out")], "Sigmoid",
                                  "backward 通過梯度檢驗（隨機上游梯度）", ["dout · σ(x)：少了 (1 − σ(x))"]),
    "sigmoid-backward-sign": ([("Sigmoid", SIGMOID_DX, "dx = -dout * sigmoid_out * (1 - sigmoid_out)")], "Sigmoid",
                              "backward 通過梯度檢驗（隨機上游梯度）", ["正負號相反"]),
    "sigmoid-sigmoid-of-cache": ([("Sigmoid", "sigmoid_out = self.cache", "sigmoid_out = 1 / (1 + np.exp(-self.cache))")],
                                 "Sigmoid", "backward 通過梯度檢驗（隨機上游梯度）",
                                 ["dx 和數值梯度 (中央差分) 的最大相對誤差", "（門檻 1e-07）", "差最多的是 dx["]),
    "sigmoid-unstable": ([("Sigmoid", SIGMOID_FORWARD, "out = 1 / (1 + np.exp(-x))")], "Sigmoid",
                         "forward 在 x = ±1000 時數值穩定", ["overflow", "只對 -|x| 取 exp"]),
    "sigmoid-flattens": ([("Sigmoid", "        return out\n", "        return out.ravel()\n")], "Sigmoid",
                         "forward 輸出形狀與輸入相同", ["forward 回傳的形狀是 (12,)，應該和輸入 x 一樣是 (3, 4)"]),
    "sigmoid-forward-returns-none": ([("Sigmoid", "        return out\n", "")], "Sigmoid",
                                     "forward 輸出形狀與輸入相同", ["forward 回傳了 None"]),
    "sigmoid-mirrored": ([("Sigmoid", "np.where(x >= 0, 1 / (1 + z), z / (1 + z))", "np.where(x >= 0, z / (1 + z), 1 / (1 + z))")],
                         "Sigmoid", "forward 的值正確",
                         ["forward(x) 和 σ(x) = 1 / (1 + e^(-x)) 的最大相對誤差 1.0e+00", "forward(x)[0]：得到 0.997527，應為 0.00247262"]),
    "sigmoid-backward-returns-none": ([("Sigmoid", "\n        return dx", "")], "Sigmoid",
                                      "backward 通過梯度檢驗（隨機上游梯度）", ["backward 回傳了 None"]),
    "sigmoid-backward-in-place": ([("Sigmoid", SIGMOID_DX + "\n        return dx",
                                    "dout *= sigmoid_out * (1 - sigmoid_out)\n        return dout")], "Sigmoid",
                                  "forward / backward 不改寫傳進來的 x、dout", ["backward 改寫了傳進來的 dout"]),
    "sigmoid-forward-in-place": ([("Sigmoid", SIGMOID_FORWARD,
                                   "negative = x < 0\n        x[negative] = -x[negative]  # 就地取絕對值，省記憶體\n"
                                   "        z = np.exp(-x)\n        out = np.where(negative, z / (1 + z), 1 / (1 + z))")],
                                 "Sigmoid", "forward / backward 不改寫傳進來的 x、dout", ["forward 改寫了傳進來的 x"]),
    # ---- exercise 2: TwoLayerNet
    "net-backward-skips-sigmoid": ([("TwoLayerNet", "dh1 = self.sigmoid.backward(dh2)", "dh1 = dh2")], "TwoLayerNet",
                                   "整個網路通過梯度檢驗（dX 與四個參數的梯度）",
                                   ["fc2.dW", "✓", "fc2 的梯度正確、fc1 的不對", "你的 fc1.dW 剛好等於沒有經過 sigmoid.backward 時的值"]),
    "net-forward-skips-sigmoid": ([("TwoLayerNet", "h2 = self.sigmoid.forward(h1)", "h2 = h1")], "TwoLayerNet",
                                  "forward 的值正確", ["你的輸出剛好等於 fc2(fc1(X))：沒有經過 sigmoid"]),
    "net-skips-sigmoid-both-ways": ([("TwoLayerNet", "h2 = self.sigmoid.forward(h1)", "h2 = h1"),
                                     ("TwoLayerNet", "dh1 = self.sigmoid.backward(dh2)", "dh1 = dh2")], "TwoLayerNet",
                                    "forward 的值正確", ["沒有經過 sigmoid"]),
    "net-hidden-size-hardcoded": ([("TwoLayerNet", "FullyConnectedLayer(in_features, hidden_features)", "FullyConnectedLayer(in_features, 8)"),
                                   ("TwoLayerNet", "FullyConnectedLayer(hidden_features, out_features)", "FullyConnectedLayer(8, out_features)")],
                                  "TwoLayerNet", "fc1 / sigmoid / fc2 的結構與大小", ["fc1.W 形狀是 (3, 8)，應為 (3, 5)"]),
    "net-params-copies": ([NET_PARAMS_COPIES], "TwoLayerNet", "get_params_and_grads 回傳網路自己的陣列",
                          ["第 1 組的 param 和 net.fc1.W 的值相同，但不是同一個陣列（是副本）"]),
    "net-params-order": ([("TwoLayerNet", "(self.fc1.W, self.fc1.dW),\n            (self.fc1.b, self.fc1.db),",
                           "(self.fc1.b, self.fc1.db),\n            (self.fc1.W, self.fc1.dW),")], "TwoLayerNet",
                         "get_params_and_grads 回傳網路自己的陣列", ["第 1 組的 param 是 net.fc1.b，應為 net.fc1.W"]),
    "net-backward-returns-none": ([("TwoLayerNet", "        return dX\n", "")], "TwoLayerNet",
                                  "backward 回傳 dX，不改寫 dout", ["backward 回傳了 None"]),
    "net-backward-wrong-order": ([("TwoLayerNet", NET_BACKWARD, "dh1 = self.fc1.backward(dout)\n        dh2 = self.sigmoid.backward(dh1)\n"
                                   "        dX = self.fc2.backward(dh2)")], "TwoLayerNet", "backward 回傳 dX，不改寫 dout",
                                 ["執行時發生 ValueError", "（在 backward 的這一行：dh1 = self.fc1.backward(dout)）"]),
    "net-hand-written-missing-transpose": ([("TwoLayerNet", NET_BACKWARD, HAND_WRITTEN_FC2.format(dW="dout.T @ h2", db="np.sum(dout, axis=0)"))],
                                           "TwoLayerNet", "整個網路通過梯度檢驗（dX 與四個參數的梯度）",
                                           ["fc2.dW 的形狀是 (2, 5)，應為 (5, 2)", "最先不對的是 fc2 的梯度"]),
    "net-hand-written-db-wrong-axis": ([("TwoLayerNet", NET_BACKWARD, HAND_WRITTEN_FC2.format(dW="h2.T @ dout", db="np.sum(dout, axis=1)"))],
                                       "TwoLayerNet", "整個網路通過梯度檢驗（dX 與四個參數的梯度）",
                                       ["fc2.db 的形狀是 (4,)，應為 (2,)"]),
    "net-skips-fc2-backward": ([("TwoLayerNet", "dh2 = self.fc2.backward(dout)", "dh2 = dout @ self.fc2.W.T")], "TwoLayerNet",
                               "整個網路通過梯度檢驗（dX 與四個參數的梯度）", ["fc2.dW 是 None（backward 之後還沒被設定）", "self.fc2.backward 有沒有被呼叫"]),
    "net-forward-in-place": ([("TwoLayerNet", "h1 = self.fc1.forward(X)", "X -= X.mean(axis=0)  # 先把輸入置中\n        h1 = self.fc1.forward(X)")],
                             "TwoLayerNet", "forward 的值正確", ["forward 改寫了傳進來的 X"]),
    "net-with-wrong-sigmoid": ([SIGMOID_IGNORES_DOUT], "TwoLayerNet", "練習 1 的 Sigmoid 通過自我檢查",
                               ["練習 1 的 Sigmoid 還沒通過（「backward 通過梯度檢驗（隨機上游梯度）」沒通過）",
                                "這一格用到你的 Sigmoid"]),
    "net-with-unstable-sigmoid": ([("Sigmoid", SIGMOID_FORWARD, "out = 1 / (1 + np.exp(-x))")], "TwoLayerNet",
                                  "練習 1 的 Sigmoid 通過自我檢查", ["「forward 在 x = ±1000 時數值穩定」沒通過"]),
    # ---- exercise 3: train_xor
    "train-rebinds-param": ([("train_xor", TRAIN_UPDATE, "param = param - learning_rate * grad")], "train_xor",
                            "一次更新 = 就地減去 learning_rate × 梯度", ["1 個 epoch 之後，傳進來的 net 的參數完全沒有改變"]),
    "train-ascends": ([("train_xor", TRAIN_UPDATE, "param += learning_rate * grad")], "train_xor",
                      "一次更新 = 就地減去 learning_rate × 梯度", ["參數往梯度的方向移動了", "要沿著梯度的反方向更新"]),
    "train-no-mean": ([("train_xor", "loss = np.mean((Y - y) ** 2)", "loss = np.sum((Y - y) ** 2)"),
                       ("train_xor", "dY = 2 * (Y - y) / Y.size", "dY = 2 * (Y - y)")], "train_xor",
                      "losses[0] 是訓練前的損失", ["剛好是它的 4 倍（= Y.size）：MSE 要對全部元素取平均"]),
    "train-dY-not-divided": ([("train_xor", "dY = 2 * (Y - y) / Y.size", "dY = 2 * (Y - y)")], "train_xor",
                             "一次更新 = 就地減去 learning_rate × 梯度", ["剛好是 −learning_rate × 梯度 的 4 倍（= Y.size"]),
    "train-update-before-backward": ([("train_xor", TRAIN_BACKWARD_THEN_UPDATE,
                                       "        for param, grad in net.get_params_and_grads():\n"
                                       "            param -= learning_rate * grad\n        net.backward(dY)\n")],
                                     "train_xor", "回傳 epochs 個 loss",
                                     ["執行時發生 TypeError", "（在 train_xor 的這一行：param -= learning_rate * grad）", "這個網路還沒做過 backward"]),
    "train-stale-gradients-guarded": ([("train_xor", TRAIN_BACKWARD_THEN_UPDATE,
                                        "        for param, grad in net.get_params_and_grads():\n"
                                        "            if grad is not None:\n                param -= learning_rate * grad\n"
                                        "        net.backward(dY)\n")],
                                      "train_xor", "一次更新 = 就地減去 learning_rate × 梯度", ["傳進來的 net 的參數完全沒有改變"]),
    "train-loss-after-update": ([("train_xor", "        loss = np.mean((Y - y) ** 2)\n        losses.append(loss)\n", ""),
                                 ("train_xor", "            param -= learning_rate * grad\n",
                                  "            param -= learning_rate * grad\n        losses.append(np.mean((net.forward(X) - y) ** 2))\n")],
                                "train_xor", "losses[0] 是訓練前的損失", ["losses[0] 剛好等於第一次更新之後的 MSE：要先記錄 loss，再更新參數"]),
    "train-off-by-one": ([("train_xor", "range(epochs)", "range(epochs + 1)")], "train_xor", "回傳 epochs 個 loss",
                         ["epochs = 3 時 train_xor 回傳了 4 個 loss，應為 3 個"]),
    "train-ignores-lr": ([("train_xor", TRAIN_UPDATE, "param -= 0.3 * grad")], "train_xor",
                         "一次更新 = 就地減去 learning_rate × 梯度", ["的 3 倍：檢查 dY 的公式和 learning_rate 的用法"]),
    "train-no-backward": ([("train_xor", "        net.backward(dY)\n", "")], "train_xor", "回傳 epochs 個 loss",
                          ["執行時發生 TypeError", "param -= learning_rate * grad", "都是 None"]),
    "train-one-sample-sgd": ([("train_xor", "        Y = net.forward(X)\n", "        Y = net.forward(X)\n        i = epoch % len(X)\n"),
                              ("train_xor", "        dY = 2 * (Y - y) / Y.size\n",
                               "        Y = net.forward(X[i:i + 1])\n        dY = 2 * (Y - y[i:i + 1]) / Y.size\n")],
                             "train_xor", "一次更新 = 就地減去 learning_rate × 梯度",
                             ["最大相對誤差", "檢查每一步是否用全部 4 筆資料做 forward"]),
    "train-returns-none": ([("train_xor", "    return losses", "")], "train_xor", "回傳 epochs 個 loss",
                           ["train_xor 回傳了 None"]),
    "train-trains-a-copy": ([("train_xor", "def train_xor(", "import copy\n\n\ndef train_xor("),
                             ("train_xor", "    losses = []\n", "    net = copy.deepcopy(net)\n    losses = []\n")],
                            "train_xor", "一次更新 = 就地減去 learning_rate × 梯度", ["傳進來的 net 的參數完全沒有改變"]),
    "train-decays-lr": ([("train_xor", TRAIN_UPDATE, TRAIN_UPDATE + "\n        learning_rate *= 0.9")], "train_xor",
                        "epochs 個 epoch 就是重複 epochs 次同樣的一步", ["losses 不同", "每個 epoch 應該做一樣的一步"]),
    "train-with-wrong-sigmoid": ([SIGMOID_IGNORES_DOUT], "train_xor", "練習 1 的 Sigmoid 通過自我檢查",
                                 ["練習 1 的 Sigmoid 還沒通過", "這一格用到你的 Sigmoid"]),
    "train-with-net-copies": ([NET_PARAMS_COPIES], "train_xor", "練習 2 的 TwoLayerNet 通過自我檢查",
                              ["練習 2 的 TwoLayerNet 還沒通過（「get_params_and_grads 回傳網路自己的陣列」沒通過）"]),
}


def first_cross(text):
    lines = [line for line in text.splitlines() if line.startswith("✗ ")]
    return lines[0] if lines else None


def run_variant(changes):
    cells = nc.solved_cells()
    for grade_id, old, new in changes:
        cells = nc.with_exercise(cells, grade_id, old, new)
    return nc.run(cells, skip=SKIP)[1]


def test_each_exercise_has_at_least_eight_wrong_versions():
    per_part = {}
    for changes, part, _, _ in WRONG.values():
        if {grade_id for grade_id, _, _ in changes} == {part}:   # a mistake in that exercise itself
            per_part[part] = per_part.get(part, 0) + 1
    assert per_part == {"Sigmoid": 12, "TwoLayerNet": 12, "train_xor": 14}


@pytest.mark.parametrize("variant", WRONG)
def test_the_first_cross_is_the_true_one(variant):
    changes, part, description, phrases = WRONG[variant]
    text, error = run_variant(changes)[FIRST_CHECK[part]]
    assert isinstance(error, AssertionError), text
    line = first_cross(text)
    assert line is not None and line.startswith(f"✗ {description}："), text
    missing = [p for p in phrases if p not in line]
    assert not missing, f"{missing} not in: {line}"


@pytest.mark.parametrize("variant", [v for v, (changes, *_) in WRONG.items() if len({c[0] for c in changes}) == 1])
def test_a_mistake_fails_only_its_own_exercise_and_the_ones_after_it(variant):
    changes, part, _, _ = WRONG[variant]
    wrong_part = changes[0][0]
    outputs = run_variant(changes)
    order = list(FIRST_CHECK)
    for other in order:
        text, error = outputs[FIRST_CHECK[other]]
        if order.index(other) < order.index(wrong_part):
            assert error is None and "全部通過 ✓" in text, (other, text)
        else:
            assert isinstance(error, AssertionError), (other, text)
        if order.index(other) > order.index(wrong_part):   # says that the earlier exercise is the reason, first
            earlier = {"Sigmoid": "練習 1 的 Sigmoid", "TwoLayerNet": "練習 2 的 TwoLayerNet"}[wrong_part]
            assert first_cross(text).startswith(f"✗ {earlier} 通過自我檢查："), text


def test_the_reference_passes_every_self_check_and_prints_no_cross():
    outputs = nc.run(nc.solved_cells(), skip=SKIP)[1]
    for check in FIRST_CHECK.values():
        text, error = outputs[check]
        assert error is None and "✗" not in text and re.search(r"：全部通過 ✓$", text.strip()), text


def test_the_untouched_release_says_what_is_not_implemented_yet():
    cells = [(gid, src) for gid, src in nc.solved_cells()]
    stubs = {"Sigmoid": "請實作 Sigmoid.forward", "TwoLayerNet": "請實作 TwoLayerNet.__init__", "train_xor": "請實作 train_xor"}
    # The release's exercise cells, as nbgrader made them.
    import nbformat
    release = nbformat.read(nc.SOURCE_NOTEBOOK.parents[2] / "assignments" / "01_backprop_basics" / "backprop_basics.ipynb", as_version=4)
    stub_cells = {c.metadata["nbgrader"]["grade_id"]: c.source for c in release.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") in stubs}
    cells = [(gid, stub_cells.get(gid, src)) for gid, src in cells]
    outputs = nc.run(cells, skip=SKIP)[1]
    assert first_cross(outputs["test_Sigmoid"][0]) == "✗ forward 輸出形狀與輸入相同：還沒實作（請實作 Sigmoid.forward）"
    assert first_cross(outputs["test_TwoLayerNet"][0]).startswith(
        "✗ 練習 1 的 Sigmoid 通過自我檢查：練習 1 的 Sigmoid 還沒實作（請實作 Sigmoid.forward）")
    assert first_cross(outputs["test_train_xor"][0]).startswith("✗ 練習 1 的 Sigmoid 通過自我檢查：練習 1 的 Sigmoid 還沒實作")
