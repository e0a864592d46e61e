# dana's solution, one loop made a comprehension (or back): hand-made disguise
# %% Sigmoid
def _logistic(z):
    """exp(min(z, 0)) / (1 + exp(-|z|)): both exponents are <= 0, so nothing overflows."""
    return np.exp(np.minimum(z, 0.0)) / (1.0 + np.exp(-np.abs(z)))


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        s = _logistic(x)
        self.cache = s
        return s

    def backward(self, dout):
        s = self.cache
        return np.multiply(dout, s * (1.0 - s))


# %% TwoLayerNet
class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        hidden = self.sigmoid.forward(self.fc1.forward(X))
        self.hidden = hidden
        return self.fc2.forward(hidden)

    def backward(self, dout):
        d_hidden = self.fc2.backward(dout)
        d_pre = self.sigmoid.backward(d_hidden)
        d_input = self.fc1.backward(d_pre)
        return d_input

    def get_params_and_grads(self):
        result = []
        for layer in (self.fc1, self.fc2):
            result.extend([(layer.W, layer.dW), (layer.b, layer.db)])
        return result


# %% train_xor
def train_xor(net, X, y, learning_rate, epochs):
    def one_epoch():
        out = net.forward(X)
        loss = ((out - y) ** 2).mean()
        net.backward((out - y) * 2.0 / out.size)
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad
        return loss

    losses = []
    for _ in range(epochs):
        losses.append(one_epoch())
    return losses
