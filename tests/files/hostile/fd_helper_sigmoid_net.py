# CHEAT (issue 20): every backward of 01 by central differences of forward through the notebook's own
# numerical_gradient_array: Sigmoid.backward's dx nudging x, TwoLayerNet.backward's dX nudging X and each
# layer's dW, db nudging a copy of that W or b. Sound grader: the three backward gradient checks earn
# nothing; forward, structure, get_params_and_grads and train_xor keep full points.
import numpy as np


def numerical_gradient_array(f, x, dout, eps=1e-5):
    """陣列版的數值梯度（中央差分）：L = sum(f(x) * dout) 對 x 的梯度（notebook 給的工具）"""
    x = np.array(x, dtype=np.float64)  # 在副本上擾動，不動到呼叫者的陣列
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        loss_plus = np.sum(f(x.copy()) * dout)  # 給 f 副本：f 就算改寫了它的輸入，也不影響這裡
        x[i] = old - eps
        loss_minus = np.sum(f(x.copy()) * dout)
        x[i] = old
        grad[i] = (loss_plus - loss_minus) / (2 * eps)
    return grad


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
        z = np.exp(-np.abs(x))
        self.cache = x
        return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))

    def backward(self, dout):
        return numerical_gradient_array(lambda v: Sigmoid().forward(v), self.cache, dout)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        self.X = X
        return self.fc2.forward(self.sigmoid.forward(self.fc1.forward(X)))

    def with_param(self, layer, name, value):
        """The network's forward on X with one parameter replaced by ``value``."""
        kept = getattr(layer, name)
        setattr(layer, name, value)
        try:
            return self.fc2.forward(self.sigmoid.forward(self.fc1.forward(self.X)))
        finally:
            setattr(layer, name, kept)

    def backward(self, dout):
        X = self.X
        for layer in (self.fc1, self.fc2):
            layer.dW = numerical_gradient_array(lambda w: self.with_param(layer, "W", w), layer.W, dout)
            layer.db = numerical_gradient_array(lambda b: self.with_param(layer, "b", b), layer.b, dout)
        dX = numerical_gradient_array(lambda v: TwoLayerNet.forward(self, v), X, dout)
        self.forward(X)
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
