# HOSTILE xor_without_training: train_xor never trains. It records the loss at the initial parameters
# (one forward pass) `epochs` times, then overwrites the network with a hand-made XOR solution.
# Sound grader: train_xor 0 (no training loop, no update, no backward). Sigmoid/TwoLayerNet stubs.
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
        raise NotImplementedError("請實作 Sigmoid.forward")

    def backward(self, dout):
        raise NotImplementedError("請實作 Sigmoid.backward")

class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        raise NotImplementedError("請實作 TwoLayerNet.__init__")

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError


def train_xor(net, X, y, learning_rate, epochs):
    loss0 = float(np.mean((net.forward(X) - y) ** 2))
    W1 = np.zeros_like(net.fc1.W)
    b1 = np.zeros_like(net.fc1.b)
    W2 = np.zeros_like(net.fc2.W)
    W1[:, 0], b1[0] = 20.0, -10.0      # OR
    W1[:, 1], b1[1] = 20.0, -30.0      # AND
    W2[0, 0], W2[1, 0] = 1.0, -1.0     # OR - AND = XOR
    net.fc1.W[...] = W1
    net.fc1.b[...] = b1
    net.fc2.W[...] = W2
    net.fc2.b[...] = 0.0
    return [loss0] * epochs
