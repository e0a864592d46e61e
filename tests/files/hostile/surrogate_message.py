# HOSTILE surrogate_message: Sigmoid.backward raises an exception whose message holds lone surrogates
# (and TwoLayerNet prints some). Python carries them as text; written as JSON they become "\udcff"
# escapes that jq (and any strict reader) rejects, and the whole class grades.json with them.
# Sound grader: every JSON file is strict UTF-8; Sigmoid loses only its backward test.
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


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        self.cache = out
        return out

    def backward(self, dout):
        raise ValueError("bad \udcff\udcfe bytes and a lone \ud800 high surrogate \udfff")


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        sys.stdout.buffer.write(b"printed \xff\xfe not UTF-8\n")
        sys.stdout.flush()
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
