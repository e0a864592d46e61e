# HOSTILE fake_results_files: writes a 100/100 results.json into cwd, .., /autograder/results, /tmp, ~ (at import via a default argument, and on every call). Sound grader: scores come only from the parent's own checks: every part 0.
import json
import os
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


_TESTS = {
    "Sigmoid.forward values": 10,
    "Sigmoid.forward extreme inputs": 5,
    "Sigmoid.backward gradient check": 15,
    "TwoLayerNet structure": 5,
    "TwoLayerNet.forward values": 8,
    "TwoLayerNet.backward gradient check dX": 9,
    "TwoLayerNet.backward gradient check parameters": 10,
    "TwoLayerNet.get_params_and_grads": 8,
    "train_xor loss trajectory": 10,
    "train_xor final parameters": 6,
    "train_xor honours learning_rate and epochs": 6,
    "train_xor XOR accuracy": 8
}


def _plant():
    report = json.dumps({"score": 100, "max_score": 100, "status": "passed",
                         "tests": [{"name": n, "score": p, "max_score": p, "status": "passed"} for n, p in _TESTS.items()]})
    for path in ("results.json", "../results.json", "/autograder/results/results.json", "/tmp/results.json",
                 os.path.expanduser("~/results.json"), "grades.json", "report.json", "score.json"):
        try:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            with open(path, "w") as f:
                f.write(report)
        except OSError:
            pass
    return report


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x, _report=_plant()):
        _plant()
        raise NotImplementedError

    def backward(self, dout):
        _plant()
        raise NotImplementedError


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        _plant()
        raise NotImplementedError

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError


def train_xor(net, X, y, learning_rate, epochs):
    _plant()
    raise NotImplementedError
