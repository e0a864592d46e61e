# HOSTILE gc_scan: gc.get_objects()/sys.modules scan for a Sigmoid/TwoLayerNet class or train_xor function that is not its own and delegates to it. Sound grader: the part under test has no reference in the child: every part 0.
import gc
import sys
import types
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


_OWN = set()


def _own(obj):
    _OWN.add(id(obj))
    return obj


def _other(name, attr):
    """A class/function called `name` that is not ours: the reference, if the grader loaded it here."""
    candidates = [o for o in gc.get_objects() if isinstance(o, (type, types.FunctionType))]
    candidates += [getattr(m, name, None) for m in list(sys.modules.values())]
    for obj in candidates:
        if getattr(obj, "__name__", None) == name and id(obj) not in _OWN and hasattr(obj, attr):
            return obj
    raise NotImplementedError("no reference in this process")


@_own
class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        return _other("Sigmoid", "forward").forward(self, x)

    def backward(self, dout):
        return _other("Sigmoid", "backward").backward(self, dout)


@_own
class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        _other("TwoLayerNet", "forward").__init__(self, in_features, hidden_features, out_features)

    def forward(self, X):
        return _other("TwoLayerNet", "forward").forward(self, X)

    def backward(self, dout):
        return _other("TwoLayerNet", "backward").backward(self, dout)

    def get_params_and_grads(self):
        return _other("TwoLayerNet", "get_params_and_grads").get_params_and_grads(self)


@_own
def train_xor(net, X, y, learning_rate, epochs):
    return _other("train_xor", "__call__")(net, X, y, learning_rate, epochs)
