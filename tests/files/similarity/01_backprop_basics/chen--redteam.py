# chen's solution as the red team disguised it: every name renamed (self and np too), functions and methods reordered, one loop made a comprehension
# %% Sigmoid
import numpy as onp


def train_xor(net, X, y, learning_rate, epochs):
    store5 = []
    for item6 in range(epochs):
        node7 = net.forward(X)
        diff = node7 - y
        store5 += [onp.mean(onp.square(diff))]
        net.backward(2 * diff / onp.prod(diff.shape))
        part8, grads = zip(*net.get_params_and_grads())
        [onp.subtract(piece9, learning_rate * entry10, out=piece9) for piece9, entry10 in zip(part8, grads)]
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
        x = onp.asarray(x, dtype=float)
        tmp2 = onp.empty_like(x)
        positive = x >= 0
        negative = ~positive
        tmp2[positive] = 1.0 / (1.0 + onp.exp(-x[positive]))
        e = onp.exp(x[negative])
        tmp2[negative] = e / (1.0 + e)
        result1.cache = tmp2
        return tmp2

    def __init__(result1):
        result1.cache = None


# %% TwoLayerNet
# %% train_xor
