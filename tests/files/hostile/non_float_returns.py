# HOSTILE non_float_returns: returns object arrays of None, string arrays, lists of None, complex arrays, generators of tuples and an infinite iterator. Sound grader: type/shape checks with bounded conversion: every part 0, no hang.
import itertools
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
        return np.full(np.shape(x), None, dtype=object)

    def backward(self, dout):
        return np.full(np.shape(dout), "0.25")  # strings that parse as floats


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1, self.sigmoid, self.fc2 = "fc1", "sigmoid", "fc2"
        self.X = None

    def forward(self, X):
        self.X = X
        return [None] * len(X)

    def backward(self, dout):
        return np.zeros(np.shape(self.X)) + 1j

    def get_params_and_grads(self):
        return ((None, None) for _ in range(4))


def train_xor(net, X, y, learning_rate, epochs):
    return itertools.repeat(0.25)  # infinite: list() of it never ends
