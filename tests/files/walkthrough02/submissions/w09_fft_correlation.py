"""Conv2D by FFT (circular correlation on the padded size), dW and dx by FFT of the dilated dout; reshape pooling; while loops."""

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


def logsumexp_rows(a):
    """log(sum(exp(a), axis=1)) for each row, shifted by the row maximum (no overflow)."""
    m = np.max(a, axis=1, keepdims=True)
    return m + np.log(np.sum(np.exp(a - m), axis=1, keepdims=True))


class SoftmaxCrossEntropy:
    """Loss from a hand-written log-sum-exp; the probabilities are exp(log p)."""

    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        N = scores.shape[0]
        log_probs = scores - logsumexp_rows(scores)
        self.cache = (np.exp(log_probs), labels)
        return float(-np.mean(log_probs[np.arange(N), labels]))

    def backward(self, dout=1.0):
        probs, labels = self.cache
        N = probs.shape[0]
        dscores = probs.copy()
        dscores[np.arange(N), labels] -= 1.0
        return dout * dscores / N


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
    """Circular cross-correlation by FFT on the padded size (no wrap-around reaches the kept positions)."""

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
        Hp, Wp = x_pad.shape[2], x_pad.shape[3]
        H_out, W_out = (Hp - K) // S + 1, (Wp - K) // S + 1
        Xf = np.fft.rfft2(x_pad, s=(Hp, Wp))
        Wf = np.fft.rfft2(self.W, s=(Hp, Wp))
        corr = np.fft.irfft2(np.einsum("nchw,fchw->nfhw", Xf, np.conj(Wf)), s=(Hp, Wp))
        out = corr[:, :, :S * (H_out - 1) + 1:S, :S * (W_out - 1) + 1:S]
        self.cache = (x.shape, x_pad, Xf)
        return out + self.b[None, :, None, None]

    def backward(self, dout):
        (N, C, H, W), x_pad, Xf = self.cache
        K, S, P = self.kernel_size, self.stride, self.padding
        Hp, Wp = x_pad.shape[2], x_pad.shape[3]
        dilated = np.zeros((N, dout.shape[1], Hp, Wp))
        dilated[:, :, :S * (dout.shape[2] - 1) + 1:S, :S * (dout.shape[3] - 1) + 1:S] = dout
        Df = np.fft.rfft2(dilated, s=(Hp, Wp))
        corr_w = np.fft.irfft2(np.einsum("nfhw,nchw->fchw", np.conj(Df), Xf), s=(Hp, Wp))
        self.dW = corr_w[:, :, :K, :K]
        self.db = dout.sum(axis=(0, 2, 3))
        Wf = np.fft.rfft2(self.W, s=(Hp, Wp))
        dx_pad = np.fft.irfft2(np.einsum("nfhw,fchw->nchw", Df, Wf), s=(Hp, Wp))
        return dx_pad[:, :, P:P + H, P:P + W]


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
