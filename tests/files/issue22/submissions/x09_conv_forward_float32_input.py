"""Mistake in Conv2D.forward: casts x to float32 before padding, so forward (and the cached windows backward uses) carry float32 rounding. Built on walkthrough02/w01_einsum_fancy_index."""

import numpy as np


class FullyConnectedLayer:
    """
    全連接層的前向/反向傳播實作

    Y = XW + b
    """

    def __init__(self, in_features, out_features):
        """
        Parameters
        ----------
        in_features : int
            輸入維度 D
        out_features : int
            輸出維度 M
        """
        # He (Kaiming) 初始化：標準差 sqrt(2 / D)
        self.W = np.random.randn(in_features, out_features) * np.sqrt(2.0 / in_features)
        self.b = np.zeros(out_features)

        # 梯度
        self.dW = None
        self.db = None

        # 快取
        self.cache = None

    def forward(self, X):
        """
        前向傳播

        Parameters
        ----------
        X : np.ndarray, shape (N, D)
            輸入資料

        Returns
        -------
        Y : np.ndarray, shape (N, M)
            輸出
        """
        self.cache = X
        Y = X @ self.W + self.b
        return Y

    def backward(self, dY):
        """
        反向傳播

        Parameters
        ----------
        dY : np.ndarray, shape (N, M)
            損失對輸出的梯度 ∂L/∂Y

        Returns
        -------
        dX : np.ndarray, shape (N, D)
            損失對輸入的梯度 ∂L/∂X
        """
        X = self.cache

        # ∂L/∂W = X^T @ dY
        self.dW = X.T @ dY

        # ∂L/∂b = sum(dY, axis=0)
        self.db = np.sum(dY, axis=0)

        # ∂L/∂X = dY @ W^T
        dX = dY @ self.W.T

        return dX


class ReLU:
    """ReLU with np.maximum; the cache is the boolean mask x > 0."""

    def __init__(self):
        self.cache = None

    def forward(self, x):
        self.cache = x > 0
        return np.maximum(x, 0.0)

    def backward(self, dout):
        return np.where(self.cache, dout, 0.0)


def logsumexp_rows(a):
    """log(sum(exp(a), axis=1)) for each row, shifted by the row maximum (no overflow)."""
    m = np.max(a, axis=1, keepdims=True)
    return m + np.log(np.sum(np.exp(a - m), axis=1, keepdims=True))


class SoftmaxCrossEntropy:
    """Loss from a hand-written log-sum-exp; the probabilities are exp(log p)."""

    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        N = scores.shape[0]
        log_probs = scores - logsumexp_rows(scores)
        self.cache = (np.exp(log_probs), labels)
        return float(-np.mean(log_probs[np.arange(N), labels]))

    def backward(self, dout=1.0):
        probs, labels = self.cache
        N = probs.shape[0]
        dscores = probs.copy()
        dscores[np.arange(N), labels] -= 1.0
        return dout * dscores / N


class MLPClassifier:
    """
    兩層分類網路：FC1 → ReLU → FC2 → Softmax + Cross-Entropy
    """

    def __init__(self, in_features, hidden_features, classes):
        """
        Parameters
        ----------
        in_features : int
            輸入維度
        hidden_features : int
            隱藏層維度
        classes : int
            類別數
        """
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.relu = ReLU()
        self.fc2 = FullyConnectedLayer(hidden_features, classes)
        self.criterion = SoftmaxCrossEntropy()

    def forward(self, X):
        """
        Parameters
        ----------
        X : np.ndarray, shape (N, in_features)

        Returns
        -------
        scores : np.ndarray, shape (N, classes)
        """
        return self.fc2.forward(self.relu.forward(self.fc1.forward(X)))

    def loss(self, X, y):
        """
        前向傳播並計算平均損失

        Parameters
        ----------
        X : np.ndarray, shape (N, in_features)
        y : np.ndarray, shape (N,)
            正確類別

        Returns
        -------
        loss : float
        """
        return self.criterion.forward(self.forward(X), y)

    def backward(self):
        """
        從最近一次 loss(X, y) 的損失開始反向傳播，設定每一層的 dW、db

        Returns
        -------
        dX : np.ndarray, shape (N, in_features)
        """
        dscores = self.criterion.backward()
        dhidden = self.fc2.backward(dscores)
        dhidden = self.relu.backward(dhidden)
        return self.fc1.backward(dhidden)

    def get_params_and_grads(self):
        """
        Returns
        -------
        list of (param, grad)
            [(fc1.W, fc1.dW), (fc1.b, fc1.db), (fc2.W, fc2.dW), (fc2.b, fc2.db)]，網路自己的陣列（不是副本）
        """
        return [(self.fc1.W, self.fc1.dW), (self.fc1.b, self.fc1.db),
                (self.fc2.W, self.fc2.dW), (self.fc2.b, self.fc2.db)]

    def predict(self, X):
        """
        Returns
        -------
        labels : np.ndarray, shape (N,)
            分數最高的類別
        """
        return np.argmax(self.forward(X), axis=1)


def window_index(size, K, S, out_size):
    """rows[i, p] = i * S + p: the input rows read by window i."""
    return np.arange(out_size)[:, None] * S + np.arange(K)[None, :]


class Conv2D:
    """Conv2D with fancy-index windows and einsum only: no Python loop over positions."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        # He (Kaiming) 初始化：每個輸出看到 C * K * K 個輸入
        fan_in = in_channels * kernel_size * kernel_size
        self.W = np.random.randn(out_channels, in_channels, kernel_size, kernel_size) * np.sqrt(2.0 / fan_in)
        self.b = np.zeros(out_channels)
        self.dW = None
        self.db = None
        self.cache = None

    def forward(self, x):
        K, S, P = self.kernel_size, self.stride, self.padding
        x_pad = np.pad(x.astype(np.float32), ((0, 0), (0, 0), (P, P), (P, P)))
        H_out = (x_pad.shape[2] - K) // S + 1
        W_out = (x_pad.shape[3] - K) // S + 1
        rows = window_index(x_pad.shape[2], K, S, H_out)
        cols = window_index(x_pad.shape[3], K, S, W_out)
        index = (slice(None), slice(None), rows[:, None, :, None], cols[None, :, None, :])
        windows = x_pad[index]                              # (N, C, H', W', K, K)
        self.cache = (x.shape, x_pad.shape, index, windows)
        return np.einsum("nchwpq,fcpq->nfhw", windows, self.W) + self.b[None, :, None, None]

    def backward(self, dout):
        x_shape, pad_shape, index, windows = self.cache
        P = self.padding
        self.dW = np.einsum("nfhw,nchwpq->fcpq", dout, windows)
        self.db = np.einsum("nfhw->f", dout)
        dx_pad = np.zeros(pad_shape)
        np.add.at(dx_pad, index, np.einsum("nfhw,fcpq->nchwpq", dout, self.W))
        return dx_pad[:, :, P:P + x_shape[2], P:P + x_shape[3]]


class MaxPool2D:
    """Loop over output positions; argmax over the flattened window, divmod to (row, column)."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def forward(self, x):
        K, S = self.kernel_size, self.stride
        N, C, H, W = x.shape
        H_out, W_out = (H - K) // S + 1, (W - K) // S + 1
        out = np.empty((N, C, H_out, W_out))
        argmax = np.empty((N, C, H_out, W_out), dtype=np.int64)
        for i in range(H_out):
            for j in range(W_out):
                window = x[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, C, K * K)
                argmax[:, :, i, j] = window.argmax(axis=2)
                out[:, :, i, j] = window.max(axis=2)
        self.cache = (x.shape, argmax)
        return out

    def backward(self, dout):
        (N, C, H, W), argmax = self.cache
        K, S = self.kernel_size, self.stride
        dx = np.zeros((N, C, H, W))
        n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                r, s = np.divmod(argmax[:, :, i, j], K)
                dx[n, c, i * S + r, j * S + s] += dout[:, :, i, j]
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            losses.append(net.loss(X[batch], y[batch]))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param -= learning_rate * grad
    return losses
