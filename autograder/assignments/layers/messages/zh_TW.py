"""02's words in 繁體中文（台灣）: see ``autograder/messages/zh_TW.py`` for the engine's."""

MESSAGES = {
    # Per-test sentences (checks/: check.say)
    "values": "{what}：{right}/{total} 組輸入與參考答案相符（最大相對誤差 {error:.1e}，門檻 {tol:g}）",
    "case-shape": "{what}（{case}）的形狀是 {got}，應為 {expected}",
    "gradient": ("{what} 梯度檢驗 (gradient check)：與參考答案的解析梯度比較，{total} 組輸入中 {right} 組在第一級門檻內"
                 "（算出 {measured} 組，最大相對誤差 {error:.1e}）；每組依自己的誤差給分，再取平均 → {share:.0%} 分；"
                 "門檻：{tiers}"),
    "default-dout-wrong": ("不帶參數呼叫 backward()（如 MLPClassifier.backward 的用法）得到的梯度"
                           "和 dout = 1.0 的梯度不同（相對誤差 {error:.1e}）"),
    "pairs-misaligned": ("訓練時傳給 net.loss 的 {rows} 列資料中，有 {count} 列的標籤不是它自己的（{batches} 個批次）："
                         "資料和標籤被打亂成不同的順序"),
    "gradient-none": "backward 之後 {what} 是 None：backward 要設定 self.dW 和 self.db",
    "extreme-ok": "分數為 ±1000、±50 時損失有限且正確",
    "extreme-wrong": "分數為 ±1000、±50 時損失是 {got}，應為 {expected:.6g}",
    "extreme-warned": "值正確，但計算時 overflow（{warnings}）：只給 {share:.0%} 分",
    "init-ok": "W 的形狀 {shape}、標準差 {std:.3g}（He：{he:.3g}），b 為 0",
    "init-shape": "Conv2D({C}, {F}, {K}) 的 {name} 形狀是 {got}，應為 {expected}",
    "init-scale": "W 的標準差是 {std:.3g}，He 初始化應約為 sqrt(2 / (C·K·K)) = {he:.3g}",
    "init-unverified": ("Conv2D.forward 沒有任何一組輸入回傳正確形狀的輸出，無法確認這是你完成的 Conv2D：初始化這一項"
                        "不給分"),
    "init-bias": "b 應初始化為 0",
    "losses-none": "train_classifier 要回傳每個批次的 loss 組成的 list（{error}）",
    "losses-count": "{run}：回傳了 {count} 個 loss，應為 {expected} 個（每個 epoch {batches} 個批次）",
    "losses-match": "{run}：損失曲線與參考答案相符（{count} 個批次）",
    "losses-differ": "{run}：損失曲線從第 {index} 個批次開始與參考答案不同（{got:.6g} ≠ {expected:.6g}）",
    "params-match": "{run}：訓練後的參數與參考答案相符",
    "params-differ": "{run}：訓練後的參數與參考答案不同（相對誤差 {error:.1e}，門檻 {tol:g}）",
    "run": "lr={lr:g}、epochs={epochs}、batch_size={batch_size}、seed={seed}",
    "accuracy": "螺旋資料訓練準確率 {accuracy:.1%}（門檻 {threshold:.0%}）",
    "accuracy-not-sgd": ("但這組參數和回傳的 loss 都不是從給定的起點、在螺旋資料上做 mini-batch SGD 得到的（和參考"
                         "答案的訓練、或常見寫法的訓練結果都對不上）：這一項不給分"),
    "accuracy-untrained": "參數沒有被訓練改變，或沒有回傳真的 loss：這一項不給分",
    # The feedback figure (plots.py)
    "plot.caption": "train_classifier：損失曲線與決策區域",
    "plot.loss": "訓練損失：你的 train_classifier 與參考答案",
    "plot.regions": "你訓練出的分類器在螺旋資料上的決策區域",
    "plot.yours": "你的",
    "plot.reference": "參考答案",
    "plot.class": "類別 {label}",
    "plot.no-regions": "訓練後的參數含有 nan 或 inf，\n畫不出決策區域",
}

# Hints: the id goes into a failing test's tags.
HINTS = {
    "relu-ignores-dout": "ReLU.backward 要乘上上游梯度：dx = dout × 1[x > 0]，不是只回傳 0/1 遮罩。",
    "relu-grad-at-zero": "x 剛好等於 0 的地方梯度要是 0：遮罩用 x > 0，不是 x >= 0。",
    "relu-mask-from-dout": "遮罩要來自 forward 的輸入 x（x > 0），不是來自 dout。",
    "relu-derivative-uses-output": "ReLU 的局部梯度是 0 或 1，不是 forward 的輸出：dx = dout × 1[x > 0]。",
    "relu-modifies-input": ("ReLU.forward 不可以就地把呼叫者的 x 歸零（x[x < 0] = 0）：用 np.maximum(0, x) 產生新陣"
                            "列。"),
    "softmax-no-max-shift": "計算 softmax 前先減去每一列的最大值（log-sum-exp 技巧），否則 exp(1000) 會 overflow。",
    "softmax-global-max-shift": ("要減去每一列自己的最大值（axis=1, keepdims=True），不是整批的最大值：比整批最大值"
                                 "小很多的列會 underflow。"),
    "softmax-wrong-axis": "softmax 要對每一列的類別做正規化（axis=1），不是對整批（axis=0）。",
    "ce-sum-not-mean": "損失要取 N 筆的平均，不是總和。",
    "ce-grad-not-divided": "損失是平均，所以 dscores = dout × (p − onehot) / N：別忘了除以 N。",
    "ce-missing-onehot": "dscores 要減去正確類別的 one-hot：dout × (p − onehot) / N。",
    "ce-ignores-dout": "backward 要乘上傳進來的純量 dout（連鎖律），不是假設它等於 1。",
    "ce-backward-no-dout": "backward 要接受參數 dout（預設 1.0）：def backward(self, dout=1.0)。",
    "ce-default-dout": ("不帶參數呼叫 backward() 時 dout 要是 1.0（def backward(self, dout=1.0)）："
                        "損失對自己的梯度是 1。"),
    "softmax-shift-not-added-back": ("減去每一列的最大值 m 之後，log-sum-exp 要把 m 加回來："
                                     "log Σ exp(s) = m + log Σ exp(s − m)。"),
    "relu-dx-bool-dtype": ("dx 是布林 (bool) 陣列：從遮罩建立的陣列沿用 bool 型別，存進去的 dout 會變成 "
                           "True/1；dx 要用浮點數陣列。"),
    "relu-leaky": "這是 Leaky ReLU：ReLU 在 x ≤ 0 的輸出和梯度都是 0，不是一個小斜率。",
    "ce-log-prob-underflow": ("用 log-softmax（shifted − log Σ exp(shifted)）計算損失，不要對機率 p 取 log：p 會 "
                              "underflow 成 0。"),
    "ce-log-epsilon": "log(p + ε) 在分數極端時會算錯損失：改用 log-softmax。",
    "ce-wrong-indexing": "取正確類別要用 log_probs[np.arange(N), labels]，不是 log_probs[:, labels]。",
    "conv-flipped-kernel": "這裡的 Conv2D 是 cross-correlation（和 PyTorch、CS231n 一樣）：kernel 不用翻轉。",
    "conv-padding-ignored": "forward 要先在 x 的 H、W 兩邊各補 P 圈 0（np.pad），輸出大小是 (H + 2P − K) / S + 1。",
    "conv-padding-on-output": "padding 是補在輸入 x 上，不是補在輸出上。",
    "conv-stride-ignored": "視窗每次移動 stride 格：第 (i, j) 個輸出的視窗從 (i·S, j·S) 開始。",
    "conv-backward-stride-ignored": "backward 的視窗也要用 stride 移動（和 forward 一樣從 (i·S, j·S) 開始）。",
    "conv-output-size": "輸出大小是 H' = (H + 2P − K) // S + 1（別忘了 + 1 和 2P）。",
    "conv-db-not-summed": "db 要對 N、H'、W' 三個軸加總：db = dout.sum(axis=(0, 2, 3))，形狀 (F,)。",
    "conv-dx-overwritten": "重疊的視窗對 dx 的貢獻要累加（+=），不是覆蓋（=）。",
    "conv-dw-overwritten": "dW 要把每個輸出位置的貢獻累加起來（+=），不是每次覆蓋。",
    "conv-dx-crop": "裁掉 padding 用 dx_pad[:, :, P:P + H, P:P + W]；P = 0 時 dx_pad[:, :, P:-P] 是空的。",
    "conv-dx-not-cropped": "dx 的形狀要和 x 一樣：回傳前把 padding 裁掉。",
    "conv-dx-kernel-not-flipped": ("dx 是 dout 與翻轉後 kernel 的 full correlation（等於把 dout × W 加回每個視窗的"
                                   "位置）。"),
    "conv-forward-no-bias": "forward 要加上偏差 b[f]。",
    "conv-init-scale": "He 初始化的 fan-in 是 C·K·K：W = randn(F, C, K, K) × sqrt(2 / (C·K·K))。",
    "pool-dx-overwritten": "重疊的池化視窗對 dx 的貢獻要累加（+=），不是覆蓋（=）。",
    "pool-grad-to-all": "max pooling 的梯度只送到視窗裡的最大值，其他位置是 0。",
    "pool-grad-averaged": "這是 average pooling 的梯度；max pooling 把 dout 整個送到最大值的位置。",
    "pool-stride-ignored": "要使用傳進來的 stride；只有 stride=None 時才等於 kernel_size。",
    "pool-stride-default": "stride=None 時要設成 kernel_size。",
    "pool-output-size": "輸出大小是 H' = (H − K) // S + 1。",
    "pool-argmax-unravel": ("把 argmax 的平面索引換回 (列, 行) 要用 np.unravel_index(a, (K, K))：列是 a // K、行是 "
                            "a % K。"),
    "pool-ignores-dout": "要把上游梯度 dout 的值送到最大值的位置，不是 1。",
    "train-no-shuffle": "每個 epoch 都要用 order = rng.permutation(N) 重新打亂。",
    "train-global-rng": "打亂要用 rng = np.random.default_rng(seed) 的 rng.permutation(N)，不是全域的 np.random。",
    "train-rng-per-epoch": ("你的每個 epoch 都用同一個順序：rng = np.random.default_rng(seed) 在訓練開始時只建一次"
                            "（不要在 epoch 迴圈裡重建），而且每個 epoch 都要重新抽 order = rng.permutation(N)（不"
                            "要只在開始打亂一次）。"),
    "train-batch-sizes": ("每一批是 order 中連續的 batch_size 筆（只有最後一批可能比較少），不要用 np.array_split "
                          "平均切。"),
    "train-order-not-permutation": ("每個 epoch 的順序要用 order = rng.permutation(N)（題目規定的抽法），其他抽法會"
                                    "得到不同的順序。"),
    "train-shuffle-misaligned": "X 和 y 要用同一個 order 打亂（X[order]、y[order]），否則標籤就對不上資料了。",
    "relu-modifies-dout": ("ReLU.backward 不可以就地修改呼叫者的 dout（dout[mask] = 0）：用 np.where 或 dout * "
                           "mask 產生新陣列。"),
    "train-ignores-batch-size": "每一批是 order 中連續的 batch_size 筆，不是整個資料集。",
    "train-drops-last-batch": "最後一批可能比 batch_size 小，但也要訓練：for start in range(0, N, batch_size)。",
    "train-loss-after-update": "記錄的 loss 要是更新參數之前 net.loss(X_batch, y_batch) 的值。",
    "train-rebinds-param": "param = param - lr * grad 只改了區域變數；要就地更新：param -= learning_rate * grad。",
    "train-grad-divided-by-batch": "損失已經是平均，梯度不用再除以批次大小。",
    "train-loss-per-epoch": "每個批次記錄一個 loss，不是每個 epoch 一個。",
    "train-seed-ignored": "用參數 seed 建立 rng：np.random.default_rng(seed)。",
}
