# HOSTILE patch_builtins: the Sigmoid class body replaces builtins abs/max/min/round/float/isinstance/all/any; methods return zeros. Sound grader: comparisons happen in the parent: every part 0 (the child may crash).
import builtins
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


class _AlwaysZero(float):
    def __new__(cls, *args, **kwargs):
        return super().__new__(cls, 0.0)


def _rig():
    builtins.abs = lambda x: 0
    builtins.max = lambda *a, **k: 0
    builtins.min = lambda *a, **k: 0
    builtins.round = lambda x, n=None: 0
    builtins.float = _AlwaysZero
    builtins.isinstance = lambda obj, cls: True
    builtins.all = lambda it: True
    builtins.any = lambda it: False


class Sigmoid:
    _rig()  # runs at import

    def __init__(self):
        self.cache = None

    def forward(self, x):
        return np.zeros(np.shape(x))  # wrong on purpose

    def backward(self, dout):
        return np.zeros(np.shape(dout))  # wrong on purpose


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = self.sigmoid = self.fc2 = None  # wrong on purpose: no layers
        self.out_features = out_features
        self.X = None

    def forward(self, X):
        self.X = X
        return np.zeros((len(X), self.out_features))

    def backward(self, dout):
        return np.zeros(np.shape(self.X))

    def get_params_and_grads(self):
        return []


def train_xor(net, X, y, learning_rate, epochs):
    return [0.0] * epochs  # wrong on purpose: no training
