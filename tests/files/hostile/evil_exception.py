# HOSTILE evil_exception: Sigmoid raises an exception whose str() is 20 MB of bait (with 'PASSED' and terminal escapes) and whose repr() raises; TwoLayerNet raises one whose str() never returns. Sound grader: error text is produced under the timeout and truncated: Sigmoid 0, TwoLayerNet 0, train_xor full.
import numpy as np


class FullyConnectedLayer:
    def __init__(self, in_features, out_features):
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


class _HugeError(Exception):
    def __str__(self):
        return "PASSED " * 10 + "\x1b[2J\x1b[H" + "z" * (20 << 20)

    def __repr__(self):
        raise RuntimeError("repr refused")


class _StuckError(Exception):
    def __str__(self):
        while True:
            pass

    __repr__ = __str__


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        raise _HugeError()

    def backward(self, dout):
        raise _HugeError()


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        raise _StuckError()

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError


def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        Y = net.forward(X)
        losses.append(np.mean((Y - y) ** 2))
        net.backward(2 * (Y - y) / Y.size)
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad
    return losses
