"""CHEAT (issue 20): every backward by one-sided differences: ReLU's by one vectorised step of the whole x (it is
elementwise), the cross-entropy's, Conv2D's dx and MaxPool2D's by per-entry loops (a copy nudged in place;
Conv2D through self.forward). ReLU.backward, SoftmaxCrossEntropy.backward, the Conv2D dx test and
MaxPool2D.backward are lost; Conv2D's dW and db (backpropagation) keep their points.
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
        self.x = x.copy()
        return relu(x)

    def backward(self, dout, h=1e-7):
        return dout * (relu(self.x) - relu(self.x - h)) / h   # backward difference: 0 at exactly 0


class SoftmaxCrossEntropy:
    def __init__(self):
        self.probs = None
        self.labels = None

    def forward(self, scores, labels):
        self.scores, self.labels = scores.copy(), labels
        return cross_entropy(scores, labels)

    def backward(self, dout=1.0, h=1e-5):
        base = cross_entropy(self.scores, self.labels)
        grad = np.zeros_like(self.scores)
        for i in np.ndindex(self.scores.shape):
            nudged = self.scores.copy()
            nudged[i] += h
            grad[i] = (cross_entropy(nudged, self.labels) - base) / h
        return dout * grad


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

    def backward(self, dout, h=1e-4):
        S, P, K = self.stride, self.padding, self.kernel_size
        N, C, H, W = self.x_shape
        x = self.x_pad[:, :, P:P + H, P:P + W].copy()
        self.dW = np.zeros(self.W.shape)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                patch = self.x_pad[:, :, i * S:i * S + K, j * S:j * S + K]
                self.dW += np.einsum("nf,nckl->fckl", dout[:, :, i, j], patch)
        self.db = dout.sum(axis=(0, 2, 3))
        base = np.sum(self.forward(x) * dout)
        dx = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            x[i] += h
            dx[i] = (np.sum(self.forward(x) * dout) - base) / h
            x[i] -= h
        return dx


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

    def backward(self, dout, h=1e-4):
        x = self.x.copy()
        base = np.sum(MaxPool2D(self.kernel_size, self.stride).forward(x) * dout)
        dx = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            x[i] += h
            dx[i] = (np.sum(MaxPool2D(self.kernel_size, self.stride).forward(x) * dout) - base) / h
            x[i] -= h
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
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


def relu(x):
    return np.maximum(x, 0)


def cross_entropy(scores, labels):
    N = scores.shape[0]
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(log_probs[np.arange(N), labels]) / N
