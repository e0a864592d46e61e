# HOSTILE input_mutation: Sigmoid zeroes the caller's x/dout in place and returns sigma(0)=0.5 / 0, matching 'expected' values computed after the call from the mutated inputs. Sound grader: inputs are copied or expected values are computed from pristine inputs in the parent: every part 0.
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
        x[...] = 0  # poison the caller's array
        out = np.full(np.shape(x), 0.5)
        self.cache = out
        return out

    def backward(self, dout):
        dout[...] = 0
        return np.zeros(np.shape(dout))


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        raise NotImplementedError

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError


def train_xor(net, X, y, learning_rate, epochs):
    raise NotImplementedError
