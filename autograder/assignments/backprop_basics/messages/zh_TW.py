"""01's words in 繁體中文（台灣）: see ``autograder/messages/zh_TW.py`` for the engine's."""

MESSAGES = {
    # Per-test sentences (checks/: check.say)
    "detail-changed-shape": "train_xor 把 {name} 的形狀改成了 {got}（原本是 {expected}）",
    "detail-not-pairs": "get_params_and_grads 要回傳由 (param, grad) 組成的 list",
    "detail-not-losses": "train_xor 要回傳由 loss 組成的 list（{error}）",
    "values": "{what}：{right}/{total} 個形狀與參考答案相符（最大相對誤差 {error:.1e}，門檻 {tol:g}）",
    "value-case": "  形狀 {shape}：相對誤差 {error:.1e}",
    "extreme-ok": "σ(x) 在 x = ±1000、±50、±3、±0.5、0 都有限且正確",
    "extreme-wrong": "x = {x} 時 σ(x) = {got}，應為 {expected}",
    "extreme-warned": "值正確，但計算時 overflow（{warnings}）：只給 {share:.0%} 分",
    "gradient": ("{what} 梯度檢驗 (gradient check)：{total} 組輸入中 {right} 組在第一級門檻內"
                 "（算出 {measured} 組，與參考答案的最大相對誤差 {error:.1e}，與數值梯度相差 {numerical:.1e}）；"
                 "每組依自己的誤差給分，再取平均 → {share:.0%} 分；門檻：{tiers}"),
    "layer-missing": "None（沒有設定）",
    "gradient-none": "{what} 是 None：backward 之後每一層的 dW、db 都要設定好",
    "structure-ok": "(in, hidden, out) = {dims}：fc1 / sigmoid / fc2 正確",
    "structure-bad": "(in, hidden, out) = {dims}：{problem}",
    "structure-unverified": ("(in, hidden, out) = {dims}：層與形狀看起來對，但用評分程式的參數跑 forward、backward "
                             "都沒有算出正確結果，無法由計算確認結構，這一組不給分"),
    "backward-order": "backward 呼叫各層 backward 的順序是 {calls}",
    "pairs-unverified": ("無法確認 get_params_and_grads：你的 backward 沒有算出正確的梯度，forward 也沒有用更新後的"
                         "參數算出結果（這一項要靠它們的計算結果來驗證）"),
    "layer-wrong": "self.{name} 應為 {cls}，得到 {got}",
    "param-shape": "{name} 的形狀是 {got}，應為 {expected}",
    "pairs-ok": "get_params_and_grads 回傳網路自己的 4 組 (param, grad)，就地更新會改變網路",
    "pairs-count": "應回傳 4 組 (param, grad)，得到 {count} 組",
    "pairs-missing": "少了 {names} 這幾組 (param, grad)",
    "pairs-wrong": "第 {index} 組是 ({got})，應為 ({expected})",
    "pairs-not-updated": "透過回傳的陣列就地更新後，網路的 {name} 沒有改變",
    "losses-count": "epochs = {epochs} 時回傳了 {count} 個 loss，應為 {epochs} 個",
    "losses-first": "losses[0] = {got:.6g}，但第一次更新之前的損失是 {expected:.6g}",
    "losses-match": "損失曲線與參考答案相符（{epochs} 個 epoch，最大相對誤差 {error:.1e}）",
    "losses-differ": "損失曲線從第 {index} 個 epoch 開始與參考答案不同（{got:.6g} ≠ {expected:.6g}）",
    "params-match": "訓練後的參數與參考答案相符（最大相對誤差 {error:.1e}）",
    "params-differ": "訓練後的參數與參考答案不同（{name} 的最大相對誤差 {error:.1e}，門檻 {tol:g}）",
    "params-unchanged": "訓練後參數完全沒變",
    "honours-epochs": "loss 的數量：{detail}",
    "ok": "正確",
    "differs": "與參考答案不同",
    "step-factor": "兩次訓練的參數都和「步伐 {factor:g} 倍」的梯度下降一致",
    "accuracy-untrained": ("但這組參數不是在 XOR 上做梯度下降訓練出來的（和參考答案的訓練、或常見寫法的訓練結果都對"
                           "不上），這次不算訓練出來的"),
    "accuracy": "{run}：XOR 答對 {correct}/4（參考答案 4/4）",
    "run-name": "初始化 seed {seed}、learning_rate {lr:g}、{epochs} 個 epoch",
    "losses-unreadable": ("train_xor 回傳的 losses 不是一串數字（{error}）：每個 loss 要是一個純量，例如 "
                          "float(np.mean(...))；訓練後的參數在其他項目照樣評分"),
    "losses-none": "train_xor 回傳了 None，沒有 loss 可以比對（訓練後的參數在其他項目照樣評分）",
    "losses-unverified": ("losses[0] 是對的，但這次訓練（{run}）之後的參數和損失都對不上梯度下降的結果，無法確認有"
                          "訓練，所以第一個 loss 和 loss 數量這兩部分不給分"),
    "honours-training": "learning_rate = {lr:g}、epochs = {epochs} 訓練後的參數：{detail}",
    "honours-epochs-unverified": ("loss 的數量：{detail}，數量對，但這些值和訓練過程對不上（不是每個 epoch 真正算出"
                                  "的 loss），這一半不給分"),
    "graded-parts": "各部分分數：{parts}",
    # The feedback figure (plots.py)
    "plot.caption": "train_xor：損失曲線與決策邊界",
    "plot.loss": "訓練損失 (loss)：你的 train_xor 與參考答案",
    "plot.boundary": "你的 train_xor 學到的 XOR 決策邊界",
    "plot.yours": "你的",
    "plot.reference": "參考答案",
    "plot.output": "網路輸出",
    "plot.class": "y = {label} 的資料點",
    "plot.not-finite": "從 losses[{index}] 起是 {value}",
    "plot.no-boundary": "訓練後的參數含有 nan 或 inf，\n畫不出決策邊界",
    "plot.note.shape": "{name} 的形狀是 {got}，應為 {expected}（2-8-1 的 XOR 網路）",
}

# Hints: the id goes into a failing test's tags.
HINTS = {
    "sigmoid-ignores-dout": ("你的 dx 看起來沒有乘上上游梯度 dout。連鎖律：dx = dout × σ'(x)，σ'(x) = σ(x)(1 − "
                             "σ(x))。"),
    "sigmoid-derivative-uses-input": ("你的 dx 像是用輸入 x 算 x(1 − x)；導數公式 σ(x)(1 − σ(x)) 要用的是 forward "
                                      "的輸出 σ(x)。檢查 cache 存的是什麼。"),
    "sigmoid-derivative-incomplete": "你的 dx 像是 dout × σ(x)，少了 (1 − σ(x)) 這個因子：σ'(x) = σ(x)(1 − σ(x))。",
    "sigmoid-forward-negated": ("forward 算出來的是 σ(−x) = 1 − σ(x)：檢查 exp 的正負號，或 np.where 的兩個分支是否"
                                "對調了。"),
    "sigmoid-wrong-shape": ("backward 回傳的形狀和 dout 不同：sigmoid 是逐元素 (element-wise) 運算，不需要對任何軸"
                            "加總。"),
    "sigmoid-unstable": ("x 很大或很小時出現 overflow／nan：1 / (1 + e^(−x)) 在 x = −1000 時 e^1000 會溢位。只對 "
                         "−|x| 取指數（e^(−|x|) ≤ 1），再分 x ≥ 0 和 x < 0 兩種寫法。"),
    "net-backward-skips-sigmoid": ("梯度像是直接從 fc2 傳到 fc1，跳過了 sigmoid 的反向傳播：中間要經過 "
                                   "self.sigmoid.backward。"),
    "net-backward-wrong-order": ("反向傳播要以前向的相反順序呼叫各層：fc2 → sigmoid → fc1，每一層的輸出梯度是下一層"
                                 "的上游梯度。"),
    "net-backward-returns-none": "backward 沒有回傳 dX：最後一層 (fc1) backward 的結果要 return。",
    "net-forward-skips-sigmoid": ("forward 的輸出像是沒經過 sigmoid：FC1 → Sigmoid → FC2，中間的非線性不能少（少了"
                                  "它就學不會 XOR）。"),
    "net-forward-skips-fc2": ("forward 的輸出像是 sigmoid 之後就結束了，沒有經過 fc2：FC1 → Sigmoid → FC2，最後一層"
                              "要回傳 fc2 的輸出。"),
    "net-hidden-size-hardcoded": "隱藏層大小只有在 8 時正確：請用參數 hidden_features，不要寫死。",
    "net-bias-grad-shape": ("db 的形狀要和 b 一樣（輸出維度的一維陣列）：對樣本那一維 (axis=0) 加總，不要加總 "
                            "axis=1，也不要 keepdims。"),
    "net-params-copies": ("get_params_and_grads 回傳的是副本：訓練時 param -= lr * grad 改的是副本，網路不會變。回"
                          "傳網路自己的陣列（不要 .copy()）。"),
    "net-params-order": "每一組 (param, grad) 都配對正確，但順序要照文件：fc1.W、fc1.b、fc2.W、fc2.b。",
    "net-params-mismatched": ("(param, grad) 配對不對：每個參數要和它自己的梯度配對，順序是 fc1.W、fc1.b、fc2.W、"
                              "fc2.b。"),
    "train-rebinds-param": ("參數完全沒有更新：param = param − lr * grad 只是讓區域變數指向新陣列；要就地更新 "
                            "param -= lr * grad。"),
    "train-ascends": "損失越來越大：梯度下降要沿著梯度的反方向走（減去 lr * grad，不是加上）。",
    "train-no-backward": "每個 epoch 都要先呼叫 net.backward(dY) 算出梯度，再更新參數。",
    "train-grad-none": ("更新參數時 grad 還是 None：梯度要由 net.backward(dY) 算出來。每個 epoch 先 backward，再用 "
                        "backward 之後的 net.get_params_and_grads() 更新（backward 會建立新的梯度陣列，之前拿到的是"
                        "舊的）。"),
    "train-step-scale": ("每一步的大小和參考答案差了固定的倍數：檢查 dY = 2 * (Y − y) / Y.size 的係數，以及 "
                         "learning_rate 怎麼用。"),
    "train-loss-summed": "losses 像是誤差平方的總和，不是平均：MSE 是 np.mean((Y − y) ** 2)。",
    "train-no-mean": "步伐像是大了 Y.size 倍：MSE 是平均，dY = 2 * (Y − y) / Y.size。",
    "train-loss-after-update": ("losses 像是在更新之後才記錄：losses[i] 應是第 i 次更新之前的損失（先 forward、記"
                                "錄 loss，再 backward 和更新）。"),
    "train-ignores-lr": "learning_rate 像是沒有用到（寫死了某個學習率）：更新時要用參數 learning_rate。",
    "train-ignores-epochs": "回傳的 loss 數量和 epochs 無關（寫死了次數？）：迴圈要跑 range(epochs)。",
    "train-off-by-one": "loss 的數量差了一個：range(epochs) 剛好跑 epochs 次，每次記錄一個 loss。",
    "train-no-return": "train_xor 沒有回傳 losses（回傳了 None）：迴圈結束後要 return losses。",
    "train-returns-no-losses": "回傳的 losses 是空的：每個 epoch 都要把那一步的 loss append 進 losses。",
    "train-trains-copy": ("傳進來的 net 參數完全沒變，但回傳的 losses 有變化：你訓練的是另一個網路（例如 "
                          "copy.deepcopy(net) 的副本），要直接更新傳進來的 net。"),
    "train-one-sample-per-epoch": ("每個 epoch 只用了一筆資料更新（輪流用 4 筆中的一筆）：這個練習要全批次 (full "
                                   "batch)，每個 epoch 用全部 4 筆資料算一次梯度。"),
    "train-one-sample-sgd": ("像是一次用一筆資料更新 (SGD)：這個練習要全批次 (full batch)，每一步用全部 4 筆資料算"
                             "一次梯度。"),
}
