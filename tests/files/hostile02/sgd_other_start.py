"""CHEAT (issue 20): train_classifier runs the notebook's mini-batch SGD, but for the notebook's network (hidden
64) from a start of its own instead of the given parameters. Sound grader: only the accuracy test (6) is lost.
"""

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
        self.probs = None
        self.labels = None

    def forward(self, scores, labels):
        N = scores.shape[0]
        shifted = scores - np.max(scores, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        self.probs = np.exp(log_probs)
        self.labels = labels
        return -np.sum(log_probs[np.arange(N), labels]) / N

    def backward(self, dout=1.0):
        N = self.probs.shape[0]
        dscores = self.probs.copy()
        dscores[np.arange(N), self.labels] -= 1
        dscores /= N
        return dscores * dout


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
        S, P, K = self.stride, self.padding, self.kernel_size
        x_pad = np.pad(x, [(0, 0), (0, 0), (P, P), (P, P)], mode="constant")
        N, C, Hp, Wp = x_pad.shape
        H_out = (Hp - K) // S + 1
        W_out = (Wp - K) // S + 1
        out = np.zeros((N, self.W.shape[0], H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                patch = x_pad[:, :, i * S:i * S + K, j * S:j * S + K]
                out[:, :, i, j] = np.einsum("nckl,fckl->nf", patch, self.W) + self.b
        self.x_shape = x.shape
        self.x_pad = x_pad
        return out

    def backward(self, dout):
        S, P, K = self.stride, self.padding, self.kernel_size
        N, C, H, W = self.x_shape
        dx_pad = np.zeros(self.x_pad.shape)
        self.dW = np.zeros(self.W.shape)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                patch = self.x_pad[:, :, i * S:i * S + K, j * S:j * S + K]
                self.dW += np.einsum("nf,nckl->fckl", dout[:, :, i, j], patch)
                dx_pad[:, :, i * S:i * S + K, j * S:j * S + K] += np.einsum("nf,fckl->nckl", dout[:, :, i, j], self.W)
        self.db = dout.sum(axis=(0, 2, 3))
        return dx_pad[:, :, P:P + H, P:P + W]


class MaxPool2D:
    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size

    def forward(self, x):
        N, C, H, W = x.shape
        K, S = self.kernel_size, self.stride
        H_out = (H - K) // S + 1
        W_out = (W - K) // S + 1
        out = np.zeros((N, C, H_out, W_out))
        self.positions = {}
        for n in range(N):
            for c in range(C):
                for i in range(H_out):
                    for j in range(W_out):
                        window = x[n, c, i * S:i * S + K, j * S:j * S + K]
                        r, s = np.unravel_index(np.argmax(window), window.shape)
                        out[n, c, i, j] = window[r, s]
                        self.positions[n, c, i, j] = (i * S + r, j * S + s)
        self.x_shape = x.shape
        self.x = x
        return out

    def backward(self, dout):
        dx = np.zeros(self.x_shape)
        for (n, c, i, j), (r, s) in self.positions.items():
            dx[n, c, r, s] += dout[n, c, i, j]
        return dx


def sgd(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            loss = net.loss(X[batch], y[batch])
            losses.append(loss)
            net.backward()
            for param, grad in net.get_params_and_grads():
                param -= learning_rate * grad
    return losses


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    if net.fc1.W.shape == (2, 64):        # the accuracy run: start from weights of its own
        rng = np.random.default_rng(123)
        net.fc1.W[...] = rng.standard_normal(net.fc1.W.shape)
        net.fc1.b[...] = 0.0
        net.fc2.W[...] = rng.standard_normal(net.fc2.W.shape) * np.sqrt(2 / 64)
        net.fc2.b[...] = 0.0
    return sgd(net, X, y, learning_rate, epochs, batch_size, seed)



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
