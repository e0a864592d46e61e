# ann's solution, one loop made a comprehension (or back): hand-made disguise
# %% Sigmoid
class Sigmoid:
    """Logistic function through logaddexp: log(1 + e^-x) never overflows."""

    def __init__(self):
        self.cache = None

    def forward(self, x):
        self.cache = np.exp(-np.logaddexp(0.0, -x))
        return self.cache

    def backward(self, dout):
        y = self.cache
        return dout * (y - y ** 2)


# %% TwoLayerNet
class TwoLayerNet:
    """The three layers kept in a list: forward runs it, backward runs it reversed."""

    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)
        self.layers = [self.fc1, self.sigmoid, self.fc2]

    def forward(self, X):
        h = X
        for layer in self.layers:
            h = layer.forward(h)
        return h

    def backward(self, dout):
        grad = dout
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def get_params_and_grads(self):
        pairs = []
        for fc in (self.fc1, self.fc2):
            for name in ("W", "b"):
                pairs.append((getattr(fc, name), getattr(fc, "d" + name)))
        return pairs


# %% train_xor
def mse_and_gradient(prediction, target):
    """Mean squared error over every element, and its gradient with respect to the prediction."""
    residual = prediction - target
    return np.mean(residual * residual), 2.0 * residual / residual.size


def train_xor(net, X, y, learning_rate, epochs):
    history = []
    for _ in range(epochs):
        loss, grad = mse_and_gradient(net.forward(X), y)
        history.append(loss)
        net.backward(grad)
        for weight, dweight in net.get_params_and_grads():
            weight -= learning_rate * dweight
    return history
