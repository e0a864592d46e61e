# ben's solution, one loop made a comprehension (or back): hand-made disguise
# %% Sigmoid
class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        # sigma(x) = (1 + tanh(x / 2)) / 2 : tanh saturates instead of overflowing
        self.cache = x
        return 0.5 + 0.5 * np.tanh(0.5 * x)

    def backward(self, dout):
        t = np.tanh(0.5 * self.cache)
        # sigma' = (1 - tanh^2(x/2)) / 4
        return dout * 0.25 * (1.0 - t * t)


# %% TwoLayerNet
class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        z1 = self.fc1.forward(X)
        a1 = self.sigmoid.forward(z1)
        z2 = self.fc2.forward(a1)
        return z2

    def backward(self, dout):
        da1 = self.fc2.backward(dout)
        dz1 = self.sigmoid.backward(da1)
        return self.fc1.backward(dz1)

    def get_params_and_grads(self):
        return [pair for layer in [self.fc1, self.fc2] for pair in ((layer.W, layer.dW), (layer.b, layer.db))]


# %% train_xor
def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    step = 0
    while step < epochs:
        pred = net.forward(X)
        err = pred - y
        losses.append(float(np.sum(err ** 2) / err.size))
        net.backward(err * (2.0 / err.size))
        params = net.get_params_and_grads()
        for k in range(len(params)):
            params[k][0][...] -= learning_rate * params[k][1]
        step += 1
    return losses
