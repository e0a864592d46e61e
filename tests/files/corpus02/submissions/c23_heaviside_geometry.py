"""Heaviside ReLU, shared geometry conv, argmax dict pooling."""

import numpy as np


class Layer:
    """The student's own base class: call a layer like a function."""

    def __call__(self, *args):
        return self.forward(*args)

    @staticmethod
    def windows(x, kernel_size, stride):
        """All K x K windows of x (N, C, H, W) at the given stride: (N, C, H', W', K, K) view."""
        N, C, H, W = x.shape
        H_out = (H - kernel_size) // stride + 1
        W_out = (W - kernel_size) // stride + 1
        sN, sC, sH, sW = x.strides
        return np.lib.stride_tricks.as_strided(
            x, shape=(N, C, H_out, W_out, kernel_size, kernel_size),
            strides=(sN, sC, sH * stride, sW * stride, sH, sW), writeable=False)


def logsumexp_rows(s):
    """log(sum(exp(s), axis=1)) without overflow: shift by each row's max."""
    m = np.max(s, axis=1, keepdims=True)
    return m + np.log(np.sum(np.exp(s - m), axis=1, keepdims=True))


def output_size(size, kernel_size, stride, padding=0):
    """Number of window positions along one axis: (size + 2P - K) // S + 1."""
    return (size + 2 * padding - kernel_size) // stride + 1


def pad_hw(x, padding):
    """Zero padding of the last two axes."""
    if padding == 0:
        return x.copy()
    N, C, H, W = x.shape
    out = np.zeros((N, C, H + 2 * padding, W + 2 * padding), dtype=float)
    out[:, :, padding:padding + H, padding:padding + W] = x
    return out


def unpad_hw(x_pad, padding):
    if padding == 0:
        return x_pad
    return x_pad[:, :, padding:-padding, padding:-padding]


# axes of a (N, C, H, W) batch, built once by a loop
AXIS = {}
for position, name in enumerate("NCHW"):
    AXIS[name] = position
SPATIAL_AXES = (AXIS["H"], AXIS["W"])
SUM_AXES_FOR_BIAS = tuple(AXIS[name] for name in "NHW")


def iterate_minibatches(order, batch_size):
    """Consecutive slices of order, the last one possibly shorter."""
    start = 0
    while start < len(order):
        yield order[start:start + batch_size]
        start += batch_size


def sgd_update(params_and_grads, learning_rate):
    for param, grad in params_and_grads:
        np.subtract(param, learning_rate * grad, out=param)


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


class SoftmaxCrossEntropy(Layer):
    def forward(self, scores, labels):
        N = scores.shape[0]
        self.rows = np.arange(N)
        self.labels = labels
        log_probs = scores - logsumexp_rows(scores)
        self.dscores_unit = np.exp(log_probs)
        self.dscores_unit[self.rows, labels] -= 1.0
        self.dscores_unit /= N
        return -log_probs[self.rows, labels].mean()

    def backward(self, dout=1.0):
        return self.dscores_unit * dout


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
        self.stride = stride
        self.padding = padding
        self.kernel_size = kernel_size
        std = np.sqrt(2.0 / (in_channels * kernel_size ** 2))
        self.W = np.random.normal(0.0, std, size=(out_channels, in_channels, kernel_size, kernel_size))
        self.b = np.zeros((out_channels,))
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)

    def forward(self, x):
        N, C, H, W = x.shape
        K, S, P = self.kernel_size, self.stride, self.padding
        H_out = output_size(H, K, S, P)
        W_out = output_size(W, K, S, P)
        self.x_pad = pad_hw(x, P)
        W_flat = self.W.reshape(len(self.W), -1)
        out = np.empty((N, len(self.W), H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                window = self.x_pad[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, -1)
                out[:, :, i, j] = window @ W_flat.T + self.b
        return out

    def backward(self, dout):
        N = dout.shape[0]
        K, S, P = self.kernel_size, self.stride, self.padding
        W_flat = self.W.reshape(len(self.W), -1)
        dx_pad = np.zeros_like(self.x_pad)
        dW_flat = np.zeros_like(W_flat)
        for i in range(dout.shape[AXIS["H"]]):
            for j in range(dout.shape[AXIS["W"]]):
                window = self.x_pad[:, :, i * S:i * S + K, j * S:j * S + K].reshape(N, -1)
                g = dout[:, :, i, j]
                dW_flat += g.T @ window
                dx_pad[:, :, i * S:i * S + K, j * S:j * S + K] += (g @ W_flat).reshape(N, -1, K, K)
        self.dW = dW_flat.reshape(self.W.shape)
        self.db = dout.sum(axis=SUM_AXES_FOR_BIAS)
        return unpad_hw(dx_pad, P)


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
        return out

    def backward(self, dout):
        dx = np.zeros(self.x_shape)
        for (n, c, i, j), (r, s) in self.positions.items():
            dx[n, c, r, s] += dout[n, c, i, j]
        return dx


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        for batch in iterate_minibatches(rng.permutation(len(X)), batch_size):
            losses.append(net.loss(X[batch], y[batch]))
            net.backward()
            sgd_update(net.get_params_and_grads(), learning_rate)
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
