"""Mistake in train_classifier (train-loss-per-epoch): records one mean loss per epoch instead of one loss per batch. Built on correct/c06_as_strided.py."""

import math
import numpy as np


def softmax(scores):
    shifted = scores - scores.max(axis=1)[:, None]
    e = np.exp(shifted)
    return e / e.sum(axis=1)[:, None]


def log_softmax(scores):
    shifted = scores - scores.max(axis=1)[:, None]
    return shifted - np.log(np.exp(shifted).sum(axis=1))[:, None]


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
    def forward(self, x):
        self.sign = np.sign(x)
        return (x + np.abs(x)) / 2

    def backward(self, dout):
        return dout * (self.sign == 1)


class SoftmaxCrossEntropy:
    def forward(self, scores, labels):
        N = len(scores)
        self.p = softmax(scores)
        self.y = labels
        return -log_softmax(scores)[range(N), labels].mean()

    def backward(self, dout=1.0):
        N = len(self.p)
        onehot = np.zeros_like(self.p)
        onehot[np.arange(N), self.y] = 1.0
        return dout / N * (self.p - onehot)


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

    def forward(self, x):
        K, S, P = self.kernel_size, self.stride, self.padding
        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        N, C, Hp, Wp = x_pad.shape
        H_out, W_out = (Hp - K) // S + 1, (Wp - K) // S + 1
        s0, s1, s2, s3 = x_pad.strides
        windows = np.lib.stride_tricks.as_strided(
            x_pad, shape=(N, C, H_out, W_out, K, K), strides=(s0, s1, s2 * S, s3 * S, s2, s3), writeable=False)
        out = np.tensordot(windows, self.W, axes=([1, 4, 5], [1, 2, 3]))        # (N, H', W', F)
        self.cache = (x.shape, x_pad, windows)
        return out.transpose(0, 3, 1, 2) + self.b[:, None, None]

    def backward(self, dout):
        (N, C, H, W), x_pad, windows = self.cache
        K, S, P = self.kernel_size, self.stride, self.padding
        self.dW = np.tensordot(dout, windows, axes=([0, 2, 3], [0, 2, 3]))     # (F, C, K, K)
        self.db = dout.sum(axis=(0, 2, 3))
        dx_pad = np.zeros(x_pad.shape)
        W_mat = self.W.reshape(self.W.shape[0], -1)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                dx_pad[:, :, i * S:i * S + K, j * S:j * S + K] += (dout[:, :, i, j] @ W_mat).reshape(N, C, K, K)
        return dx_pad[:, :, P:P + H, P:P + W]


class MaxPool2D:
    def __init__(self, kernel_size, stride=None):
        self.kernel_size, self.stride = kernel_size, (kernel_size if stride is None else stride)

    def forward(self, x):
        N, C, H, W = x.shape
        K, S = self.kernel_size, self.stride
        H_out, W_out = (H - K) // S + 1, (W - K) // S + 1
        flat_x = x.reshape(-1)
        base = (np.arange(N * C) * H * W).reshape(N, C, 1, 1)
        best = None
        for u in range(K):
            for v in range(K):
                idx = base + (np.arange(H_out) * S + u)[:, None] * W + (np.arange(W_out) * S + v)[None, :]
                if best is None:
                    best = idx
                else:
                    best = np.where(flat_x[idx] > flat_x[best], idx, best)
        self.best = best
        self.x_size = x.size
        self.x_shape = x.shape
        return flat_x[best]

    def backward(self, dout):
        dx = np.bincount(self.best.ravel(), weights=dout.ravel(), minlength=self.x_size)
        return dx.reshape(self.x_shape)


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    n_batches = math.ceil(N / batch_size)
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        epoch_losses = []
        for b in range(n_batches):
            idx = order[b * batch_size: min((b + 1) * batch_size, N)]
            epoch_losses.append(net.loss(X[idx, :], y[idx]))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param -= learning_rate * grad
        losses.append(np.mean(epoch_losses))
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
