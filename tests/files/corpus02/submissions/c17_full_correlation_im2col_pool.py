"""Full-correlation backward with im2col pooling."""

import functools
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
        out = np.array(x, dtype=float, copy=True)
        self.negative = out <= 0
        out[self.negative] = 0.0
        return out

    def backward(self, dout):
        dx = np.array(dout, dtype=float, copy=True)
        dx[self.negative] = 0.0
        return dx


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
        flipped = self.W[:, :, ::-1, ::-1]
        d_windows = sliding_window_view(padded, (K, K), axis=(2, 3))         # (N, F, Hp, Wp, K, K)
        dx_pad = np.einsum("nfrsuv,fcuv->ncrs", d_windows, flipped)
        return dx_pad[:, :, P:P + H, P:P + W]


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
