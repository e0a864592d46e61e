"""Mistake in Conv2D (conv-padding-on-output): forward correlates the unpadded x and then zero-pads the output by P (border values wrong; shape wrong when stride > 1). Built on correct/c10_cross_part_methods.py."""

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
        self.mask = None

    def forward(self, x):
        self.mask = x > 0
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * self.mask


class SoftmaxCrossEntropy:
    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        N, C = scores.shape
        z = scores - scores.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        onehot = np.eye(C)[labels]
        self.cache = (np.exp(log_p), onehot, N)
        return -np.sum(onehot * log_p) / N

    def backward(self, dout=1.0):
        p, onehot, N = self.cache
        return dout * (p - onehot) / N


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

    # added by the student, used by their train_classifier
    def sgd_step(self, learning_rate):
        for param, grad in self.get_params_and_grads():
            param -= learning_rate * grad


class Conv2D:
    """Defines a static helper that the student's MaxPool2D uses too."""

    @staticmethod
    def output_size(size, kernel_size, stride, padding):
        return (size + 2 * padding - kernel_size) // stride + 1

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
        N, C, H, W = x.shape
        K, S, P = self.kernel_size, self.stride, self.padding
        H_out = self.output_size(H, K, S, P)
        W_out = self.output_size(W, K, S, P)
        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        out = np.empty((N, self.out_channels, H_out, W_out))
        W_flat = self.W.reshape(self.out_channels, -1)
        H_valid = self.output_size(H, K, S, 0)
        W_valid = self.output_size(W, K, S, 0)
        valid = np.empty((N, self.out_channels, H_valid, W_valid))
        for i in range(H_valid):
            for j in range(W_valid):
                valid[:, :, i, j] = x[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, -1) @ W_flat.T
        valid += self.b[np.newaxis, :, np.newaxis, np.newaxis]
        out = np.pad(valid, ((0, 0), (0, 0), (P, P), (P, P)))
        self.cache = (x, x_pad)
        return out

    def backward(self, dout):
        x, x_pad = self.cache
        N, C, H, W = x.shape
        K, S, P = self.kernel_size, self.stride, self.padding
        W_flat = self.W.reshape(self.out_channels, -1)
        dx_pad = np.zeros_like(x_pad)
        dW_flat = np.zeros_like(W_flat)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                patch = x_pad[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, -1)
                dW_flat += dout[:, :, i, j].T @ patch
                dx_pad[:, :, i * S:i * S + K, j * S:j * S + K] += (dout[:, :, i, j] @ W_flat).reshape(N, C, K, K)
        self.dW = dW_flat.reshape(self.W.shape)
        self.db = np.sum(dout, axis=(0, 2, 3))
        return dx_pad[:, :, P:P + H, P:P + W]


class MaxPool2D:
    """Uses Conv2D.output_size, the static helper of the student's own Conv2D."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = self.kernel_size if stride is None else stride

    def forward(self, x):
        N, C, H, W = x.shape
        K, S = self.kernel_size, self.stride
        H_out = Conv2D.output_size(H, K, S, 0)
        W_out = Conv2D.output_size(W, K, S, 0)
        out = np.empty((N, C, H_out, W_out))
        self.argmax = np.empty((N, C, H_out, W_out), dtype=int)
        for i in range(H_out):
            for j in range(W_out):
                window = x[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, C, -1)
                self.argmax[:, :, i, j] = window.argmax(axis=2)
                out[:, :, i, j] = window.max(axis=2)
        self.x_shape = x.shape
        return out

    def backward(self, dout):
        K, S = self.kernel_size, self.stride
        dx = np.zeros(self.x_shape)
        N, C = dout.shape[:2]
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                win = dx[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, C, K * K).copy()
                win[np.arange(N)[:, None], np.arange(C)[None, :], self.argmax[:, :, i, j]] += dout[:, :, i, j]
                dx[:, :, i * S:i * S + K, j * S:j * S + K] = win.reshape(N, C, K, K)
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    """Uses sgd_step, a method the student added to their own MLPClassifier."""
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(X.shape[0])
        for start in range(0, X.shape[0], batch_size):
            idx = order[start:start + batch_size]
            losses.append(net.loss(X[idx], y[idx]))
            net.backward()
            net.sgd_step(learning_rate)
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
