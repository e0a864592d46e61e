"""Mistake in SoftmaxCrossEntropy (ce-default-dout-minus-one): backward's default is dout=-1.0, so backward() returns the negated gradient (training with it ascends the loss); backward(dout) with an explicit dout is right. Built on w03_im2col_col2im_add_at."""

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
    """x * (x > 0); the layer is also callable."""

    def __init__(self):
        self.cache = None

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        positive = (x > 0).astype(np.float64)
        self.cache = positive
        return x * positive

    def backward(self, dout):
        return dout * self.cache


class SoftmaxCrossEntropy:
    """One row at a time, the way the formula is written."""

    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        N, C = scores.shape
        probs = np.zeros((N, C))
        total = 0.0
        for i in range(N):
            row = scores[i] - np.max(scores[i])
            log_norm = np.log(np.sum(np.exp(row)))
            total += log_norm - row[labels[i]]
            probs[i] = np.exp(row - log_norm)
        self.cache = (probs, np.asarray(labels))
        return total / N

    def backward(self, dout=-1.0):
        probs, labels = self.cache
        N = probs.shape[0]
        dscores = probs.copy()
        for i in range(N):
            dscores[i, labels[i]] -= 1.0
        return dscores * (dout / N)


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


def im2col_indices(C, H_pad, W_pad, K, S):
    """Flat indices into one padded image (C, H_pad, W_pad): one row per output position, C*K*K columns."""
    H_out = (H_pad - K) // S + 1
    W_out = (W_pad - K) // S + 1
    c, p, q = np.meshgrid(np.arange(C), np.arange(K), np.arange(K), indexing="ij")
    offsets = (c * H_pad * W_pad + p * W_pad + q).reshape(-1)          # (C*K*K,)
    i, j = np.meshgrid(np.arange(H_out), np.arange(W_out), indexing="ij")
    starts = (i * S * W_pad + j * S).reshape(-1)                        # (H'*W',)
    return starts[:, None] + offsets[None, :], H_out, W_out


def im2col(x_pad, K, S):
    N, C, H_pad, W_pad = x_pad.shape
    idx, H_out, W_out = im2col_indices(C, H_pad, W_pad, K, S)
    flat = x_pad.reshape(N, -1)
    return flat[:, idx], H_out, W_out                                    # (N, H'*W', C*K*K)


def col2im(cols, pad_shape, K, S):
    """Adds every column entry back where it was read from (np.add.at: repeated indices accumulate)."""
    N, C, H_pad, W_pad = pad_shape
    idx, _, _ = im2col_indices(C, H_pad, W_pad, K, S)
    flat = np.zeros((N, C * H_pad * W_pad))
    for n in range(N):
        np.add.at(flat[n], idx, cols[n])
    return flat.reshape(pad_shape)


class Conv2D:
    """Own im2col by flat indices; col2im with np.add.at."""

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
        cols, H_out, W_out = im2col(x_pad, K, S)
        F = self.W.shape[0]
        out = cols @ self.W.reshape(F, -1).T + self.b                    # (N, H'*W', F)
        self.cache = (x.shape, x_pad.shape, cols)
        return out.transpose(0, 2, 1).reshape(x.shape[0], F, H_out, W_out)

    def backward(self, dout):
        x_shape, pad_shape, cols = self.cache
        K, S, P = self.kernel_size, self.stride, self.padding
        N, F = dout.shape[:2]
        d = dout.reshape(N, F, -1).transpose(0, 2, 1)                     # (N, H'*W', F)
        self.dW = np.einsum("nlf,nlk->fk", d, cols).reshape(self.W.shape)
        self.db = d.sum(axis=(0, 1))
        dcols = d @ self.W.reshape(F, -1)                                  # (N, H'*W', C*K*K)
        dx_pad = col2im(dcols, pad_shape, K, S)
        return dx_pad[:, :, P:P + x_shape[2], P:P + x_shape[3]]


class MaxPool2D:
    """Pooling windows gathered with index arrays; np.add.at scatters dout back to the maxima."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def _index(self, H, W):
        K, S = self.kernel_size, self.stride
        H_out, W_out = (H - K) // S + 1, (W - K) // S + 1
        rows = (np.arange(H_out)[:, None] * S + np.arange(K)[None, :])    # (H', K)
        cols = (np.arange(W_out)[:, None] * S + np.arange(K)[None, :])    # (W', K)
        return rows[:, None, :, None], cols[None, :, None, :], H_out, W_out

    def forward(self, x):
        N, C, H, W = x.shape
        K = self.kernel_size
        rows, cols, H_out, W_out = self._index(H, W)
        windows = x[:, :, rows, cols].reshape(N, C, H_out, W_out, K * K)
        self.cache = (x.shape, windows.argmax(axis=4))
        return windows.max(axis=4)

    def backward(self, dout):
        (N, C, H, W), argmax = self.cache
        K, S = self.kernel_size, self.stride
        H_out, W_out = argmax.shape[2], argmax.shape[3]
        n, c, i, j = np.indices((N, C, H_out, W_out))
        dx = np.zeros((N, C, H, W))
        np.add.at(dx, (n, c, i * S + argmax // K, j * S + argmax % K), dout)
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
