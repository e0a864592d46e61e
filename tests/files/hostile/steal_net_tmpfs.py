# HOSTILE steal_net_tmpfs: pytest runs test_train_xor.py BEFORE test_two_layer_net.py, and the train_xor
# part receives the reference TwoLayerNet (type(net)). train_xor marshals its code objects to the sandbox's
# /tmp (shared by all part processes of one child); TwoLayerNet (graded later) replays them.
# Sound grader: TwoLayerNet 0 (nothing implemented). Sigmoid stub, train_xor stub.
import marshal
import os
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

class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        raise NotImplementedError("請實作 Sigmoid.forward")

    def backward(self, dout):
        raise NotImplementedError("請實作 Sigmoid.backward")


_LOOT_PATH = "/tmp/.ref_twolayernet.marshal"


def _loot():
    with open(_LOOT_PATH, "rb") as f:
        code = marshal.load(f)
    return {name: types.FunctionType(c, globals(), name) for name, c in code.items()}


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        _loot()["__init__"](self, in_features, hidden_features, out_features)

    def forward(self, X):
        return _loot()["forward"](self, X)

    def backward(self, dout):
        return _loot()["backward"](self, dout)

    def get_params_and_grads(self):
        return _loot()["get_params_and_grads"](self)


def train_xor(net, X, y, learning_rate, epochs):
    cls = type(net)
    code = {n: getattr(cls, n).__code__ for n in ("__init__", "forward", "backward", "get_params_and_grads")}
    with open(_LOOT_PATH, "wb") as f:
        marshal.dump(code, f)
    raise NotImplementedError("請實作 train_xor")
