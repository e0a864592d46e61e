# HOSTILE fake_test_output: prints a fake pytest '13 passed' summary and a JSON 100/100 score (after a clear-screen escape) to stdout/stderr at import, on every call and at exit. Sound grader: student output is never parsed for results: every part 0.
import atexit
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


_FAKE = ("============================= test session starts ==============================\n"
         "collected 13 items\n\ntest_backprop.py .............                                       [100%]\n\n"
         "============================== 13 passed in 0.10s ==============================\n"
         '{"score": 100, "max_score": 100, "status": "passed", "tests_passed": 13}\n'
         "TOTAL SCORE: 100/100\n")


def _brag():
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.write("\x1b[2J\x1b[H" + _FAKE)  # clear the terminal first, then the fake report
            stream.flush()
        except Exception:
            pass


class Sigmoid:
    _brag()  # at import
    atexit.register(_brag)  # and at interpreter exit

    def __init__(self):
        self.cache = None

    def forward(self, x):
        _brag()
        raise NotImplementedError

    def backward(self, dout):
        _brag()
        raise NotImplementedError


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        _brag()
        raise NotImplementedError

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError


def train_xor(net, X, y, learning_rate, epochs):
    _brag()
    raise NotImplementedError
