"""01's sentences and hints, in Traditional Chinese (default) and English.

The engine's own sentences (an error, a timeout, where in the student's code, which setup graded a
part) are in ``autograder.messages``; these are the per-test ones and the hints, each with the stable
id that goes into a failing test's ``tags``. Terms follow the notebook: 反向傳播 backpropagation,
梯度檢驗 gradient check, 上游梯度 upstream gradient, 就地更新 in-place update.
"""
MESSAGES = {
    "detail-changed-shape": ("train_xor 把 {name} 的形狀改成了 {got}（原本是 {expected}）", "train_xor changed the shape of {name} to {got} (it was {expected})"),
    "detail-not-pairs": ("get_params_and_grads 要回傳由 (param, grad) 組成的 list", "get_params_and_grads must return a list of (param, grad) pairs"),
    "detail-not-losses": ("train_xor 要回傳由 loss 組成的 list（{error}）", "train_xor must return a list of losses ({error})"),
    "values": ("{what}：{right}/{total} 個形狀與參考答案相符（最大相對誤差 {error:.1e}，門檻 {tol:g}）",
               "{what}: {right}/{total} shapes match the reference (largest relative error {error:.1e}, threshold {tol:g})"),
    "value-case": ("  形狀 {shape}：相對誤差 {error:.1e}", "  shape {shape}: relative error {error:.1e}"),
    "extreme-ok": ("σ(x) 在 x = ±1000、±50、±3、±0.5、0 都有限且正確", "σ(x) is finite and correct at x = ±1000, ±50, ±3, ±0.5, 0"),
    "extreme-wrong": ("x = {x} 時 σ(x) = {got}，應為 {expected}", "at x = {x} σ(x) = {got}, expected {expected}"),
    "extreme-warned": ("值正確，但計算時 overflow（{warnings}）：只給 {share:.0%} 分", "values right, but the computation overflowed ({warnings}): {share:.0%} of the points"),
    "gradient": ("{what} 梯度檢驗 (gradient check)：與參考答案的最大相對誤差 {error:.1e}（與數值梯度相差 {numerical:.1e}）→ {share:.0%} 分；門檻：{tiers}",
                 "{what} gradient check: largest relative error against the reference {error:.1e} (against the numerical gradient {numerical:.1e}) → {share:.0%} of the points; tiers: {tiers}"),
    "gradient-none": ("{what} 是 None：backward 之後每一層的 dW、db 都要設定好", "{what} is None: after backward every layer's dW and db must be set"),
    "structure-ok": ("(in, hidden, out) = {dims}：fc1 / sigmoid / fc2 正確", "(in, hidden, out) = {dims}: fc1 / sigmoid / fc2 right"),
    "structure-bad": ("(in, hidden, out) = {dims}：{problem}", "(in, hidden, out) = {dims}: {problem}"),
    "structure-unverified": ("(in, hidden, out) = {dims}：層與形狀看起來對，但用評分程式的參數跑 forward、backward 都沒有算出正確結果，無法由計算確認結構，這一組不給分",
                             "(in, hidden, out) = {dims}: the layers and shapes look right, but neither forward nor backward computed the right values with the grader's parameters, so the structure cannot be confirmed and this size earns nothing"),
    "backward-order": ("backward 呼叫各層 backward 的順序是 {calls}", "backward called the layers' backward in the order {calls}"),
    "pairs-unverified": ("無法確認 get_params_and_grads：你的 backward 沒有算出正確的梯度，forward 也沒有用更新後的參數算出結果（這一項要靠它們的計算結果來驗證）",
                         "get_params_and_grads cannot be confirmed: your backward did not compute the right gradients and your forward did not compute with the updated parameters (this test is verified through what they compute)"),
    "layer-wrong": ("self.{name} 應為 {cls}，得到 {got}", "self.{name} should be a {cls}, got {got}"),
    "param-shape": ("{name} 的形狀是 {got}，應為 {expected}", "{name} has shape {got}, expected {expected}"),
    "pairs-ok": ("get_params_and_grads 回傳網路自己的 4 組 (param, grad)，就地更新會改變網路", "get_params_and_grads returns the network's own 4 (param, grad) pairs; an in-place update changes the network"),
    "pairs-count": ("應回傳 4 組 (param, grad)，得到 {count} 組", "expected 4 (param, grad) pairs, got {count}"),
    "pairs-missing": ("少了 {names} 這幾組 (param, grad)", "the pairs {names} are missing"),
    "pairs-wrong": ("第 {index} 組是 ({got})，應為 ({expected})", "pair {index} is ({got}), expected ({expected})"),
    "pairs-not-updated": ("透過回傳的陣列就地更新後，網路的 {name} 沒有改變", "after an in-place update through the returned arrays, the network's {name} did not change"),
    "losses-count": ("epochs = {epochs} 時回傳了 {count} 個 loss，應為 {epochs} 個", "with epochs = {epochs} it returned {count} losses, expected {epochs}"),
    "losses-first": ("losses[0] = {got:.6g}，但第一次更新之前的損失是 {expected:.6g}", "losses[0] = {got:.6g}, but the loss before the first update is {expected:.6g}"),
    "losses-match": ("損失曲線與參考答案相符（{epochs} 個 epoch，最大相對誤差 {error:.1e}）", "the loss trajectory matches the reference ({epochs} epochs, largest relative error {error:.1e})"),
    "losses-differ": ("損失曲線從第 {index} 個 epoch 開始與參考答案不同（{got:.6g} ≠ {expected:.6g}）", "the loss trajectory departs from the reference at epoch {index} ({got:.6g} ≠ {expected:.6g})"),
    "params-match": ("訓練後的參數與參考答案相符（最大相對誤差 {error:.1e}）", "parameters after training match the reference (largest relative error {error:.1e})"),
    "params-differ": ("訓練後的參數與參考答案不同（{name} 的最大相對誤差 {error:.1e}，門檻 {tol:g}）", "parameters after training differ from the reference (largest relative error {error:.1e} in {name}, threshold {tol:g})"),
    "params-unchanged": ("訓練後參數完全沒變", "the parameters did not change at all during training"),
    "honours-epochs": ("loss 的數量：{detail}", "number of losses: {detail}"),
    "ok": ("正確", "right"),
    "differs": ("與參考答案不同", "differs from the reference"),
    "step-factor": ("兩次訓練的參數都和「步伐 {factor:g} 倍」的梯度下降一致", "in both runs the parameters match gradient descent with steps {factor:g} times the reference's"),
    "accuracy-untrained": ("但這組參數不是在 XOR 上做梯度下降訓練出來的（和參考答案的訓練、或常見寫法的訓練結果都對不上），這次不算訓練出來的",
                           "but these parameters were not produced by gradient descent on XOR (they match neither the reference run nor any typical loop's run), so this run does not count as trained"),
    "accuracy": ("{run}：XOR 答對 {correct}/4（參考答案 4/4）", "{run}: XOR {correct}/4 right (reference 4/4)"),
    "run-name": ("初始化 seed {seed}、learning_rate {lr:g}、{epochs} 個 epoch", "initialisation seed {seed}, learning_rate {lr:g}, {epochs} epochs"),
    "losses-unreadable": ("train_xor 回傳的 losses 不是一串數字（{error}）：每個 loss 要是一個純量，例如 float(np.mean(...))；訓練後的參數在其他項目照樣評分",
                          "the losses train_xor returned are not a list of numbers ({error}): each loss must be a scalar, e.g. float(np.mean(...)); the trained parameters are graded in the other tests all the same"),
    "losses-none": ("train_xor 回傳了 None，沒有 loss 可以比對（訓練後的參數在其他項目照樣評分）", "train_xor returned None, so there are no losses to compare (the trained parameters are graded in the other tests all the same)"),
    "losses-unverified": ("losses[0] 是對的，但這次訓練（{run}）之後的參數和損失都對不上梯度下降的結果，無法確認有訓練，所以第一個 loss 和 loss 數量這兩部分不給分",
                          "losses[0] is right, but after this run ({run}) neither the parameters nor the losses match gradient descent, so the training cannot be confirmed and the first loss and the count earn nothing"),
    "honours-training": ("learning_rate = {lr:g}、epochs = {epochs} 訓練後的參數：{detail}", "parameters after training with learning_rate = {lr:g}, epochs = {epochs}: {detail}"),
    "honours-epochs-unverified": ("loss 的數量：{detail}，數量對，但這些值和訓練過程對不上（不是每個 epoch 真正算出的 loss），這一半不給分",
                                  "number of losses: {detail}; the counts are right, but the values do not follow the training (not a loss computed each epoch), so this half earns nothing"),
    "graded-parts": ("各部分分數：{parts}", "points per part: {parts}"),
}

HINTS = {
    "sigmoid-ignores-dout": (
        "你的 dx 看起來沒有乘上上游梯度 dout。連鎖律：dx = dout × σ'(x)，σ'(x) = σ(x)(1 − σ(x))。",
        "Your dx looks like it ignores the upstream gradient dout. Chain rule: dx = dout × σ'(x), with σ'(x) = σ(x)(1 − σ(x))."),
    "sigmoid-derivative-uses-input": (
        "你的 dx 像是用輸入 x 算 x(1 − x)；導數公式 σ(x)(1 − σ(x)) 要用的是 forward 的輸出 σ(x)。檢查 cache 存的是什麼。",
        "Your dx looks like x(1 − x) of the input; the derivative σ(x)(1 − σ(x)) needs the forward output σ(x). Check what the cache holds."),
    "sigmoid-derivative-incomplete": (
        "你的 dx 像是 dout × σ(x)，少了 (1 − σ(x)) 這個因子：σ'(x) = σ(x)(1 − σ(x))。",
        "Your dx looks like dout × σ(x), missing the factor (1 − σ(x)): σ'(x) = σ(x)(1 − σ(x))."),
    "sigmoid-forward-negated": (
        "forward 算出來的是 σ(−x) = 1 − σ(x)：檢查 exp 的正負號，或 np.where 的兩個分支是否對調了。",
        "forward computes σ(−x) = 1 − σ(x): check the sign inside exp, or whether the two branches of np.where are swapped."),
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
    "net-forward-skips-fc2": (
        "forward 的輸出像是 sigmoid 之後就結束了，沒有經過 fc2：FC1 → Sigmoid → FC2，最後一層要回傳 fc2 的輸出。",
        "The forward output looks like it stops after the sigmoid, without fc2: FC1 → Sigmoid → FC2, return fc2's output."),
    "net-hidden-size-hardcoded": (
        "隱藏層大小只有在 8 時正確：請用參數 hidden_features，不要寫死。",
        "The hidden layer is only right when it has 8 units: use the hidden_features argument instead of a fixed number."),
    "net-bias-grad-shape": (
        "db 的形狀要和 b 一樣（輸出維度的一維陣列）：對樣本那一維 (axis=0) 加總，不要加總 axis=1，也不要 keepdims。",
        "db must have b's shape (a 1-D array over the outputs): sum over the samples (axis=0), not axis=1, without keepdims."),
    "net-params-copies": (
        "get_params_and_grads 回傳的是副本：訓練時 param -= lr * grad 改的是副本，網路不會變。回傳網路自己的陣列（不要 .copy()）。",
        "get_params_and_grads returns copies: param -= lr * grad then changes the copies, not the network. Return the network's own arrays (no .copy())."),
    "net-params-order": (
        "每一組 (param, grad) 都配對正確，但順序要照文件：fc1.W、fc1.b、fc2.W、fc2.b。",
        "Each (param, grad) pair is right, but the order must be the documented one: fc1.W, fc1.b, fc2.W, fc2.b."),
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
    "train-grad-none": (
        "更新參數時 grad 還是 None：梯度要由 net.backward(dY) 算出來。每個 epoch 先 backward，再用 backward 之後的 net.get_params_and_grads() 更新（backward 會建立新的梯度陣列，之前拿到的是舊的）。",
        "A grad was None when the parameters were updated: gradients come from net.backward(dY). In each epoch call backward first, then update with net.get_params_and_grads() taken after it (backward creates new gradient arrays; pairs taken earlier hold the old ones)."),
    "train-step-scale": (
        "每一步的大小和參考答案差了固定的倍數：檢查 dY = 2 * (Y − y) / Y.size 的係數，以及 learning_rate 怎麼用。",
        "Every step is a fixed factor off the reference's: check the factor in dY = 2 * (Y − y) / Y.size and how learning_rate is used."),
    "train-loss-summed": (
        "losses 像是誤差平方的總和，不是平均：MSE 是 np.mean((Y − y) ** 2)。",
        "The losses look like the sum of squared errors, not their mean: MSE is np.mean((Y − y) ** 2)."),
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
    "train-no-return": (
        "train_xor 沒有回傳 losses（回傳了 None）：迴圈結束後要 return losses。",
        "train_xor returns None: return the list of losses after the loop."),
    "train-returns-no-losses": (
        "回傳的 losses 是空的：每個 epoch 都要把那一步的 loss append 進 losses。",
        "The losses returned are empty: append each epoch's loss to the list."),
    "train-trains-copy": (
        "傳進來的 net 參數完全沒變，但回傳的 losses 有變化：你訓練的是另一個網路（例如 copy.deepcopy(net) 的副本），要直接更新傳進來的 net。",
        "The parameters of the net passed in never change while the losses do: another network was trained (a copy.deepcopy(net), say); update the net passed in."),
    "train-one-sample-per-epoch": (
        "每個 epoch 只用了一筆資料更新（輪流用 4 筆中的一筆）：這個練習要全批次 (full batch)，每個 epoch 用全部 4 筆資料算一次梯度。",
        "Each epoch updates with one sample (cycling through the four): the exercise asks for full-batch steps, one gradient from all 4 samples per epoch."),
    "train-one-sample-sgd": (
        "像是一次用一筆資料更新 (SGD)：這個練習要全批次 (full batch)，每一步用全部 4 筆資料算一次梯度。",
        "This looks like one-sample updates (SGD): the exercise asks for full-batch steps, one gradient from all 4 samples per epoch."),
}
