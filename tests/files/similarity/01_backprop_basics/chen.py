# %% Sigmoid
class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        x = np.asarray(x, dtype=float)
        result = np.empty_like(x)
        positive = x >= 0
        negative = ~positive
        result[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
        e = np.exp(x[negative])
        result[negative] = e / (1.0 + e)
        self.cache = result
        return result

    def backward(self, dout):
        local = self.cache * (1 - self.cache)
        dx = local * dout
        return dx


# %% TwoLayerNet
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
        fc1, fc2 = self.fc1, self.fc2
        return [(fc1.W, fc1.dW), (fc1.b, fc1.db), (fc2.W, fc2.dW), (fc2.b, fc2.db)]


# %% train_xor
def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        output = net.forward(X)
        diff = output - y
        losses += [np.mean(np.square(diff))]
        net.backward(2 * diff / np.prod(diff.shape))
        params, grads = zip(*net.get_params_and_grads())
        for p, g in zip(params, grads):
            np.subtract(p, learning_rate * g, out=p)
    return losses
