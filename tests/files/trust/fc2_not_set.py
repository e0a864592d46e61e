# issue 22 §5: self.fc2 left None: the structure message names it with a word of the catalog, in the feedback's language (from corpus/correct/c01_split_abs.py)
"""XOR backprop exercise: Sigmoid via a split form on z = exp(-|x|)."""
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
        z = np.exp(-np.abs(x))            # in (0, 1], never overflows
        out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
        self.cache = out                  # backward only needs sigma(x)
        return out

    def backward(self, dout):
        s = self.cache
        return dout * s * (1.0 - s)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = None

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
        loss = np.mean((Y - y) ** 2)
        losses.append(loss)
        dY = 2 * (Y - y) / Y.size
        net.backward(dY)
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad
    return losses
