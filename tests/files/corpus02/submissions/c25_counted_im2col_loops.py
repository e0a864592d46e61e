"""Counted ReLU, im2col loops, reshape pooling."""

import math
import numpy as np


FORWARD_CALLS = 0


def count_forward():
    global FORWARD_CALLS
    FORWARD_CALLS += 1
    return FORWARD_CALLS


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
    """Counts forward calls in a module-level counter (global statement in a helper)."""

    def forward(self, x):
        self.calls = count_forward()
        self.pos = x > 0
        return np.where(self.pos, x, np.zeros_like(x))

    def backward(self, dout):
        return np.where(self.pos, dout, np.zeros_like(dout))


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

    def _positions(self, H_out, W_out):
        return [(i, j) for i in range(H_out) for j in range(W_out)]

    def forward(self, x):
        N, C, H, W = x.shape
        K, S, P = self.kernel_size, self.stride, self.padding
        H_out = (H + 2 * P - K) // S + 1
        W_out = (W + 2 * P - K) // S + 1
        x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        rows = []
        for n in range(N):
            for i, j in self._positions(H_out, W_out):
                rows.append(x_pad[n, :, i * S:i * S + K, j * S:j * S + K].ravel())
        cols = np.array(rows)                                            # (N*H'*W', C*K*K)
        out = cols @ self.W.reshape(self.out_channels, -1).T + self.b     # (N*H'*W', F)
        self.cache = (x.shape, x_pad.shape, cols, H_out, W_out)
        return out.reshape(N, H_out, W_out, -1).transpose(0, 3, 1, 2)

    def backward(self, dout):
        (N, C, H, W), pad_shape, cols, H_out, W_out = self.cache
        K, S, P = self.kernel_size, self.stride, self.padding
        F = self.out_channels
        dout_rows = dout.transpose(0, 2, 3, 1).reshape(-1, F)               # (N*H'*W', F)
        self.dW = (dout_rows.T @ cols).reshape(self.W.shape)
        self.db = dout_rows.sum(axis=0)
        dcols = dout_rows @ self.W.reshape(F, -1)
        dx_pad = np.zeros(pad_shape)
        r = 0
        for n in range(N):
            for i, j in self._positions(H_out, W_out):
                dx_pad[n, :, i * S:i * S + K, j * S:j * S + K] += dcols[r].reshape(C, K, K)
                r += 1
        return dx_pad[:, :, P:P + H, P:P + W]


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
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    losses = []
    for _ in range(epochs):
        order = rng.permutation(N)
        X_shuffled, y_shuffled = X[order], y[order]
        for start in range(0, N, batch_size):
            stop = start + batch_size
            losses.append(net.loss(X_shuffled[start:stop], y_shuffled[start:stop]))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param += -learning_rate * grad
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
