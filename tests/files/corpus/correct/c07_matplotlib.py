"""XOR backprop exercise with plotting (matplotlib imported at top level).

sigma(x) = exp(-log(1 + exp(-x))) = exp(-logaddexp(0, -x)): stable for any x.
"""
import numpy as np
import matplotlib.pyplot as plt


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
        self.cache = np.exp(-np.logaddexp(0.0, -x))
        return self.cache

    def backward(self, dout):
        s = self.cache
        return dout * (s * (1.0 - s))


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        h = self.fc1.forward(X)
        return self.fc2.forward(self.sigmoid.forward(h))

    def backward(self, dout):
        dh = self.sigmoid.backward(self.fc2.backward(dout))
        return self.fc1.backward(dh)

    def get_params_and_grads(self):
        pairs = []
        for layer in (self.fc1, self.fc2):
            pairs.append((layer.W, layer.dW))
            pairs.append((layer.b, layer.db))
        return pairs


def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        Y = net.forward(X)
        losses.append(float(np.mean((Y - y) ** 2)))
        net.backward(2 * (Y - y) / Y.size)
        for p, g in net.get_params_and_grads():
            p -= learning_rate * g
    return losses


def plot_losses(losses, title="XOR training loss"):
    fig, ax = plt.subplots()
    ax.plot(losses)
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE")
    ax.set_title(title)
    return fig


if __name__ == "__main__":
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    np.random.seed(42)
    net = TwoLayerNet(2, 4, 1)
    plot_losses(train_xor(net, X, y, 0.5, 5000))
    plt.show()
