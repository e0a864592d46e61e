"""Conv2D cast to float64, forward and backward loop over output positions; ReLU slope by np.heaviside(x, 0); softmax recomputed lazily in backward; pooling by reshape when stride == kernel_size with a general loop otherwise; batches by np.split."""

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
    """Slope from np.heaviside(x, 0.0): 1 where x > 0, 0 where x <= 0 (the value at 0 is the second argument)."""

    def __init__(self):
        self.cache = None

    def forward(self, x):
        slope = np.heaviside(x, 0.0)
        self.cache = slope
        return x * slope

    def backward(self, dout):
        return dout * self.cache


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
    """Casts everything to float64; forward and backward loop over the output positions (i, j)."""

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
        x = np.asarray(x, dtype=np.float64)
        W = np.asarray(self.W, dtype=np.float64)
        b = np.asarray(self.b, dtype=np.float64)
        N, C, H, Wd = x.shape
        F = W.shape[0]
        x_pad = np.zeros((N, C, H + 2 * P, Wd + 2 * P), dtype=np.float64)
        x_pad[:, :, P:P + H, P:P + Wd] = x
        H_out = (H + 2 * P - K) // S + 1
        W_out = (Wd + 2 * P - K) // S + 1
        out = np.empty((N, F, H_out, W_out), dtype=np.float64)
        W_flat = W.reshape(F, -1)
        for i in range(H_out):
            for j in range(W_out):
                window = x_pad[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, -1)
                out[:, :, i, j] = window @ W_flat.T + b
        self.cache = (x_pad, (N, C, H, Wd))
        return out

    def backward(self, dout):
        x_pad, (N, C, H, Wd) = self.cache
        K, S, P = self.kernel_size, self.stride, self.padding
        dout = np.asarray(dout, dtype=np.float64)
        W = np.asarray(self.W, dtype=np.float64)
        F = W.shape[0]
        dW = np.zeros(W.shape, dtype=np.float64)
        dx_pad = np.zeros(x_pad.shape, dtype=np.float64)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                g = dout[:, :, i, j]                                          # (N, F)
                window = x_pad[:, :, i * S:i * S + K, j * S:j * S + K]
                dW += (g.T @ window.reshape(N, -1)).reshape(W.shape)
                dx_pad[:, :, i * S:i * S + K, j * S:j * S + K] += (g @ W.reshape(F, -1)).reshape(N, C, K, K)
        self.dW = dW
        self.db = dout.sum(axis=(0, 2, 3), dtype=np.float64)
        return dx_pad[:, :, P:P + H, P:P + Wd]


class MaxPool2D:
    """reshape trick when the windows tile the input (stride == kernel_size); a general loop otherwise."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def forward(self, x):
        K, S = self.kernel_size, self.stride
        N, C, H, W = x.shape
        H_out, W_out = (H - K) // S + 1, (W - K) // S + 1
        if S == K:
            tiles = x[:, :, :H_out * K, :W_out * K].reshape(N, C, H_out, K, W_out, K)
            tiles = tiles.transpose(0, 1, 2, 4, 3, 5).reshape(N, C, H_out, W_out, K * K)
            self.cache = ("tiles", x.shape, tiles.argmax(axis=4))
            return tiles.max(axis=4)
        out = np.empty((N, C, H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                out[:, :, i, j] = x[:, :, i * S:i * S + K, j * S:j * S + K].max(axis=(2, 3))
        self.cache = ("loop", x, out)
        return out

    def backward(self, dout):
        K, S = self.kernel_size, self.stride
        if self.cache[0] == "tiles":
            _, (N, C, H, W), argmax = self.cache
            H_out, W_out = argmax.shape[2], argmax.shape[3]
            onehot = (np.arange(K * K) == argmax[..., None]) * dout[..., None]    # (N, C, H', W', K*K)
            tiles = onehot.reshape(N, C, H_out, W_out, K, K).transpose(0, 1, 2, 4, 3, 5)
            dx = np.zeros((N, C, H, W))
            dx[:, :, :H_out * K, :W_out * K] = tiles.reshape(N, C, H_out * K, W_out * K)
            return dx
        _, x, out = self.cache
        N, C = x.shape[:2]
        dx = np.zeros(x.shape)
        for i in range(out.shape[2]):
            for j in range(out.shape[3]):
                window = x[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, C, -1)
                first = np.arange(K * K) == window.argmax(axis=2)[..., None]
                dx[:, :, i * S:i * S + K, j * S:j * S + K] += (first * dout[:, :, i, j][..., None]).reshape(N, C, K, K)
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
