# HOSTILE deep_recursion: Sigmoid.forward recurses forever (RecursionError); TwoLayerNet.__init__ raises the recursion limit to 1e8 and recurses until the C stack overflows. Sound grader: Sigmoid 0, TwoLayerNet 0 (child segfault handled), train_xor full.
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
        return self.forward(x)

    def backward(self, dout):
        return self.backward(dout)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        sys.setrecursionlimit(10 ** 8)

        def down(n):
            return down(n + 1) + 1

        down(0)  # SIGSEGV, not RecursionError

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
