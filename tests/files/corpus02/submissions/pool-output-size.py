"""Mistake in MaxPool2D (pool-output-size): H' = (H - K) // S without the + 1: the last row and column of windows are missing. Built on correct/c02_naive_loops.py."""

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
        self.x = None

    def forward(self, x):
        self.x = x
        return x * (x > 0)

    def backward(self, dout):
        return dout * (self.x > 0)


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
        N, C, H, W = x.shape
        F = self.out_channels
        K, S, P = self.kernel_size, self.stride, self.padding
        x_pad = np.zeros((N, C, H + 2 * P, W + 2 * P))
        x_pad[:, :, P:P + H, P:P + W] = x
        H_out = 1 + (H + 2 * P - K) // S
        W_out = 1 + (W + 2 * P - K) // S
        out = np.zeros((N, F, H_out, W_out))
        for n in range(N):
            for f in range(F):
                for i in range(H_out):
                    for j in range(W_out):
                        h0, w0 = i * S, j * S
                        out[n, f, i, j] = np.sum(x_pad[n, :, h0:h0 + K, w0:w0 + K] * self.W[f]) + self.b[f]
        self.cache = (x, x_pad)
        return out

    def backward(self, dout):
        x, x_pad = self.cache
        N, C, H, W = x.shape
        F, _, H_out, W_out = dout.shape[1], None, dout.shape[2], dout.shape[3]
        K, S, P = self.kernel_size, self.stride, self.padding
        dx_pad = np.zeros_like(x_pad)
        dW = np.zeros_like(self.W)
        db = np.zeros_like(self.b)
        for n in range(N):
            for f in range(F):
                for i in range(H_out):
                    for j in range(W_out):
                        h0, w0 = i * S, j * S
                        g = dout[n, f, i, j]
                        dW[f] += g * x_pad[n, :, h0:h0 + K, w0:w0 + K]
                        dx_pad[n, :, h0:h0 + K, w0:w0 + K] += g * self.W[f]
                        db[f] += g
        self.dW, self.db = dW, db
        return dx_pad[:, :, P:P + H, P:P + W]


class MaxPool2D:
    """Routes through an equality mask (the grader's inputs have no ties)."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride

    def forward(self, x):
        N, C, H, W = x.shape
        K, S = self.kernel_size, self.stride
        H_out, W_out = (H - K) // S, (W - K) // S
        out = np.zeros((N, C, H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                out[:, :, i, j] = x[:, :, i * S:i * S + K, j * S:j * S + K].max(axis=(2, 3))
        self.x, self.out = x, out
        return out

    def backward(self, dout):
        K, S = self.kernel_size, self.stride
        dx = np.zeros_like(self.x, dtype=float)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                window = self.x[:, :, i * S:i * S + K, j * S:j * S + K]
                mask = window == self.out[:, :, i, j][:, :, None, None]
                dx[:, :, i * S:i * S + K, j * S:j * S + K] += mask * dout[:, :, i, j][:, :, None, None]
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    losses = []
    epoch = 0
    while epoch < epochs:
        order = rng.permutation(len(X))
        start = 0
        while start < len(order):
            end = min(start + batch_size, len(order))
            X_batch, y_batch = X[order[start:end]], y[order[start:end]]
            losses.append(float(net.loss(X_batch, y_batch)))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param[...] = param - learning_rate * grad
            start = end
        epoch += 1
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
