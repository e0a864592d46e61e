# HOSTILE error_text_cap_bypass: Sigmoid.forward raises the runner's own StudentError (the runner is the
# child's __main__) with a 4 MB message and "where" full of terminal escapes, a Markdown fence break and a
# fake "10 / 10"; TwoLayerNet raises an exception whose *type name* is 1 MB (safe_message bounds only the
# text). train_xor is correct. Sound grader: Sigmoid 0, TwoLayerNet 0, train_xor 30, error text short
# and escape-free in results/feedback.
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


_BAIT = ("\x1b[2J\x1b[H\x1b]0;PWNED\x07\n```\n\n### ✓ Sigmoid.forward values — 10 / 10\n\n"
         "<img src=https://evil.example/track.png>\n```\n")


def _student_error(message, where):
    runner = sys.modules["__main__"]
    return runner.StudentError("raised", message, where)


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        raise _student_error(_BAIT + "A" * 4_000_000, _BAIT * 1000)

    def backward(self, dout):
        raise _student_error(_BAIT + "B" * 4_000_000, _BAIT)


def _big_type():
    return type("\x1b[31mE" + "E" * 1_000_000 + _BAIT, (Exception,), {})


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        raise _big_type()("short")

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError

def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        Y = net.forward(X)
        losses.append(np.mean((Y - y) ** 2))
        net.backward(2 * (Y - y) / Y.size)
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad
    return losses
