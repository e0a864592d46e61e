# the reference solution as the red team disguised it: every name renamed (self and np too), functions and methods reordered, one loop made a comprehension
# %% ReLU
import numpy as onp


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    """
    用小批次隨機梯度下降 (mini-batch SGD) 訓練分類器，就地更新參數

    Parameters
    ----------
    net : MLPClassifier（或任何有 loss(X, y)、backward()、get_params_and_grads() 的網路）
        要訓練的網路（參數會被就地更新）
    X : np.ndarray, shape (N, ...)
        輸入
    y : np.ndarray, shape (N,)
        正確類別
    learning_rate : float
        學習率
    epochs : int
        epoch 數
    batch_size : int
        每批的筆數 B（最後一批可能比較少）
    seed : int
        打亂順序用的亂數種子

    Returns
    -------
    losses : list of float
        每個批次更新之前的損失，共 epochs * ceil(N / batch_size) 個
    """
    rng = onp.random.default_rng(seed)  # 整個訓練只建一次
    N = X.shape[0]
    token16 = []

    for slot17 in range(epochs):
        field18 = rng.permutation(N)  # 每個 epoch 重新打亂
        for start in range(0, N, batch_size):
            key219 = field18[start:start + batch_size]  # 最後一批可能比較小
            loss = net.loss(X[key219], y[key219])
            token16.append(loss)  # 更新之前的損失

            net.backward()
            [onp.subtract(param, learning_rate * aux20, out=param) for param, aux20 in net.get_params_and_grads()]

    return token16


class MaxPool2D:

    def backward(result1, dout):
        """
        反向傳播

        Parameters
        ----------
        dout : np.ndarray, shape (N, C, H', W')
            上游梯度

        Returns
        -------
        dx : np.ndarray, shape (N, C, H, W)
            每個 dout 只送到它那個視窗的最大值；重疊的視窗累加
        """
        x = result1.cache
        N, C, H, W = x.shape
        K, S = result1.kernel_size, result1.stride
        _, _, part8, W_out = dout.shape

        tmp2 = onp.zeros_like(x, dtype=onp.float64)
        chunk14, c = onp.meshgrid(onp.arange(N), onp.arange(C), indexing="ij")  # 每個 (n, c) 的索引，形狀 (N, C)
        for piece9 in range(part8):
            for entry10 in range(W_out):
                unit11 = x[:, :, piece9 * S:piece9 * S + K, entry10 * S:entry10 * S + K].reshape(N, C, K * K)
                # 每個 (n, c) 的視窗裡最大值的位置（同值時取第一個）
                block15, q = onp.unravel_index(onp.argmax(unit11, axis=2), (K, K))
                # 梯度只送到最大值；用 += 讓重疊的視窗累加
                tmp2[chunk14, c, piece9 * S + block15, entry10 * S + q] += dout[:, :, piece9, entry10]
        return tmp2

    def forward(result1, x):
        """
        前向傳播

        Parameters
        ----------
        x : np.ndarray, shape (N, C, H, W)
            輸入

        Returns
        -------
        out : np.ndarray, shape (N, C, H', W')
            H' = (H - K) // S + 1，W' = (W - K) // S + 1
        """
        N, C, H, W = x.shape
        K, S = result1.kernel_size, result1.stride
        part8 = (H - K) // S + 1
        W_out = (W - K) // S + 1

        out = onp.zeros((N, C, part8, W_out))
        for piece9 in range(part8):
            for entry10 in range(W_out):
                out[:, :, piece9, entry10] = onp.max(x[:, :, piece9 * S:piece9 * S + K, entry10 * S:entry10 * S + K], axis=(2, 3))

        result1.cache = x
        return out

    def __init__(result1, kernel_size, stride=None):
        """
        Parameters
        ----------
        kernel_size : int
            視窗的高和寬 K
        stride : int or None
            步幅 S；None 時等於 kernel_size（視窗不重疊）
        """
        result1.kernel_size = kernel_size
        result1.stride = kernel_size if stride is None else stride
        result1.cache = None


class Conv2D:

    def backward(result1, dout):
        """
        反向傳播

        Parameters
        ----------
        dout : np.ndarray, shape (N, F, H', W')
            上游梯度

        Returns
        -------
        dx : np.ndarray, shape (N, C, H, W)
            對輸入的梯度；同時設定 self.dW (F, C, K, K) 和 self.db (F,)
        """
        (N, C, H, W), x_pad = result1.cache
        F, _, K, _ = result1.W.shape
        S, P = result1.stride, result1.padding
        _, _, part8, W_out = dout.shape

        thing12 = onp.zeros_like(x_pad)
        result1.dW = onp.zeros_like(result1.W)
        for piece9 in range(part8):
            for entry10 in range(W_out):
                unit11 = x_pad[:, :, piece9 * S:piece9 * S + K, entry10 * S:entry10 * S + K]  # (N, C, K, K)
                elem13 = dout[:, :, piece9, entry10]                                   # (N, F)
                # dW[f] += sum_n d[n, f] * window[n]
                result1.dW += onp.einsum("nf,ncpq->fcpq", elem13, unit11)
                # 這個視窗裡的每個輸入得到 sum_f d[n, f] * W[f]；重疊的視窗要累加
                thing12[:, :, piece9 * S:piece9 * S + K, entry10 * S:entry10 * S + K] += onp.einsum("nf,fcpq->ncpq", elem13, result1.W)
        result1.db = onp.sum(dout, axis=(0, 2, 3))

        # 切掉補的 0：它們不是輸入
        tmp2 = thing12[:, :, P:P + H, P:P + W]
        return tmp2

    def forward(result1, x):
        """
        前向傳播

        Parameters
        ----------
        x : np.ndarray, shape (N, C, H, W)
            輸入

        Returns
        -------
        out : np.ndarray, shape (N, F, H', W')
            H' = (H + 2P - K) // S + 1，W' = (W + 2P - K) // S + 1
        """
        N, C, H, W = x.shape
        F, _, K, _ = result1.W.shape
        S, P = result1.stride, result1.padding
        part8 = (H + 2 * P - K) // S + 1
        W_out = (W + 2 * P - K) // S + 1

        x_pad = onp.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        out = onp.zeros((N, F, part8, W_out))
        for piece9 in range(part8):
            for entry10 in range(W_out):
                unit11 = x_pad[:, :, piece9 * S:piece9 * S + K, entry10 * S:entry10 * S + K]  # (N, C, K, K)
                # 每張影像 n 的視窗和每個濾波器 f 做內積：對 c、p、q 加總
                out[:, :, piece9, entry10] = onp.einsum("ncpq,fcpq->nf", unit11, result1.W) + result1.b

        result1.cache = (x.shape, x_pad)
        return out

    def __init__(result1, in_channels, out_channels, kernel_size, stride=1, padding=0):
        """
        Parameters
        ----------
        in_channels : int
            輸入通道數 C
        out_channels : int
            濾波器個數 F（輸出通道數）
        kernel_size : int
            kernel 的高和寬 K
        stride : int
            步幅 S
        padding : int
            四周補 0 的圈數 P
        """
        result1.kernel_size = kernel_size
        result1.stride = stride
        result1.padding = padding
        # He (Kaiming) 初始化：每個輸出看到 C * K * K 個輸入
        node7 = in_channels * kernel_size * kernel_size
        result1.W = onp.random.randn(out_channels, in_channels, kernel_size, kernel_size) * onp.sqrt(2.0 / node7)
        result1.b = onp.zeros(out_channels)

        # 梯度
        result1.dW = None
        result1.db = None

        # 快取
        result1.cache = None


class SoftmaxCrossEntropy:

    def backward(result1, dout=1.0):
        """
        反向傳播

        Parameters
        ----------
        dout : float
            上游梯度（損失是純量，所以 dout 也是純量，預設 1）

        Returns
        -------
        dscores : np.ndarray, shape (N, C)
            dout * (p - onehot(labels)) / N
        """
        store5, labels = result1.cache
        N = store5.shape[0]
        item6 = store5.copy()
        item6[onp.arange(N), labels] -= 1  # p - onehot(y)
        return dout * item6 / N

    def forward(result1, scores, labels):
        """
        前向傳播

        Parameters
        ----------
        scores : np.ndarray, shape (N, C)
            每筆資料對每個類別的分數
        labels : np.ndarray, shape (N,)
            正確類別，整數 0 ... C-1

        Returns
        -------
        loss : float
            N 筆資料的平均交叉熵損失
        """
        labels = onp.asarray(labels)
        N = scores.shape[0]
        # log-sum-exp：每一列先減掉最大值，exp 不會溢位；直接算 log p，不會遇到 log(0)
        acc3 = scores - onp.max(scores, axis=1, keepdims=True)
        state4 = acc3 - onp.log(onp.sum(onp.exp(acc3), axis=1, keepdims=True))
        result1.cache = (onp.exp(state4), labels)  # backward 需要 p 和正確類別
        return -onp.mean(state4[onp.arange(N), labels])

    def __init__(result1):
        result1.cache = None


class ReLU:

    def backward(result1, dout):
        """
        反向傳播

        Parameters
        ----------
        dout : np.ndarray
            上游梯度，形狀與 forward 的輸出相同

        Returns
        -------
        dx : np.ndarray
            對輸入的梯度，形狀與 dout 相同；x <= 0 的位置為 0
        """
        positive = result1.cache
        tmp2 = onp.where(positive, dout, 0.0)  # x > 0 的地方是 dout，其他地方（包括 x = 0）是 0
        return tmp2

    def forward(result1, x):
        """
        前向傳播

        Parameters
        ----------
        x : np.ndarray
            任意形狀的輸入

        Returns
        -------
        out : np.ndarray
            max(0, x)，與輸入相同形狀
        """
        result1.cache = x > 0  # 只需要記住哪些位置大於 0
        return onp.maximum(0, x)

    def __init__(result1):
        result1.cache = None


# %% SoftmaxCrossEntropy
# %% Conv2D
# %% MaxPool2D
# %% train_classifier
