"""Every sentence a student reads, in Traditional Chinese (default) and English.

Terms follow the notebook: 反向傳播 backpropagation, 梯度檢驗 gradient check, 上游梯度 upstream
gradient, 就地更新 in-place update. ``say(key, lang, **values)`` renders one message; ``HINTS`` are
the mistake-specific hints, each with a stable id that goes into the failing test's ``tags``.
"""
LANGUAGES = ("zh", "en")

MESSAGES = {
    # ---- generic outcomes of a request into student code
    "raised": ("{what} 發生錯誤：{message}（{where}）", "{what} raised {message} ({where})"),
    "timeout": ("{what} 超過時間限制 {seconds:g} 秒（無窮迴圈？）", "{what} exceeded the time limit of {seconds:g} s (an endless loop?)"),
    "exited": ("{what} 讓行程結束了（{message}）：不要呼叫 sys.exit / os._exit", "{what} ended the process ({message}): do not call sys.exit / os._exit"),
    "missing": ("找不到 {message}：請確認名稱與題目相同、且定義它的程式沒有語法錯誤", "{message} is not defined: check the name matches the assignment and its code has no syntax error"),
    "returned-none": ("{message}：忘了 return？", "{message}: a missing return?"),
    "not-array": ("回傳的不是數值陣列：{message}", "did not return an array of numbers: {message}"),
    "structure": ("網路結構不對：{message}", "wrong network structure: {message}"),
    "load-timeout": ("無法載入你的程式：執行定義超過 {seconds:g} 秒（class 或模組層級有無窮迴圈或很慢的程式？）",
                     "your code could not be loaded: executing the definitions took longer than {seconds:g} s (an endless loop or slow code at class or module level?)"),
    "load-exited": ("無法載入你的程式：執行定義時行程結束了（模組層級呼叫了 exit？）",
                    "your code could not be loaded: the process ended while executing the definitions (exit() at module level?)"),
    "protocol": ("評分程式無法讀取你的程式的回應（輸出被破壞了？）", "the grader could not read your code's reply (its output was tampered with?)"),
    "not-finite": ("{what} 回傳了 nan 或 inf", "{what} returned nan or inf"),
    "shape": ("{what} 的形狀是 {got}，應為 {expected}", "{what} has shape {got}, expected {expected}"),
    "printed": ("你的程式印出了：\n{text}", "your code printed:\n{text}"),
    "warned": ("執行時出現警告：{warnings}", "warnings while running: {warnings}"),
    # ---- per test
    "values": ("{what}：{right}/{total} 個形狀與參考答案相符（最大相對誤差 {error:.1e}，門檻 {tol:g}）",
               "{what}: {right}/{total} shapes match the reference (largest relative error {error:.1e}, threshold {tol:g})"),
    "value-case": ("  形狀 {shape}：相對誤差 {error:.1e}", "  shape {shape}: relative error {error:.1e}"),
    "extreme-ok": ("σ(x) 在 x = ±1000、±50、0 都有限且正確", "σ(x) is finite and correct at x = ±1000, ±50, 0"),
    "extreme-wrong": ("x = {x} 時 σ(x) = {got}，應為 {expected}", "at x = {x} σ(x) = {got}, expected {expected}"),
    "extreme-warned": ("值正確，但計算時 overflow（{warnings}）：只給 {share:.0%} 分", "values right, but the computation overflowed ({warnings}): {share:.0%} of the points"),
    "gradient": ("{what} 梯度檢驗 (gradient check)：與參考答案的最大相對誤差 {error:.1e}（與數值梯度相差 {numerical:.1e}）→ {share:.0%} 分；門檻：{tiers}",
                 "{what} gradient check: largest relative error against the reference {error:.1e} (against the numerical gradient {numerical:.1e}) → {share:.0%} of the points; tiers: {tiers}"),
    "gradient-none": ("{what} 是 None：backward 之後每一層的 dW、db 都要設定好", "{what} is None: after backward every layer's dW and db must be set"),
    "structure-ok": ("(in, hidden, out) = {dims}：fc1 / sigmoid / fc2 正確", "(in, hidden, out) = {dims}: fc1 / sigmoid / fc2 right"),
    "structure-bad": ("(in, hidden, out) = {dims}：{problem}", "(in, hidden, out) = {dims}: {problem}"),
    "layer-wrong": ("self.{name} 應為 {cls}，得到 {got}", "self.{name} should be a {cls}, got {got}"),
    "param-shape": ("{name} 的形狀是 {got}，應為 {expected}", "{name} has shape {got}, expected {expected}"),
    "pairs-ok": ("get_params_and_grads 回傳網路自己的 4 組 (param, grad)，就地更新會改變網路", "get_params_and_grads returns the network's own 4 (param, grad) pairs; an in-place update changes the network"),
    "pairs-count": ("應回傳 4 組 (param, grad)，得到 {count} 組", "expected 4 (param, grad) pairs, got {count}"),
    "pairs-wrong": ("第 {index} 組是 ({got})，應為 ({expected})", "pair {index} is ({got}), expected ({expected})"),
    "pairs-not-updated": ("透過回傳的陣列就地更新後，網路的 {name} 沒有改變", "after an in-place update through the returned arrays, the network's {name} did not change"),
    "losses-count": ("epochs = {epochs} 時回傳了 {count} 個 loss，應為 {epochs} 個", "with epochs = {epochs} it returned {count} losses, expected {epochs}"),
    "losses-first": ("losses[0] = {got:.6g}，但第一次更新之前的損失是 {expected:.6g}", "losses[0] = {got:.6g}, but the loss before the first update is {expected:.6g}"),
    "losses-match": ("損失曲線與參考答案相符（{epochs} 個 epoch，最大相對誤差 {error:.1e}）", "the loss trajectory matches the reference ({epochs} epochs, largest relative error {error:.1e})"),
    "losses-differ": ("損失曲線從第 {index} 個 epoch 開始與參考答案不同（{got:.6g} ≠ {expected:.6g}）", "the loss trajectory departs from the reference at epoch {index} ({got:.6g} ≠ {expected:.6g})"),
    "params-match": ("訓練後的參數與參考答案相符（最大相對誤差 {error:.1e}）", "parameters after training match the reference (largest relative error {error:.1e})"),
    "params-differ": ("訓練後的參數與參考答案不同（最大相對誤差 {error:.1e}，門檻 {tol:g}）", "parameters after training differ from the reference (largest relative error {error:.1e}, threshold {tol:g})"),
    "params-unchanged": ("訓練後參數完全沒變", "the parameters did not change at all during training"),
    "honours-epochs": ("epochs：{detail}", "epochs: {detail}"),
    "honours-lr": ("learning_rate = {lr:g}：{detail}", "learning_rate = {lr:g}: {detail}"),
    "ok": ("正確", "right"),
    "differs": ("與參考答案不同", "differs from the reference"),
    "accuracy-untrained": ("但回傳的 losses 與參數對不上（第一個 loss 不是初始網路的 loss，或最後一個 loss 不是訓練後網路的 loss），這次不算訓練出來的",
                           "but the losses returned do not match the parameters (the first is not the initial network's loss, or the last is not the trained network's), so this run does not count as trained"),
    "accuracy": ("初始化 {run}：XOR 答對 {correct}/4（參考答案 4/4）", "initialisation {run}: XOR {correct}/4 right (reference 4/4)"),
    # ---- submission-level
    "load-problem": ("{origin} 第 {line} 行：{message}——{scope}定義的東西都沒有載入", "{origin}, line {line}: {message} -- nothing {scope} defines was loaded"),
    "load-problem-noline": ("{origin}：{message}", "{origin}: {message}"),
    "graded-parts": ("各部分分數：{parts}", "points per part: {parts}"),
}

HINTS = {
    "sigmoid-ignores-dout": (
        "你的 dx 看起來沒有乘上上游梯度 dout。連鎖律：dx = dout × σ'(x)，σ'(x) = σ(x)(1 − σ(x))。",
        "Your dx looks like it ignores the upstream gradient dout. Chain rule: dx = dout × σ'(x), with σ'(x) = σ(x)(1 − σ(x))."),
    "sigmoid-derivative-uses-input": (
        "你的 dx 像是用輸入 x 算 x(1 − x)；導數公式 σ(x)(1 − σ(x)) 要用的是 forward 的輸出 σ(x)。檢查 cache 存的是什麼。",
        "Your dx looks like x(1 − x) of the input; the derivative σ(x)(1 − σ(x)) needs the forward output σ(x). Check what the cache holds."),
    "sigmoid-wrong-shape": (
        "backward 回傳的形狀和 dout 不同：sigmoid 是逐元素 (element-wise) 運算，不需要對任何軸加總。",
        "backward returns a different shape than dout: sigmoid is element-wise, nothing is summed over an axis."),
    "sigmoid-unstable": (
        "x 很大或很小時出現 overflow／nan：1 / (1 + e^(−x)) 在 x = −1000 時 e^1000 會溢位。只對 −|x| 取指數（e^(−|x|) ≤ 1），再分 x ≥ 0 和 x < 0 兩種寫法。",
        "Overflow or nan for large |x|: 1 / (1 + e^(−x)) overflows at x = −1000. Only exponentiate −|x| (e^(−|x|) ≤ 1) and use the two forms for x ≥ 0 and x < 0."),
    "net-backward-skips-sigmoid": (
        "梯度像是直接從 fc2 傳到 fc1，跳過了 sigmoid 的反向傳播：中間要經過 self.sigmoid.backward。",
        "The gradient seems to go straight from fc2 to fc1, skipping the sigmoid's backward pass: it must pass through self.sigmoid.backward."),
    "net-backward-wrong-order": (
        "反向傳播要以前向的相反順序呼叫各層：fc2 → sigmoid → fc1，每一層的輸出梯度是下一層的上游梯度。",
        "Backpropagation calls the layers in reverse order of the forward pass: fc2 → sigmoid → fc1, each one's result is the next one's upstream gradient."),
    "net-backward-returns-none": (
        "backward 沒有回傳 dX：最後一層 (fc1) backward 的結果要 return。",
        "backward returns nothing: return the result of the last (fc1) backward call as dX."),
    "net-forward-skips-sigmoid": (
        "forward 的輸出像是沒經過 sigmoid：FC1 → Sigmoid → FC2，中間的非線性不能少（少了它就學不會 XOR）。",
        "The forward output looks like it skips the sigmoid: FC1 → Sigmoid → FC2; without the non-linearity XOR cannot be learned."),
    "net-hidden-size-hardcoded": (
        "隱藏層大小只有在 8 時正確：請用參數 hidden_features，不要寫死。",
        "The hidden layer is only right when it has 8 units: use the hidden_features argument instead of a fixed number."),
    "net-params-copies": (
        "get_params_and_grads 回傳的是副本：訓練時 param -= lr * grad 改的是副本，網路不會變。回傳網路自己的陣列（不要 .copy()）。",
        "get_params_and_grads returns copies: param -= lr * grad then changes the copies, not the network. Return the network's own arrays (no .copy())."),
    "net-params-mismatched": (
        "(param, grad) 配對不對：每個參數要和它自己的梯度配對，順序是 fc1.W、fc1.b、fc2.W、fc2.b。",
        "The (param, grad) pairs are mismatched: each parameter goes with its own gradient, in the order fc1.W, fc1.b, fc2.W, fc2.b."),
    "train-rebinds-param": (
        "參數完全沒有更新：param = param − lr * grad 只是讓區域變數指向新陣列；要就地更新 param -= lr * grad。",
        "The parameters never change: param = param − lr * grad only rebinds a local name; update in place with param -= lr * grad."),
    "train-ascends": (
        "損失越來越大：梯度下降要沿著梯度的反方向走（減去 lr * grad，不是加上）。",
        "The loss grows: gradient descent steps against the gradient (subtract lr * grad, do not add it)."),
    "train-no-backward": (
        "每個 epoch 都要先呼叫 net.backward(dY) 算出梯度，再更新參數。",
        "Call net.backward(dY) in every epoch to compute the gradients before updating the parameters."),
    "train-no-mean": (
        "步伐像是大了 Y.size 倍：MSE 是平均，dY = 2 * (Y − y) / Y.size。",
        "The steps look Y.size times too large: MSE is a mean, so dY = 2 * (Y − y) / Y.size."),
    "train-loss-after-update": (
        "losses 像是在更新之後才記錄：losses[i] 應是第 i 次更新之前的損失（先 forward、記錄 loss，再 backward 和更新）。",
        "The losses look recorded after the update: losses[i] is the loss before the i-th update (forward, record, then backward and update)."),
    "train-ignores-lr": (
        "learning_rate 像是沒有用到（寫死了某個學習率）：更新時要用參數 learning_rate。",
        "learning_rate seems unused (a fixed rate is hard-coded): use the learning_rate argument in the update."),
    "train-ignores-epochs": (
        "回傳的 loss 數量和 epochs 無關（寫死了次數？）：迴圈要跑 range(epochs)。",
        "The number of losses does not follow epochs (a fixed count?): loop over range(epochs)."),
    "train-off-by-one": (
        "loss 的數量差了一個：range(epochs) 剛好跑 epochs 次，每次記錄一個 loss。",
        "The number of losses is off by one: range(epochs) runs exactly epochs times, recording one loss each."),
    "train-one-sample-sgd": (
        "像是一次用一筆資料更新 (SGD)：這個練習要全批次 (full batch)，每一步用全部 4 筆資料算一次梯度。",
        "This looks like one-sample updates (SGD): the exercise asks for full-batch steps, one gradient from all 4 samples per epoch."),
}


def say(key, lang="zh", **values):
    zh, en = MESSAGES[key]
    return (en if lang == "en" else zh).format(**values)


def hint(hint_id, lang="zh"):
    zh, en = HINTS[hint_id]
    return ("提示：" + zh) if lang != "en" else ("Hint: " + en)
