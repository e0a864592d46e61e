# HOSTILE warning_flood: Sigmoid.forward is correct and stable, but on the ±1000 request it issues 240,000
# distinct RuntimeWarnings that mention "overflow" (each ~200 chars, with escapes). The child forwards the
# set, the extreme-inputs test joins all of them into its feedback. Sound grader: bounded feedback
# (64 KB output cap honoured), no terminal escapes; Sigmoid partial, TwoLayerNet and train_xor full.
import warnings
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
        if np.max(np.abs(x)) >= 1000:
            for i in range(240_000):
                warnings.warn(f"overflow \x1b[2J{i:07d} " + "W" * 180, RuntimeWarning)
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
