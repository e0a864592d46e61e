"""Mistake in Conv2D (conv-pad-all-axes): np.pad(x, P) pads all four axes (N and C too), so with P > 0 the channel axis no longer matches W and forward raises ValueError; with P = 0 everything is right. Built on w11_functional_core."""

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


def softmax_ce_fwd(scores, labels):
    """Pure forward: (mean loss, probabilities)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    lse = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_probs = shifted - lse
    N = scores.shape[0]
    return -log_probs[np.arange(N), labels].sum() / N, np.exp(log_probs)


def softmax_ce_bwd(probs, labels, dout):
    """Pure backward: dout * (p - onehot) / N."""
    N = probs.shape[0]
    dLds = probs.copy()
    dLds[np.arange(N), labels] -= 1.0
    return dout * dLds / N


class SoftmaxCrossEntropy:
    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        loss, probs = softmax_ce_fwd(scores, labels)
        self.cache = (probs, labels)
        return loss

    def backward(self, dout=1.0):
        probs, labels = self.cache
        return softmax_ce_bwd(probs, labels, dout)


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


def conv_fwd(x, W, b, S, P):
    """Pure forward: (out, cache) with a loop over kernel offsets and strided slices."""
    F, C, K, _ = W.shape
    x_pad = np.pad(x, P)
    H_out = (x_pad.shape[2] - K) // S + 1
    W_out = (x_pad.shape[3] - K) // S + 1
    out = np.zeros((x.shape[0], F, H_out, W_out))
    for p in range(K):
        for q in range(K):
            sl = x_pad[:, :, p:p + S * (H_out - 1) + 1:S, q:q + S * (W_out - 1) + 1:S]
            out += np.einsum("nchw,fc->nfhw", sl, W[:, :, p, q])
    return out + b[None, :, None, None], (x.shape, x_pad, S, P)


def conv_bwd(dout, W, cache):
    """Pure backward: (dx, dW, db)."""
    (N, C, H, Wd), x_pad, S, P = cache
    K = W.shape[2]
    H_out, W_out = dout.shape[2], dout.shape[3]
    dW = np.zeros_like(W)
    dx_pad = np.zeros_like(x_pad)
    for p in range(K):
        for q in range(K):
            rows = slice(p, p + S * (H_out - 1) + 1, S)
            cols = slice(q, q + S * (W_out - 1) + 1, S)
            dW[:, :, p, q] = np.einsum("nfhw,nchw->fc", dout, x_pad[:, :, rows, cols])
            dx_pad[:, :, rows, cols] += np.einsum("nfhw,fc->nchw", dout, W[:, :, p, q])
    return dx_pad[:, :, P:P + H, P:P + Wd], dW, dout.sum(axis=(0, 2, 3))


class Conv2D:
    """Thin stateful wrapper around pure conv_fwd / conv_bwd."""

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
        out, self.cache = conv_fwd(x, self.W, self.b, self.stride, self.padding)
        return out

    def backward(self, dout):
        dx, self.dW, self.db = conv_bwd(dout, self.W, self.cache)
        return dx


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
