"""Mistake in Conv2D (conv-assumes-square): forward takes the output width equal to the output height (square images assumed): wrong shape, or an IndexError, whenever H' != W'. Built on w07_scalar_loops."""

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


def relu_fwd(x):
    """Pure forward: (out, mask)."""
    mask = x > 0
    return np.where(mask, x, 0.0), mask


def relu_bwd(dout, mask):
    """Pure backward."""
    return dout * mask


class ReLU:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        out, self.cache = relu_fwd(x)
        return out

    def backward(self, dout):
        return relu_bwd(dout, self.cache)


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

    def backward(self, dout=1.0):
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


class Conv2D:
    """The formula as written: one scalar multiply-add per (n, f, i, j, c, p, q)."""

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
        N, C, H, Wd = x.shape
        F = self.W.shape[0]
        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        H_out = (H + 2 * P - K) // S + 1
        W_out = H_out
        out = np.zeros((N, F, H_out, W_out))
        for n in range(N):
            for f in range(F):
                for i in range(H_out):
                    for j in range(W_out):
                        total = self.b[f]
                        for c in range(C):
                            for p in range(K):
                                for q in range(K):
                                    total += self.W[f, c, p, q] * x_pad[n, c, i * S + p, j * S + q]
                        out[n, f, i, j] = total
        self.cache = (x_pad, x.shape)
        return out

    def backward(self, dout):
        x_pad, (N, C, H, Wd) = self.cache
        K, S, P = self.kernel_size, self.stride, self.padding
        F, H_out, W_out = dout.shape[1], dout.shape[2], dout.shape[3]
        dx_pad = np.zeros(x_pad.shape)
        dW = np.zeros(self.W.shape)
        db = np.zeros(F)
        for n in range(N):
            for f in range(F):
                for i in range(H_out):
                    for j in range(W_out):
                        g = dout[n, f, i, j]
                        db[f] += g
                        for c in range(C):
                            for p in range(K):
                                for q in range(K):
                                    dW[f, c, p, q] += g * x_pad[n, c, i * S + p, j * S + q]
                                    dx_pad[n, c, i * S + p, j * S + q] += g * self.W[f, c, p, q]
        self.dW, self.db = dW, db
        return dx_pad[:, :, P:P + H, P:P + Wd]


class MaxPool2D:
    """Scalar loops; the first strictly larger value wins (as np.argmax)."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def forward(self, x):
        K, S = self.kernel_size, self.stride
        N, C, H, W = x.shape
        H_out, W_out = (H - K) // S + 1, (W - K) // S + 1
        out = np.zeros((N, C, H_out, W_out))
        pos = np.zeros((N, C, H_out, W_out, 2), dtype=np.int64)
        for n in range(N):
            for c in range(C):
                for i in range(H_out):
                    for j in range(W_out):
                        best, br, bs = x[n, c, i * S, j * S], i * S, j * S
                        for p in range(K):
                            for q in range(K):
                                v = x[n, c, i * S + p, j * S + q]
                                if v > best:
                                    best, br, bs = v, i * S + p, j * S + q
                        out[n, c, i, j] = best
                        pos[n, c, i, j] = (br, bs)
        self.cache = (x.shape, pos)
        return out

    def backward(self, dout):
        shape, pos = self.cache
        dx = np.zeros(shape)
        N, C, H_out, W_out = dout.shape
        for n in range(N):
            for c in range(C):
                for i in range(H_out):
                    for j in range(W_out):
                        r, s = pos[n, c, i, j]
                        dx[n, c, r, s] += dout[n, c, i, j]
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    n_batches = (N + batch_size - 1) // batch_size
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        batches = [order[k * batch_size:(k + 1) * batch_size] for k in range(n_batches)]
        for k, batch in enumerate(batches):
            loss = net.loss(X[batch], y[batch])
            losses.append(loss)
            net.backward()
            for param, grad in net.get_params_and_grads():
                param -= learning_rate * grad
    return losses
