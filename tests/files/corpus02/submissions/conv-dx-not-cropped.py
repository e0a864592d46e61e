"""Mistake in Conv2D (conv-dx-not-cropped): backward returns the gradient of the padded input (N, C, H + 2P, W + 2P) without removing the padding. Built on correct/c05_kernel_offsets.py."""

import math
import numpy as np


class FullyConnectedLayer:
    """Y = X W + b (given, as in notebook 01)."""

    def __init__(self, in_features, out_features):
        # He (Kaiming) initialisation
        self.W = np.random.randn(in_features, out_features) * np.sqrt(2.0 / in_features)
        self.b = np.zeros(out_features)
        self.dW = None
        self.db = None
        self.cache = None

    def forward(self, X):
        self.cache = X
        return X @ self.W + self.b

    def backward(self, dY):
        X = self.cache
        self.dW = X.T @ dY
        self.db = np.sum(dY, axis=0)
        return dY @ self.W.T


class ReLU:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        self.cache = x.copy()
        return np.clip(x, 0, None)

    def backward(self, dout):
        # heaviside(x, 0.0) is 1 for x > 0 and 0 for x <= 0 (0 at exactly 0)
        return dout * np.heaviside(self.cache, 0.0)


class SoftmaxCrossEntropy:
    def forward(self, scores, labels):
        N = scores.shape[0]
        self.probs = np.zeros_like(scores, dtype=float)
        self.labels = [int(c) for c in labels]
        total = 0.0
        for i in range(N):
            row = scores[i]
            m = row.max()
            log_z = m + math.log(np.sum(np.exp(row - m)))
            self.probs[i] = np.exp(row - log_z)
            total += log_z - row[self.labels[i]]
        return total / N

    def backward(self, dout=1.0):
        N = self.probs.shape[0]
        grad = np.empty_like(self.probs)
        for i in range(N):
            grad[i] = self.probs[i]
            grad[i, self.labels[i]] -= 1.0
        return grad / N * dout


class MLPClassifier:
    """fc1 -> ReLU -> fc2 with softmax cross-entropy (given)."""

    def __init__(self, in_features, hidden_features, classes):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.relu = ReLU()
        self.fc2 = FullyConnectedLayer(hidden_features, classes)
        self.loss_layer = SoftmaxCrossEntropy()

    def scores(self, X):
        return self.fc2.forward(self.relu.forward(self.fc1.forward(X)))

    def loss(self, X, y):
        return self.loss_layer.forward(self.scores(X), y)

    def backward(self):
        dscores = self.loss_layer.backward()
        return self.fc1.backward(self.relu.backward(self.fc2.backward(dscores)))

    def predict(self, X):
        return np.argmax(self.scores(X), axis=1)

    def get_params_and_grads(self):
        return [(self.fc1.W, self.fc1.dW), (self.fc1.b, self.fc1.db),
                (self.fc2.W, self.fc2.dW), (self.fc2.b, self.fc2.db)]


class Conv2D:
    """Loops over the K*K kernel offsets instead of the output positions."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        fan_in = in_channels * kernel_size * kernel_size
        self.W = np.random.randn(out_channels, in_channels, kernel_size, kernel_size) * np.sqrt(2.0 / fan_in)
        self.b = np.zeros(out_channels)
        self.dW = None
        self.db = None

    def _out_hw(self, H, W):
        K, S, P = self.kernel_size, self.stride, self.padding
        return (H + 2 * P - K) // S + 1, (W + 2 * P - K) // S + 1

    def forward(self, x):
        N, C, H, W = x.shape
        K, S, P = self.kernel_size, self.stride, self.padding
        H_out, W_out = self._out_hw(H, W)
        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        out = np.zeros((N, self.out_channels, H_out, W_out))
        for k in range(K):
            for l in range(K):
                shifted = x_pad[:, :, k:k + S * H_out:S, l:l + S * W_out:S]         # (N, C, H', W')
                out += np.einsum("ncij,fc->nfij", shifted, self.W[:, :, k, l])
        out += self.b.reshape(1, -1, 1, 1)
        self.x_pad, self.in_hw = x_pad, (H, W)
        return out

    def backward(self, dout):
        K, S, P = self.kernel_size, self.stride, self.padding
        H, W = self.in_hw
        H_out, W_out = self._out_hw(H, W)
        dx_pad = np.zeros_like(self.x_pad)
        self.dW = np.empty_like(self.W)
        for k in range(K):
            for l in range(K):
                shifted = self.x_pad[:, :, k:k + S * H_out:S, l:l + S * W_out:S]
                self.dW[:, :, k, l] = np.einsum("nfij,ncij->fc", dout, shifted)
                dx_pad[:, :, k:k + S * H_out:S, l:l + S * W_out:S] += np.einsum("nfij,fc->ncij", dout, self.W[:, :, k, l])
        self.db = dout.sum(axis=3).sum(axis=2).sum(axis=0)
        return dx_pad


class MaxPool2D:
    """Non-overlapping windows by reshaping; overlapping ones by a loop over positions."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        if stride is None:
            stride = kernel_size
        self.stride = stride

    def forward(self, x):
        N, C, H, W = x.shape
        K, S = self.kernel_size, self.stride
        H_out, W_out = (H - K) // S + 1, (W - K) // S + 1
        self.x = x
        if S == K:
            crop = x[:, :, :H_out * K, :W_out * K]
            out = crop.reshape(N, C, H_out, K, W_out, K).max(axis=(3, 5))
        else:
            out = np.empty((N, C, H_out, W_out))
            for i in range(H_out):
                for j in range(W_out):
                    out[:, :, i, j] = np.max(x[:, :, i * S:i * S + K, j * S:j * S + K], axis=(2, 3))
        self.out = out
        return out

    def backward(self, dout):
        N, C, H, W = self.x.shape
        K, S = self.kernel_size, self.stride
        H_out, W_out = self.out.shape[2:]
        dx = np.zeros((N, C, H, W))
        if S == K:
            up = np.repeat(np.repeat(self.out, K, axis=2), K, axis=3)
            up_dout = np.repeat(np.repeat(dout, K, axis=2), K, axis=3)
            crop = self.x[:, :, :H_out * K, :W_out * K]
            dx[:, :, :H_out * K, :W_out * K] = (crop == up) * up_dout
            return dx
        for i in range(H_out):
            for j in range(W_out):
                window = self.x[:, :, i * S:i * S + K, j * S:j * S + K]
                mask = window == self.out[:, :, i:i + 1, j:j + 1]
                dx[:, :, i * S:i * S + K, j * S:j * S + K] += mask * dout[:, :, i:i + 1, j:j + 1]
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    """rng.shuffle of a fresh arange each epoch draws exactly rng.permutation(N)."""
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    losses = []
    for _ in range(epochs):
        order = np.arange(N)
        rng.shuffle(order)
        for b in range(-(-N // batch_size)):
            rows = order[b * batch_size:(b + 1) * batch_size]
            losses.append(net.loss(X[rows], y[rows]))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param -= grad * learning_rate
    return losses


def make_spiral(points_per_class=100, classes=3, noise=0.2, seed=0):
    """Spiral data (given): X (classes * points_per_class, 2), y ints."""
    rng = np.random.default_rng(seed)
    X = np.zeros((points_per_class * classes, 2))
    y = np.zeros(points_per_class * classes, dtype=int)
    for k in range(classes):
        rows = slice(points_per_class * k, points_per_class * (k + 1))
        r = np.linspace(0.0, 1.0, points_per_class)
        t = np.linspace(4.0 * k, 4.0 * (k + 1), points_per_class) + rng.standard_normal(points_per_class) * noise
        X[rows] = np.column_stack([r * np.sin(t), r * np.cos(t)])
        y[rows] = k
    return X, y


def relative_error(a, b):
    """Largest |a - b| / (|a| + |b| + 1e-8) (given)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8)))


def numerical_gradient_array(f, x, dout, eps=1e-5):
    """Central differences of sum(f(x) * dout) (given)."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + eps
        plus = np.sum(f(x) * dout)
        x[ix] = old - eps
        minus = np.sum(f(x) * dout)
        x[ix] = old
        grad[ix] = (plus - minus) / (2 * eps)
    return grad
