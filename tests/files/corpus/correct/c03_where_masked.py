"""XOR backprop exercise: np.where on a masked exponent, layers kept in a list."""
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


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        neg = x < 0
        # exponent is always <= 0: exp(x) for x < 0, exp(-x) for x >= 0
        z = np.exp(np.where(neg, x, -x))
        out = np.where(neg, z / (1.0 + z), 1.0 / (1.0 + z))
        self.cache = out
        return out

    def backward(self, dout):
        return dout * self.cache * (1.0 - self.cache)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)
        self.layers = [self.fc1, self.sigmoid, self.fc2]

    def forward(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dout):
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

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
            param[...] = param - learning_rate * grad     # 寫回原陣列（in place）
    return losses
