"""Mistake in Conv2D (conv-dx-kernel-not-flipped): dx as the full correlation of dout with the kernel itself, not the flipped kernel. Built on correct/c07_full_correlation.py."""

import numpy as np


with np.errstate(divide="ignore"):
    LOG_ZERO = np.log(0.0)               # -inf, used only to say what must never come out
NEG_INF = LOG_ZERO


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
        self.positive = []
        self.shape = None

    def forward(self, x):
        self.shape = x.shape
        flat = np.asarray(x, dtype=float).ravel()
        out = np.zeros(flat.size)
        self.positive = []
        for i in range(flat.size):
            if flat[i] > 0:
                out[i] = flat[i]
                self.positive.append(i)
        return out.reshape(self.shape)

    def backward(self, dout):
        flat = np.asarray(dout, dtype=float).ravel()
        dx = np.zeros(flat.size)
        for i in self.positive:
            dx[i] = flat[i]
        return dx.reshape(self.shape)


class SoftmaxCrossEntropy:
    """Shift by the row maximum with np.subtract; dout defaults to the int 1."""

    def forward(self, scores, labels):
        scores = np.asarray(scores, dtype=np.float64)
        row_max = scores.max(axis=-1, keepdims=True)
        shifted = np.subtract(scores, row_max)
        log_sum = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        log_probs = shifted - log_sum
        self.N = scores.shape[0]
        self.probs = np.exp(log_probs)
        self.onehot = np.zeros(scores.shape)
        for row, label in enumerate(labels):
            self.onehot[row, label] = 1
        loss = -(self.onehot * log_probs).sum() / self.N
        assert loss > NEG_INF
        return loss

    def backward(self, dout=1):
        return (self.probs - self.onehot) / self.N * dout


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
    """Backward as in the lecture: dW = correlation of x with dout, dx = "full" correlation of the
    (stride-dilated) dout with the flipped kernel."""

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
        self.x_shape = x.shape
        self.x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
        windows = sliding_window_view(self.x_pad, (K, K), axis=(2, 3))[:, :, ::S, ::S]
        return np.tensordot(windows, self.W, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2) + self.b[:, None, None]

    def backward(self, dout):
        K, S, P = self.kernel_size, self.stride, self.padding
        N, C, H, W = self.x_shape
        Hp, Wp = H + 2 * P, W + 2 * P
        H_out, W_out = dout.shape[2:]
        # dout with S - 1 zeros between neighbours: the gradient of a stride-1 layer
        Hd, Wd = (H_out - 1) * S + 1, (W_out - 1) * S + 1
        dilated = np.zeros((N, dout.shape[1], Hd, Wd))
        dilated[:, :, ::S, ::S] = dout
        # dW[f, c, u, v] = sum over n, r, s of x_pad[n, c, u + r, v + s] * dilated[n, f, r, s]
        x_windows = sliding_window_view(self.x_pad, (Hd, Wd), axis=(2, 3))[:, :, :K, :K]
        self.dW = np.einsum("ncuvrs,nfrs->fcuv", x_windows, dilated)
        self.db = dilated.sum(axis=(0, 2, 3))
        # dx_pad = full correlation of dilated with the flipped kernel: pad K-1 before, and after
        # enough that the result covers all of x_pad (rows no window reached get 0)
        padded = np.pad(dilated, ((0, 0), (0, 0), (K - 1, Hp - Hd), (K - 1, Wp - Wd)))
        flipped = self.W
        d_windows = sliding_window_view(padded, (K, K), axis=(2, 3))         # (N, F, Hp, Wp, K, K)
        dx_pad = np.einsum("nfrsuv,fcuv->ncrs", d_windows, flipped)
        return dx_pad[:, :, P:P + H, P:P + W]


class MaxPool2D:
    """Routes through an equality mask (the grader's inputs have no ties)."""

    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride

    def forward(self, x):
        N, C, H, W = x.shape
        K, S = self.kernel_size, self.stride
        H_out, W_out = 1 + (H - K) // S, 1 + (W - K) // S
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
