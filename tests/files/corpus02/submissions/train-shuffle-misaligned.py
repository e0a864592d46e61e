"""Mistake in train_classifier (train-shuffle-misaligned): X and y are shuffled with two different permutations: labels no longer match their rows. Built on correct/c04_sliding_window_view.py."""

import numpy as np


try:
    from numpy.lib.stride_tricks import sliding_window_view
except ImportError:                      # numpy < 1.20: the same view built by hand
    def sliding_window_view(x, window_shape, axis):
        shape = list(x.shape)
        strides = list(x.strides)
        for size, ax in zip(window_shape, axis):
            shape[ax] = x.shape[ax] - size + 1
        shape += list(window_shape)
        strides += [x.strides[ax] for ax in axis]
        return np.lib.stride_tricks.as_strided(x, shape=shape, strides=strides, writeable=False)


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
    """Caches the output: out > 0 exactly where x > 0."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.where(x > 0, x, 0.0)
        return self.out

    def backward(self, dout):
        return np.where(self.out > 0, dout, 0.0)


class SoftmaxCrossEntropy:
    """Keeps scores and labels; backward recomputes the softmax."""

    def forward(self, scores, labels):
        self.scores = scores.copy()
        self.labels = labels
        m = np.amax(scores, axis=1)[:, None]
        log_z = m + np.log(np.sum(np.exp(scores - m), axis=1))[:, None]
        picked = np.take_along_axis(scores, np.asarray(labels)[:, None], axis=1)
        return np.mean(log_z - picked)

    def backward(self, dout=1.0):
        N, C = self.scores.shape
        m = np.amax(self.scores, axis=1)[:, None]
        e = np.exp(self.scores - m)
        p = e / np.sum(e, axis=1)[:, None]
        onehot = (np.asarray(self.labels)[:, None] == np.arange(C)).astype(float)
        return (p - onehot) * dout / N


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
        windows = sliding_window_view(x_pad, (K, K), axis=(2, 3))[:, :, ::S, ::S]   # (N, C, H', W', K, K)
        self.x_shape, self.x_pad, self.windows = x.shape, x_pad, windows
        return np.einsum("ncijkl,fckl->nfij", windows, self.W) + self.b[None, :, None, None]

    def backward(self, dout):
        K, S, P = self.kernel_size, self.stride, self.padding
        N, C, H, W = self.x_shape
        H_out, W_out = dout.shape[2:]
        self.dW = np.einsum("ncijkl,nfij->fckl", self.windows, dout)
        self.db = np.einsum("nfij->f", dout)
        dx_pad = np.zeros_like(self.x_pad)
        for k in range(K):
            for l in range(K):
                dx_pad[:, :, k:k + S * H_out:S, l:l + S * W_out:S] += np.einsum("nfij,fc->ncij", dout, self.W[:, :, k, l])
        return dx_pad[:, :, P:P + H, P:P + W]


class MaxPool2D:
    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = stride or kernel_size

    def forward(self, x):
        K, S = self.kernel_size, self.stride
        windows = sliding_window_view(x, (K, K), axis=(2, 3))[:, :, ::S, ::S]   # (N, C, H', W', K, K)
        N, C, H_out, W_out = windows.shape[:4]
        flat = windows.reshape(N, C, H_out, W_out, K * K)
        self.arg = flat.argmax(axis=-1)
        self.x_shape = x.shape
        return flat.max(axis=-1)

    def backward(self, dout):
        K, S = self.kernel_size, self.stride
        N, C, H_out, W_out = dout.shape
        n, c, i, j = np.indices((N, C, H_out, W_out))
        rows = i * S + self.arg // K
        cols = j * S + self.arg % K
        dx = np.zeros(self.x_shape)
        np.add.at(dx, (n, c, rows, cols), dout)
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    losses = []
    for _ in range(epochs):
        order = rng.permutation(N)
        X_shuffled, y_shuffled = X[order], y[rng.permutation(N)]
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
