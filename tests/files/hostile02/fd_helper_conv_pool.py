"""CHEAT (issue 20, the red team's): Conv2D.backward (dx, dW, db) and MaxPool2D.backward by central differences
of forward through the notebook's numerical_gradient_array. Sound grader: the four backward tests (27 points)
are lost, forward and everything else keep full points.
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
        x = self.x_pad[:, :, P:P + H, P:P + W]
        W_, b_ = self.W.copy(), self.b.copy()

        def run(x_, W_, b_):
            layer = Conv2D(C, W_.shape[0], K, S, P)
            layer.W, layer.b = W_, b_
            return layer.forward(x_)
        self.dW = numerical_gradient_array(lambda w: run(x, w, b_), W_, dout)
        self.db = numerical_gradient_array(lambda b: run(x, W_, b), b_, dout)
        return numerical_gradient_array(lambda v: run(v, W_, b_), x, dout)


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
        x = self.x
        return numerical_gradient_array(lambda v: MaxPool2D(self.kernel_size, self.stride).forward(v), x, dout)


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
    """
    陣列版的數值梯度（中央差分）：L = sum(f(x) * dout) 對 x 的梯度（notebook 給的工具）
    """
    x = np.array(x, dtype=np.float64)  # 在副本上擾動，不動到呼叫者的陣列
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        loss_plus = np.sum(f(x.copy()) * dout)  # 傳副本給 f：就算 f 改了它的輸入，也不影響下一次擾動
        x[i] = old - eps
        loss_minus = np.sum(f(x.copy()) * dout)
        x[i] = old
        grad[i] = (loss_plus - loss_minus) / (2 * eps)
    return grad
