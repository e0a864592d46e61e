# HOSTILE pickle_reduce: returns ndarray/float subclasses and raises an exception whose __reduce__ is (open, ('/tmp/autograder-pwned-pickle', 'w')), so unpickling in the parent runs code. Sound grader: the child sends plain data and the parent never unpickles student objects: every part 0, marker file absent on the host.
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


_MARKER = "/tmp/autograder-pwned-pickle"


class _PwnArray(np.ndarray):
    def __reduce_ex__(self, protocol):
        return (open, (_MARKER, "w"))  # runs wherever this is unpickled


class _PwnFloat(float):
    def __reduce_ex__(self, protocol):
        return (open, (_MARKER, "w"))


class _PwnError(Exception):
    def __reduce_ex__(self, protocol):
        return (open, (_MARKER, "w"))


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        return np.zeros(np.shape(x)).view(_PwnArray)

    def backward(self, dout):
        return np.zeros(np.shape(dout)).view(_PwnArray)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        raise _PwnError("boom")

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError


def train_xor(net, X, y, learning_rate, epochs):
    return [_PwnFloat(0.0)] * epochs
