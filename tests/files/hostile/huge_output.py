# HOSTILE huge_output: TwoLayerNet.__init__ writes 50 MB to stdout (one line) and 10 MB to stderr. Sound grader: output drained and capped (~64 KB kept): TwoLayerNet 0, Sigmoid and train_xor full.
import sys
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


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        self.cache = out
        return out

    def backward(self, dout):
        return dout * self.cache * (1.0 - self.cache)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        chunk = "x" * (1 << 20)
        for _ in range(50):  # 50 MB, no newline
            sys.stdout.write(chunk)
        sys.stdout.flush()
        for _ in range(10):  # 10 MB of lines
            sys.stderr.write(("y" * 1023 + "\n") * 1024)
        raise NotImplementedError

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
