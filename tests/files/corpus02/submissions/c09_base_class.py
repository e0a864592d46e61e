"""A student-defined base class Layer (windows staticmethod, __call__) used by all layers."""

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


class ReLU(Layer):
    def forward(self, x):
        self.keep = np.greater(x, 0)
        return np.multiply(x, self.keep)

    def backward(self, dout):
        return np.multiply(dout, self.keep)


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


class Conv2D(Layer):
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
        P = self.padding
        self.x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        self.x_hw = x.shape[2:]
        win = self.windows(self.x_pad, self.kernel_size, self.stride)       # (N, C, H', W', K, K)
        return np.einsum("ncijkl,fckl->nfij", win, self.W, optimize=True) + self.b[None, :, None, None]

    def backward(self, dout):
        K, S, P = self.kernel_size, self.stride, self.padding
        H, W = self.x_hw
        win = self.windows(self.x_pad, K, S)
        self.dW = np.einsum("ncijkl,nfij->fckl", win, dout, optimize=True)
        self.db = dout.sum(axis=(0, 2, 3))
        dx_pad = np.zeros_like(self.x_pad)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                dx_pad[:, :, i * S:i * S + K, j * S:j * S + K] += np.tensordot(dout[:, :, i, j], self.W, axes=1)
        return dx_pad[:, :, P:P + H, P:P + W]


class MaxPool2D(Layer):
    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride

    def forward(self, x):
        K = self.kernel_size
        win = self.windows(x, K, self.stride)                               # (N, C, H', W', K, K)
        flat = win.reshape(win.shape[:4] + (K * K,))
        self.arg = np.argmax(flat, axis=-1)
        self.x_shape = x.shape
        return np.take_along_axis(flat, self.arg[..., None], axis=-1)[..., 0]

    def backward(self, dout):
        K, S = self.kernel_size, self.stride
        dx = np.zeros(self.x_shape)
        N, C, H_out, W_out = dout.shape
        for i in range(H_out):
            for j in range(W_out):
                onehot = np.eye(K * K)[self.arg[:, :, i, j]]                    # (N, C, K*K)
                dx[:, :, i * S:i * S + K, j * S:j * S + K] += (onehot * dout[:, :, i, j, None]).reshape(N, C, K, K)
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
