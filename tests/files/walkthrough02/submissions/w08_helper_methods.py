"""Classes with extra helper methods (__repr__, _pad, _window, _crop, _out_size, num_params)."""

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
    """ReLU with small helper methods."""

    def __init__(self):
        self.cache = None

    def __repr__(self):
        return "ReLU()"

    @staticmethod
    def _slope(x):
        return (x > 0).astype(np.float64)

    def forward(self, x):
        self.cache = self._slope(x)
        return x * self.cache

    def backward(self, dout):
        return self.cache * dout


class SoftmaxCrossEntropy:
    """Helper methods for the log-softmax and the one-hot."""

    def __init__(self):
        self.cache = None

    @staticmethod
    def _log_softmax(scores):
        shifted = scores - np.max(scores, axis=1, keepdims=True)
        return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))

    @staticmethod
    def _onehot(labels, classes):
        onehot = np.zeros((len(labels), classes))
        onehot[np.arange(len(labels)), labels] = 1.0
        return onehot

    def forward(self, scores, labels):
        log_probs = self._log_softmax(scores)
        onehot = self._onehot(labels, scores.shape[1])
        self.cache = (np.exp(log_probs), onehot)
        return -np.sum(onehot * log_probs) / scores.shape[0]

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
    """Conv2D with helper methods for padding, windows and cropping."""

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

    def __repr__(self):
        F, C, K, _ = self.W.shape
        return f"Conv2D({C}, {F}, {K}, stride={self.stride}, padding={self.padding})"

    def num_params(self):
        return self.W.size + self.b.size

    def _pad(self, x):
        P = self.padding
        return np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))

    def _crop(self, a, H, W):
        P = self.padding
        return a[:, :, P:P + H, P:P + W]

    def _window(self, a, i, j):
        K, S = self.kernel_size, self.stride
        return (slice(None), slice(None), slice(i * S, i * S + K), slice(j * S, j * S + K))

    def _out_size(self, size):
        return (size + 2 * self.padding - self.kernel_size) // self.stride + 1

    def forward(self, x):
        x_pad = self._pad(x)
        H_out, W_out = self._out_size(x.shape[2]), self._out_size(x.shape[3])
        out = np.zeros((x.shape[0], self.W.shape[0], H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                out[:, :, i, j] = np.einsum("nckl,fckl->nf", x_pad[self._window(x_pad, i, j)], self.W)
        out += self.b[None, :, None, None]
        self.cache = (x_pad, x.shape[2], x.shape[3])
        return out

    def backward(self, dout):
        x_pad, H, W = self.cache
        dx_pad = np.zeros_like(x_pad)
        self.dW = np.zeros_like(self.W)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                where = self._window(x_pad, i, j)
                self.dW += np.einsum("nf,nckl->fckl", dout[:, :, i, j], x_pad[where])
                dx_pad[where] += np.einsum("nf,fckl->nckl", dout[:, :, i, j], self.W)
        self.db = np.sum(dout, axis=(0, 2, 3))
        return self._crop(dx_pad, H, W)


class MaxPool2D:
    """MaxPool2D with helper methods (_out_size, _window, __repr__)."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def __repr__(self):
        return f"MaxPool2D({self.kernel_size}, stride={self.stride})"

    def _out_size(self, size):
        return (size - self.kernel_size) // self.stride + 1

    def _window(self, i, j):
        K, S = self.kernel_size, self.stride
        return (slice(None), slice(None), slice(i * S, i * S + K), slice(j * S, j * S + K))

    def forward(self, x):
        N, C, H, W = x.shape
        out = np.zeros((N, C, self._out_size(H), self._out_size(W)))
        for i in range(out.shape[2]):
            for j in range(out.shape[3]):
                out[:, :, i, j] = np.max(x[self._window(i, j)], axis=(2, 3))
        self.cache = x
        return out

    def backward(self, dout):
        x = self.cache
        N, C = x.shape[:2]
        K = self.kernel_size
        dx = np.zeros_like(x, dtype=np.float64)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                window = x[self._window(i, j)].reshape(N, C, K * K)
                mask = np.zeros_like(window, dtype=np.float64)
                np.put_along_axis(mask, window.argmax(axis=2)[..., None], 1.0, axis=2)
                dx[self._window(i, j)] += (mask * dout[:, :, i, j][..., None]).reshape(N, C, K, K)
        return dx


def minibatches(order, batch_size):
    """Consecutive pieces of order; the last one may be shorter."""
    for start in range(0, len(order), batch_size):
        yield order[start:start + batch_size]


def sgd_step(net, learning_rate):
    for param, grad in net.get_params_and_grads():
        param -= learning_rate * grad


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        for rows in minibatches(rng.permutation(X.shape[0]), batch_size):
            losses.append(net.loss(X[rows], y[rows]))
            net.backward()
            sgd_step(net, learning_rate)
    return losses
