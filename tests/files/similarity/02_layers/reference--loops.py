# the reference solution, one loop made a comprehension (or back): hand-made disguise
# %% ReLU
class ReLU:
    """
    ReLU 層的前向/反向傳播：out = max(0, x)
    """

    def __init__(self):
        self.cache = None

    def forward(self, x):
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
        self.cache = x > 0  # 只需要記住哪些位置大於 0
        return np.maximum(0, x)

    def backward(self, dout):
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
        positive = self.cache
        dx = np.where(positive, dout, 0.0)  # x > 0 的地方是 dout，其他地方（包括 x = 0）是 0
        return dx


# %% SoftmaxCrossEntropy
class SoftmaxCrossEntropy:
    """
    Softmax + 交叉熵損失：L = -mean(log softmax(scores)[i, labels[i]])
    """

    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
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
        labels = np.asarray(labels)
        N = scores.shape[0]
        # log-sum-exp：每一列先減掉最大值，exp 不會溢位；直接算 log p，不會遇到 log(0)
        shifted = scores - np.max(scores, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        self.cache = (np.exp(log_probs), labels)  # backward 需要 p 和正確類別
        return -np.mean(log_probs[np.arange(N), labels])

    def backward(self, dout=1.0):
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
        probs, labels = self.cache
        N = probs.shape[0]
        dscores = probs.copy()
        dscores[np.arange(N), labels] -= 1  # p - onehot(y)
        return dout * dscores / N


# %% Conv2D
class Conv2D:
    """
    2D 卷積層（cross-correlation）：out[n, f, i, j] = b[f] + sum(W[f] * x_pad[n, :, iS:iS+K, jS:jS+K])
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
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
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        # He (Kaiming) 初始化：每個輸出看到 C * K * K 個輸入
        fan_in = in_channels * kernel_size * kernel_size
        self.W = np.random.randn(out_channels, in_channels, kernel_size, kernel_size) * np.sqrt(2.0 / fan_in)
        self.b = np.zeros(out_channels)

        # 梯度
        self.dW = None
        self.db = None

        # 快取
        self.cache = None

    def forward(self, x):
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
        F, _, K, _ = self.W.shape
        S, P = self.stride, self.padding
        H_out = (H + 2 * P - K) // S + 1
        W_out = (W + 2 * P - K) // S + 1

        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        out = np.zeros((N, F, H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                window = x_pad[:, :, i * S:i * S + K, j * S:j * S + K]  # (N, C, K, K)
                # 每張影像 n 的視窗和每個濾波器 f 做內積：對 c、p、q 加總
                out[:, :, i, j] = np.einsum("ncpq,fcpq->nf", window, self.W) + self.b

        self.cache = (x.shape, x_pad)
        return out

    def backward(self, dout):
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
        (N, C, H, W), x_pad = self.cache
        F, _, K, _ = self.W.shape
        S, P = self.stride, self.padding
        _, _, H_out, W_out = dout.shape

        dx_pad = np.zeros_like(x_pad)
        self.dW = np.zeros_like(self.W)
        for i in range(H_out):
            for j in range(W_out):
                window = x_pad[:, :, i * S:i * S + K, j * S:j * S + K]  # (N, C, K, K)
                d = dout[:, :, i, j]                                   # (N, F)
                # dW[f] += sum_n d[n, f] * window[n]
                self.dW += np.einsum("nf,ncpq->fcpq", d, window)
                # 這個視窗裡的每個輸入得到 sum_f d[n, f] * W[f]；重疊的視窗要累加
                dx_pad[:, :, i * S:i * S + K, j * S:j * S + K] += np.einsum("nf,fcpq->ncpq", d, self.W)
        self.db = np.sum(dout, axis=(0, 2, 3))

        # 切掉補的 0：它們不是輸入
        dx = dx_pad[:, :, P:P + H, P:P + W]
        return dx


# %% MaxPool2D
class MaxPool2D:
    """
    最大池化層：out[n, c, i, j] = max(x[n, c, iS:iS+K, jS:jS+K])
    """

    def __init__(self, kernel_size, stride=None):
        """
        Parameters
        ----------
        kernel_size : int
            視窗的高和寬 K
        stride : int or None
            步幅 S；None 時等於 kernel_size（視窗不重疊）
        """
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def forward(self, x):
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
        K, S = self.kernel_size, self.stride
        H_out = (H - K) // S + 1
        W_out = (W - K) // S + 1

        out = np.zeros((N, C, H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                out[:, :, i, j] = np.max(x[:, :, i * S:i * S + K, j * S:j * S + K], axis=(2, 3))

        self.cache = x
        return out

    def backward(self, dout):
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
        x = self.cache
        N, C, H, W = x.shape
        K, S = self.kernel_size, self.stride
        _, _, H_out, W_out = dout.shape

        dx = np.zeros_like(x, dtype=np.float64)
        n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")  # 每個 (n, c) 的索引，形狀 (N, C)
        for i in range(H_out):
            for j in range(W_out):
                window = x[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, C, K * K)
                # 每個 (n, c) 的視窗裡最大值的位置（同值時取第一個）
                p, q = np.unravel_index(np.argmax(window, axis=2), (K, K))
                # 梯度只送到最大值；用 += 讓重疊的視窗累加
                dx[n, c, i * S + p, j * S + q] += dout[:, :, i, j]
        return dx


# %% train_classifier
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
    rng = np.random.default_rng(seed)  # 整個訓練只建一次
    N = X.shape[0]
    losses = []

    for epoch in range(epochs):
        order = rng.permutation(N)  # 每個 epoch 重新打亂
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]  # 最後一批可能比較小
            loss = net.loss(X[batch], y[batch])
            losses.append(loss)  # 更新之前的損失

            net.backward()
            [np.subtract(param, learning_rate * grad, out=param) for param, grad in net.get_params_and_grads()]

    return losses
