"""Conv2D windows gathered by a 0/1 selection matrix (its transpose scatters dx); ReLU on a copy; softmax helper methods; pooling with scalar loops; param[...] = param - lr * grad."""

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


def selection_matrix(H_pad, W_pad, K, S):
    """0/1 matrix G with (G @ image.ravel())[((i * W' + j) * K + p) * K + q] = image[iS + p, jS + q]."""
    H_out = (H_pad - K) // S + 1
    W_out = (W_pad - K) // S + 1
    G = np.zeros((H_out * W_out * K * K, H_pad * W_pad))
    row = 0
    for i in range(H_out):
        for j in range(W_out):
            for p in range(K):
                for q in range(K):
                    G[row, (i * S + p) * W_pad + (j * S + q)] = 1.0
                    row += 1
    return G, H_out, W_out


class Conv2D:
    """Windows by a 0/1 selection matrix (an unrolled gather); its transpose scatters dx back."""

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
        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        G, H_out, W_out = selection_matrix(H + 2 * P, Wd + 2 * P, K, S)
        images = x_pad.reshape(N * C, -1)                                     # (N*C, Hp*Wp)
        gathered = (images @ G.T).reshape(N, C, H_out * W_out, K * K)        # exact: one 1 per row
        windows = gathered.transpose(0, 2, 1, 3).reshape(N, H_out * W_out, C * K * K)
        F = self.W.shape[0]
        out = windows @ self.W.reshape(F, -1).T + self.b
        self.cache = (x.shape, G, windows, H_out, W_out)
        return out.transpose(0, 2, 1).reshape(N, F, H_out, W_out)

    def backward(self, dout):
        (N, C, H, Wd), G, windows, H_out, W_out = self.cache
        K, P = self.kernel_size, self.padding
        F = self.W.shape[0]
        d = dout.reshape(N, F, H_out * W_out).transpose(0, 2, 1)             # (N, L, F)
        self.dW = np.tensordot(d, windows, axes=([0, 1], [0, 1])).reshape(self.W.shape)
        self.db = d.sum(axis=(0, 1))
        dwindows = (d @ self.W.reshape(F, -1)).reshape(N, H_out * W_out, C, K * K)
        dgathered = dwindows.transpose(0, 2, 1, 3).reshape(N * C, -1)
        dx_pad = (dgathered @ G).reshape(N, C, H + 2 * P, Wd + 2 * P)
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
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        X_shuffled, y_shuffled = X[order], y[order]
        for start in range(0, N, batch_size):
            stop = min(start + batch_size, N)
            losses.append(net.loss(X_shuffled[start:stop], y_shuffled[start:stop]))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param[...] = param - learning_rate * grad
    return losses
