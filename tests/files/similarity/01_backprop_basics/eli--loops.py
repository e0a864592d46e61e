# eli's solution, one loop made a comprehension (or back): hand-made disguise
# %% Sigmoid
class Sigmoid:
    CLIP = 60.0   # exp(60) is far from overflow, and sigma(-60) is below 1e-26

    def __init__(self):
        self.cache = None

    def forward(self, x):
        limited = np.clip(x, -self.CLIP, self.CLIP)
        value = 1.0 / (1.0 + np.exp(-limited))
        value = np.where(x > self.CLIP, 1.0, value)
        value = np.where(x < -self.CLIP, np.exp(np.clip(x, -745.0, 0.0)), value)
        self.cache = value.copy()
        return value

    def backward(self, dout):
        if self.cache is None:
            raise RuntimeError("call forward before backward")
        derivative = self.cache - self.cache * self.cache
        return derivative * dout


# %% TwoLayerNet
class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        if X.ndim != 2:
            raise ValueError(f"X must be (N, D), got shape {X.shape}")
        a = self.fc1.forward(X)
        a = self.sigmoid.forward(a)
        a = self.fc2.forward(a)
        return a

    def backward(self, dout):
        g = self.fc2.backward(dout)
        g = self.sigmoid.backward(g)
        g = self.fc1.backward(g)
        return g

    def get_params_and_grads(self):
        names = ["W", "b"]
        return [(layer.__dict__[name], layer.__dict__["d" + name]) for layer in [self.fc1, self.fc2] for name in names]


# %% train_xor
def train_xor(net, X, y, learning_rate, epochs):
    n_elements = y.size
    record = np.zeros(epochs)
    for i in range(epochs):
        predicted = net.forward(X)
        residual = predicted - y
        record[i] = np.dot(residual.ravel(), residual.ravel()) / n_elements
        upstream = residual * (2.0 / n_elements)
        net.backward(upstream)
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad
    return list(record)
