"""Mistake in ReLU (relu-modifies-input): ReLU.forward zeroes the negatives of the caller's x in place and returns x itself. Built on correct/c03_im2col.py."""

import functools
import numpy as np


def logsumexp_rows(s):
    """log(sum(exp(s), axis=1)) without overflow: shift by each row's max."""
    m = np.max(s, axis=1, keepdims=True)
    return m + np.log(np.sum(np.exp(s - m), axis=1, keepdims=True))


@functools.lru_cache(maxsize=None)
def im2col_indices(x_shape, kernel_size, stride, padding):
    """Index arrays (k, i, j) such that x_pad[:, k, i, j] is (N, C*K*K, H'*W'), CS231n style."""
    _, C, H, W = x_shape
    K, S, P = kernel_size, stride, padding
    H_out = (H + 2 * P - K) // S + 1
    W_out = (W + 2 * P - K) // S + 1
    i0 = np.tile(np.repeat(np.arange(K), K), C)
    i1 = S * np.repeat(np.arange(H_out), W_out)
    j0 = np.tile(np.arange(K), K * C)
    j1 = S * np.tile(np.arange(W_out), H_out)
    i = i0.reshape(-1, 1) + i1.reshape(1, -1)
    j = j0.reshape(-1, 1) + j1.reshape(1, -1)
    k = np.repeat(np.arange(C), K * K).reshape(-1, 1)
    return k, i, j, H_out, W_out


def im2col(x, kernel_size, stride, padding):
    """x (N, C, H, W) -> cols (C*K*K, H'*W'*N)."""
    P = padding
    x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)), mode="constant")
    k, i, j, _, _ = im2col_indices(x.shape, kernel_size, stride, padding)
    cols = x_pad[:, k, i, j]
    C_KK = cols.shape[1]
    return cols.transpose(1, 2, 0).reshape(C_KK, -1)


def col2im(cols, x_shape, kernel_size, stride, padding):
    """Adjoint of im2col: sums every column entry back into its input position."""
    N, C, H, W = x_shape
    P = padding
    x_pad = np.zeros((N, C, H + 2 * P, W + 2 * P), dtype=cols.dtype)
    k, i, j, _, _ = im2col_indices(x_shape, kernel_size, stride, padding)
    cols_reshaped = cols.reshape(C * kernel_size * kernel_size, -1, N).transpose(2, 0, 1)
    np.add.at(x_pad, (slice(None), k, i, j), cols_reshaped)
    return x_pad[:, :, P:P + H, P:P + W]


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
        self.negative = None

    def forward(self, x):
        out = x
        self.negative = out <= 0
        out[self.negative] = 0.0
        return out

    def backward(self, dout):
        dx = np.array(dout, dtype=float, copy=True)
        dx[self.negative] = 0.0
        return dx


class SoftmaxCrossEntropy:
    def forward(self, scores, labels):
        self.labels = np.asarray(labels, dtype=int)
        lse = logsumexp_rows(scores)
        self.probs = np.exp(scores - lse)
        N = scores.shape[0]
        return float(np.mean(lse[:, 0] - scores[np.arange(N), self.labels]))

    def backward(self, dout=1.0):
        N = len(self.labels)
        grad = self.probs.copy()
        grad[np.arange(N), self.labels] -= 1.0
        return grad * (dout / N)


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
        N = x.shape[0]
        F = self.W.shape[0]
        K, S, P = self.kernel_size, self.stride, self.padding
        _, _, _, H_out, W_out = im2col_indices(x.shape, K, S, P)
        cols = im2col(x, K, S, P)                                # (C*K*K, H'*W'*N)
        out = self.W.reshape(F, -1) @ cols + self.b.reshape(-1, 1)
        out = out.reshape(F, H_out, W_out, N).transpose(3, 0, 1, 2)
        self.cache = (x.shape, cols)
        return out

    def backward(self, dout):
        x_shape, cols = self.cache
        F = self.W.shape[0]
        dout_mat = dout.transpose(1, 2, 3, 0).reshape(F, -1)    # (F, H'*W'*N)
        self.db = np.sum(dout, axis=(0, 2, 3))
        self.dW = (dout_mat @ cols.T).reshape(self.W.shape)
        dcols = self.W.reshape(F, -1).T @ dout_mat
        return col2im(dcols, x_shape, self.kernel_size, self.stride, self.padding)


class MaxPool2D:
    """Uses the same im2col / col2im helpers as the Conv2D cell."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride

    def forward(self, x):
        N, C, H, W = x.shape
        K, S = self.kernel_size, self.stride
        _, _, _, H_out, W_out = im2col_indices((N * C, 1, H, W), K, S, 0)
        cols = im2col(x.reshape(N * C, 1, H, W), K, S, 0)                 # (K*K, H'*W'*N*C)
        self.arg = np.argmax(cols, axis=0)
        self.cols_shape = cols.shape
        self.x_shape = x.shape
        out = cols[self.arg, np.arange(cols.shape[1])]
        return out.reshape(H_out, W_out, N, C).transpose(2, 3, 0, 1)

    def backward(self, dout):
        N, C, H, W = self.x_shape
        dcols = np.zeros(self.cols_shape)
        dcols[self.arg, np.arange(dcols.shape[1])] = dout.transpose(2, 3, 0, 1).ravel()
        dx = col2im(dcols, (N * C, 1, H, W), self.kernel_size, self.stride, 0)
        return dx.reshape(self.x_shape)


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = len(y)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(N)
        for batch in np.split(order, np.arange(batch_size, N, batch_size)):
            losses.append(net.loss(X[batch], y[batch]))
            net.backward()
            for p, g in net.get_params_and_grads():
                np.subtract(p, learning_rate * g, out=p)
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
