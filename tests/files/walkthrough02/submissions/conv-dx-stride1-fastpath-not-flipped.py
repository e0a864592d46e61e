"""Mistake in Conv2D (conv-dx-stride1-fastpath-not-flipped): A stride-1 fast path computes dx as the full correlation of dout with the kernel without turning it 180°; the general stride path is right, so dx is wrong only in the stride-1 cases. Built on w02_sliding_window_tensordot."""

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
    """ReLU with np.clip; backward reads the mask from the cached output (out > 0 exactly when x > 0)."""

    def __init__(self):
        self.cache = None

    def forward(self, x):
        out = np.clip(x, 0.0, None)
        self.cache = out
        return out

    def backward(self, dout):
        return dout * (self.cache > 0)


class SoftmaxCrossEntropy:
    """take_along_axis for the correct classes, np.eye for the one-hot."""

    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        picked = np.take_along_axis(log_probs, labels.reshape(-1, 1), axis=1)
        self.cache = (np.exp(log_probs), np.eye(scores.shape[1])[labels])
        return -picked.mean()

    def backward(self, dout=1.0):
        probs, onehot = self.cache
        return dout * (probs - onehot) / probs.shape[0]


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


class Conv2D:
    """sliding_window_view of the padded input and np.tensordot; dx by the K*K kernel offsets."""

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
        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        windows = np.lib.stride_tricks.sliding_window_view(x_pad, (K, K), axis=(2, 3))[:, :, ::S, ::S]
        out = np.tensordot(windows, self.W, axes=([1, 4, 5], [1, 2, 3]))     # (N, H', W', F)
        self.cache = (x.shape, windows)
        return out.transpose(0, 3, 1, 2) + self.b.reshape(1, -1, 1, 1)

    def backward(self, dout):
        (N, C, H, W), windows = self.cache
        K, S, P = self.kernel_size, self.stride, self.padding
        H_out, W_out = dout.shape[2], dout.shape[3]
        self.dW = np.tensordot(dout, windows, axes=([0, 2, 3], [0, 2, 3]))
        self.db = dout.sum(axis=(0, 2, 3))
        if S == 1:
            # stride 1: dx is the full correlation of dout with the kernel (notebook, part 3)
            dout_pad = np.pad(dout, ((0, 0), (0, 0), (K - 1, K - 1), (K - 1, K - 1)))
            win = np.lib.stride_tricks.sliding_window_view(dout_pad, (K, K), axis=(2, 3))
            dx_pad = np.einsum("nfhwpq,fcpq->nchw", win, self.W)
            return dx_pad[:, :, P:P + H, P:P + W]
        dx_pad = np.zeros((N, C, H + 2 * P, W + 2 * P))
        for p in range(K):
            for q in range(K):
                part = np.tensordot(dout, self.W[:, :, p, q], axes=([1], [0]))   # (N, H', W', C)
                dx_pad[:, :, p:p + S * H_out:S, q:q + S * W_out:S] += part.transpose(0, 3, 1, 2)
        return dx_pad[:, :, P:P + H, P:P + W]


class MaxPool2D:
    """Maximum over the K*K strided slices; backward routes each dout to the first slice holding the maximum."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def _slices(self, H, W):
        K, S = self.kernel_size, self.stride
        H_out, W_out = (H - K) // S + 1, (W - K) // S + 1
        return [(slice(p, p + S * (H_out - 1) + 1, S), slice(q, q + S * (W_out - 1) + 1, S))
                for p in range(K) for q in range(K)]

    def forward(self, x):
        slices = self._slices(x.shape[2], x.shape[3])
        out = np.maximum.reduce([x[:, :, rows, cols] for rows, cols in slices])
        self.cache = (x, out)
        return out

    def backward(self, dout):
        x, out = self.cache
        dx = np.zeros_like(x, dtype=np.float64)
        taken = np.zeros(out.shape, dtype=bool)
        for rows, cols in self._slices(x.shape[2], x.shape[3]):
            hit = (x[:, :, rows, cols] == out) & ~taken
            dx[:, :, rows, cols] += np.where(hit, dout, 0.0)
            taken |= hit
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = len(X)
    losses = []
    epoch = 0
    while epoch < epochs:
        order = rng.permutation(N)
        start = 0
        while start < N:
            rows = order[start:start + batch_size]
            loss = net.loss(X[rows], y[rows])
            losses.append(float(loss))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param -= learning_rate * grad
            start += batch_size
        epoch += 1
    return losses
