"""Mistake in Conv2D (conv-db-summed-over-filters): db = dout.sum(axis=(1, 2, 3)) sums over the filters and keeps the batch axis: shape (N,) instead of (F,). Built on w05_dataclass_layers."""

from dataclasses import dataclass, field
from typing import Optional

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


@dataclass
class ReLU:
    """ReLU as a dataclass: the cache is a field."""

    cache: Optional[np.ndarray] = None

    def forward(self, x):
        self.cache = np.greater(x, 0.0)
        return np.where(self.cache, x, 0.0)

    def backward(self, dout):
        return np.multiply(dout, self.cache)


@dataclass
class SoftmaxCrossEntropy:
    """Softmax + cross-entropy as a dataclass."""

    cache: Optional[tuple] = None

    def forward(self, scores, labels):
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(shifted).sum(axis=1))
        N = scores.shape[0]
        losses = log_norm - shifted[np.arange(N), labels]
        self.cache = (shifted, log_norm, labels)
        return float(losses.mean())

    def backward(self, dout=1.0):
        shifted, log_norm, labels = self.cache
        N = shifted.shape[0]
        grad = np.exp(shifted - log_norm[:, None])
        grad[np.arange(N), labels] -= 1.0
        return grad * (dout / N)


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


@dataclass
class Conv2D:
    """Conv2D as a dataclass: the given initialisation moves to __post_init__."""

    in_channels: int
    out_channels: int
    kernel_size: int
    stride: int = 1
    padding: int = 0
    W: np.ndarray = field(init=False, repr=False)
    b: np.ndarray = field(init=False, repr=False)
    dW: Optional[np.ndarray] = field(default=None, init=False, repr=False)
    db: Optional[np.ndarray] = field(default=None, init=False, repr=False)
    cache: Optional[tuple] = field(default=None, init=False, repr=False)

    def __post_init__(self):
        K = self.kernel_size
        fan_in = self.in_channels * K * K
        self.W = np.random.randn(self.out_channels, self.in_channels, K, K) * np.sqrt(2.0 / fan_in)
        self.b = np.zeros(self.out_channels)

    def forward(self, x):
        K, S, P = self.kernel_size, self.stride, self.padding
        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        H_out = (x_pad.shape[2] - K) // S + 1
        W_out = (x_pad.shape[3] - K) // S + 1
        out = np.empty((x.shape[0], self.W.shape[0], H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                window = x_pad[:, :, i * S:i * S + K, j * S:j * S + K]
                out[:, :, i, j] = np.tensordot(window, self.W, axes=([1, 2, 3], [1, 2, 3]))
        self.cache = (x.shape, x_pad)
        return out + self.b[:, None, None]

    def backward(self, dout):
        x_shape, x_pad = self.cache
        K, S, P = self.kernel_size, self.stride, self.padding
        dW = np.zeros_like(self.W)
        dx_pad = np.zeros_like(x_pad)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                g = dout[:, :, i, j]
                dW += np.tensordot(g, x_pad[:, :, i * S:i * S + K, j * S:j * S + K], axes=([0], [0]))
                dx_pad[:, :, i * S:i * S + K, j * S:j * S + K] += np.tensordot(g, self.W, axes=([1], [0]))
        self.dW, self.db = dW, dout.sum(axis=(1, 2, 3))
        return dx_pad[:, :, P:P + x_shape[2], P:P + x_shape[3]]


@dataclass
class MaxPool2D:
    """MaxPool2D as a dataclass; the stride default is filled in by __post_init__."""

    kernel_size: int
    stride: Optional[int] = None
    cache: Optional[tuple] = field(default=None, repr=False)

    def __post_init__(self):
        if self.stride is None:
            self.stride = self.kernel_size

    def forward(self, x):
        K, S = self.kernel_size, self.stride
        N, C, H, W = x.shape
        H_out, W_out = (H - K) // S + 1, (W - K) // S + 1
        out = np.empty((N, C, H_out, W_out))
        where = {}
        for i in range(H_out):
            for j in range(W_out):
                window = x[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, C, K * K)
                k = window.argmax(axis=2)
                where[i, j] = (i * S + k // K, j * S + k % K)
                out[:, :, i, j] = np.take_along_axis(window, k[..., None], axis=2)[..., 0]
        self.cache = (x.shape, where)
        return out

    def backward(self, dout):
        shape, where = self.cache
        N, C = shape[:2]
        dx = np.zeros(shape)
        n, c = np.ogrid[:N, :C]
        for (i, j), (r, s) in where.items():
            dx[n, c, r, s] += dout[:, :, i, j]
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    steps_per_epoch = -(-N // batch_size)                  # ceil(N / batch_size)
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        for k in range(steps_per_epoch):
            rows = order[k * batch_size:(k + 1) * batch_size]
            losses.append(float(net.loss(X[rows], y[rows])))
            net.backward()
            for param, grad in net.get_params_and_grads():
                np.subtract(param, learning_rate * grad, out=param)
    return losses
