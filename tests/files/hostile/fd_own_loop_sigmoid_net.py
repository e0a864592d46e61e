# CHEAT (issue 20): every backward of 01 by differences of forward the student wrote itself: Sigmoid's
# through the notebook's scalar numerical_gradient applied to the whole array at once (central: sigmoid
# is elementwise), TwoLayerNet's by one-sided loops around a module-level forward helper: X nudged in
# place on a copy, the layers' own W and b nudged in place through self.forward. Sound grader: the three
# backward gradient checks earn nothing; everything else keeps full points.
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    """計算純量函數 f 對 x 的數值梯度（中央差分）（notebook 給的工具）"""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def sigmoid(x):
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def two_layer_forward(X, W1, b1, W2, b2):
    return sigmoid(X @ W1 + b1) @ W2 + b2


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
        self.cache = x.copy()
        return sigmoid(x)

    def backward(self, dout):
        return dout * numerical_gradient(sigmoid, self.cache)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        self.X = X.copy()
        return self.fc2.forward(self.sigmoid.forward(self.fc1.forward(X)))

    def backward(self, dout, h=1e-7):
        def loss(X):
            return np.sum(two_layer_forward(X, self.fc1.W, self.fc1.b, self.fc2.W, self.fc2.b) * dout)
        X = self.X.copy()
        base = loss(X)
        dX = np.zeros_like(X)
        for i in np.ndindex(X.shape):
            X[i] += h
            dX[i] = (loss(X) - base) / h
            X[i] -= h
        for layer in (self.fc1, self.fc2):
            for name in ("W", "b"):
                param = getattr(layer, name)
                grad = np.zeros_like(param)
                for i in np.ndindex(param.shape):
                    old = param[i]
                    param[i] = old + h
                    grad[i] = (np.sum(self.forward(self.X) * dout) - base) / h
                    param[i] = old
                setattr(layer, "d" + name, grad)
        self.forward(self.X)
        return dX

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
