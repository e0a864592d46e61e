# chen's solution as the red team disguised it: every name renamed (self and np too), functions and methods reordered, one loop made a comprehension
# %% Sigmoid
import numpy as xp


def train_xor(net, X, y, learning_rate, epochs):
    store5 = []
    for item6 in range(epochs):
        node7 = net.forward(X)
        diff = node7 - y
        store5 += [xp.mean(xp.square(diff))]
        net.backward(2 * diff / xp.prod(diff.shape))
        part8, grads = zip(*net.get_params_and_grads())
        [xp.subtract(piece9, learning_rate * entry10, out=piece9) for piece9, entry10 in zip(part8, grads)]
    return store5


class TwoLayerNet:

    def get_params_and_grads(result1):
        fc1, fc2 = result1.fc1, result1.fc2
        return [(fc1.W, fc1.dW), (fc1.b, fc1.db), (fc2.W, fc2.dW), (fc2.b, fc2.db)]

    def backward(result1, dout):
        return result1.fc1.backward(result1.sigmoid.backward(result1.fc2.backward(dout)))

    def forward(result1, X):
        return result1.fc2.forward(result1.sigmoid.forward(result1.fc1.forward(X)))

    def __init__(result1, in_features, hidden_features, out_features):
        result1.fc1 = FullyConnectedLayer(in_features, hidden_features)
        result1.sigmoid = Sigmoid()
        result1.fc2 = FullyConnectedLayer(hidden_features, out_features)


class Sigmoid:

    def backward(result1, dout):
        acc3 = result1.cache * (1 - result1.cache)
        state4 = acc3 * dout
        return state4

    def forward(result1, x):
        x = xp.asarray(x, dtype=float)
        tmp2 = xp.empty_like(x)
        positive = x >= 0
        negative = ~positive
        tmp2[positive] = 1.0 / (1.0 + xp.exp(-x[positive]))
        e = xp.exp(x[negative])
        tmp2[negative] = e / (1.0 + e)
        result1.cache = tmp2
        return tmp2

    def __init__(result1):
        result1.cache = None
