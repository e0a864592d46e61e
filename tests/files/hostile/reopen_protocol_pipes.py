# HOSTILE reopen_protocol_pipes: Linux lets a process open /proc/self/fd/N of a pipe in the *other*
# direction. TwoLayerNet.__init__ reopens the request pipe (fd 63) for writing and injects a forged
# request plus a forged "part" message, and reopens the reply pipe (fd 62) for reading to swallow what is
# pending. Sound grader: TwoLayerNet 0 (stub), Sigmoid and train_xor full, later requests unaffected.
import json
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


def _frame(obj):
    data = json.dumps(obj).encode()
    return struct.pack(">I", len(data)) + data


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        log = []
        try:
            w = os.open("/proc/self/fd/63", os.O_WRONLY | os.O_NONBLOCK)
            os.write(w, _frame({"op": "train", "args": {}, "needs": []}) + _frame({"op": "end"})
                     + _frame({"op": "part", "reference": "import os\nos._exit(7)\n", "inject": []}))
            log.append("injected requests")
        except OSError as exc:
            log.append(f"request pipe: {exc.strerror}")
        try:
            r = os.open("/proc/self/fd/62", os.O_RDONLY | os.O_NONBLOCK)
            try:
                log.append(f"drained {len(os.read(r, 1 << 20))} reply bytes")
            except BlockingIOError:
                log.append("reply pipe empty")
        except OSError as exc:
            log.append(f"reply pipe: {exc.strerror}")
        print("; ".join(log))
        raise NotImplementedError("請實作 TwoLayerNet.__init__")

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
