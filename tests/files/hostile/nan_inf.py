# HOSTILE nan_inf: returns NaN/inf everywhere and train_xor sets every parameter to NaN, so `not (abs(a - b) > tol).any()` style checks pass. Sound grader: NaN never counts as close: every part 0.
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
        return np.full(np.shape(x), np.nan)

    def backward(self, dout):
        return np.full(np.shape(dout), np.inf)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = self.sigmoid = self.fc2 = None
        self.out_features = out_features
        self.X = None

    def forward(self, X):
        self.X = X
        return np.full((len(X), self.out_features), np.nan)

    def backward(self, dout):
        return np.full(np.shape(self.X), np.nan)

    def get_params_and_grads(self):
        return [(np.full(1, np.nan), np.full(1, np.inf))] * 4


def train_xor(net, X, y, learning_rate, epochs):
    for param, _ in net.get_params_and_grads():
        param[...] = np.nan
    return [float("nan")] * epochs
