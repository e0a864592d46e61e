"""ReLU on a copy, lazy softmax, Conv2D by sliding_window_view, argmax pooling, np.split batches."""

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
    """Copy, then zero the copy's non-positive entries (the caller's x is never touched)."""

    def __init__(self):
        self.cache = None

    def forward(self, x):
        out = np.array(x, dtype=np.float64, copy=True)
        self.cache = out <= 0
        out[self.cache] = 0.0
        return out

    def backward(self, dout):
        dx = np.array(dout, dtype=np.float64, copy=True)
        dx[self.cache] = 0.0
        return dx


class SoftmaxCrossEntropy:
    """forward keeps a copy of the scores; backward recomputes the stable softmax."""

    def __init__(self):
        self.cache = None

    @staticmethod
    def _shifted(scores):
        return scores - np.max(scores, axis=1, keepdims=True)

    def forward(self, scores, labels):
        s = self._shifted(np.array(scores, dtype=np.float64))
        log_probs = s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))
        self.cache = (s, np.array(labels))
        return -np.sum(log_probs[np.arange(len(labels)), labels]) / len(labels)

    def backward(self, dout=1.0):
        s, labels = self.cache
        e = np.exp(s)
        probs = e / e.sum(axis=1, keepdims=True)
        probs[np.arange(len(labels)), labels] -= 1.0
        return probs * dout / len(labels)


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
        dx_pad = np.zeros((N, C, H + 2 * P, W + 2 * P))
        for p in range(K):
            for q in range(K):
                part = np.tensordot(dout, self.W[:, :, p, q], axes=([1], [0]))   # (N, H', W', C)
                dx_pad[:, :, p:p + S * H_out:S, q:q + S * W_out:S] += part.transpose(0, 3, 1, 2)
        return dx_pad[:, :, P:P + H, P:P + W]


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
    cuts = np.arange(batch_size, N, batch_size)           # batch_size, 2*batch_size, ... < N
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        for X_batch, y_batch in zip(np.split(X[order], cuts), np.split(y[order], cuts)):
            losses.append(net.loss(X_batch, y_batch))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param -= learning_rate * grad
    return losses
