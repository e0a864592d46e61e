"""Mistake in train_classifier (train-batch-count-floor-plus-one): N // batch_size + 1 batches per epoch: equal to ceil(N / B) unless B divides N, when the last batch is empty (a nan loss and nan gradients from the 0-row mean). Built on w10_per_image_functions."""

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


def correlate_image(image, W, b, S):
    """One padded image (C, Hp, Wp) against all F kernels: (F, H', W')."""
    F, C, K, _ = W.shape
    H_out = (image.shape[1] - K) // S + 1
    W_out = (image.shape[2] - K) // S + 1
    out = np.empty((F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            patch = image[:, i * S:i * S + K, j * S:j * S + K]
            out[:, i, j] = (W * patch).sum(axis=(1, 2, 3)) + b
    return out


def correlate_image_backward(image, W, S, g):
    """Gradients of one image's output g (F, H', W'): (d image, dW)."""
    F, C, K, _ = W.shape
    d_image = np.zeros_like(image)
    dW = np.zeros_like(W)
    for i in range(g.shape[1]):
        for j in range(g.shape[2]):
            patch = image[:, i * S:i * S + K, j * S:j * S + K]
            dW += g[:, i, j][:, None, None, None] * patch[None]
            d_image[:, i * S:i * S + K, j * S:j * S + K] += (g[:, i, j][:, None, None, None] * W).sum(axis=0)
    return d_image, dW


class Conv2D:
    """One image at a time through two module-level functions."""

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
        P = self.padding
        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        self.cache = (x.shape, x_pad)
        return np.stack([correlate_image(img, self.W, self.b, self.stride) for img in x_pad])

    def backward(self, dout):
        (N, C, H, W), x_pad = self.cache
        P = self.padding
        dx = np.empty((N, C, H, W))
        self.dW = np.zeros_like(self.W)
        for n in range(N):
            d_image, dW_n = correlate_image_backward(x_pad[n], self.W, self.stride, dout[n])
            dx[n] = d_image[:, P:P + H, P:P + W]
            self.dW += dW_n
        self.db = dout.sum(axis=(0, 2, 3))
        return dx


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


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    steps_per_epoch = N // batch_size + 1
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
