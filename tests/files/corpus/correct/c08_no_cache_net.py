"""XOR backprop exercise: sigmoid = exp(min(x, 0)) / (1 + exp(-|x|)), caching the input;
the net keeps nothing of its own (each layer caches what it needs)."""
import numpy as np


class FullyConnectedLayer:          # GIVEN code (students receive it); grader always swaps in the reference
    def __init__(self, in_features, out_features):
        self.W = np.random.randn(in_features, out_features) * np.sqrt(2.0 / in_features)
        self.b = np.zeros(out_features)
        self.dW = None; self.db = None; self.cache = None
    def forward(self, X):
        self.cache = X
        return X @ self.W + self.b
    def backward(self, dY):
        X = self.cache
        self.dW = X.T @ dY
        self.db = np.sum(dY, axis=0)
        return dY @ self.W.T


def sigmoid(x):
    # x >= 0: 1 / (1 + e^-x);  x < 0: e^x / (1 + e^x)  -- both exponents <= 0
    return np.exp(np.minimum(x, 0)) / (1.0 + np.exp(-np.abs(x)))


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        self.cache = x
        return sigmoid(x)

    def backward(self, dout):
        s = sigmoid(self.cache)
        return dout * s * (1 - s)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        out = self.fc1.forward(X)
        out = self.sigmoid.forward(out)
        out = self.fc2.forward(out)
        return out

    def backward(self, dout):
        grad = self.fc2.backward(dout)
        grad = self.sigmoid.backward(grad)
        grad = self.fc1.backward(grad)
        return grad

    def get_params_and_grads(self):
        fc1, fc2 = self.fc1, self.fc2
        return [(fc1.W, fc1.dW), (fc1.b, fc1.db), (fc2.W, fc2.dW), (fc2.b, fc2.db)]


def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        Y = net.forward(X)
        diff = Y - y
        losses.append(np.square(diff).mean())
        net.backward((2.0 / diff.size) * diff)
        for param, grad in net.get_params_and_grads():
            param -= grad * learning_rate
    return losses
