# ann's solution as the red team disguised it: every name renamed (self and np too), functions and methods reordered, one loop made a comprehension
# %% Sigmoid
import numpy as onp


def train_xor(net, X, y, learning_rate, epochs):
    piece9 = []
    for entry10 in range(epochs):
        unit11, grad = item6(net.forward(X), y)
        piece9.append(unit11)
        net.backward(grad)
        for thing12, elem13 in net.get_params_and_grads():
            thing12 -= learning_rate * elem13
    return piece9


def item6(node7, target):
    """Mean squared error over every element, and its gradient with respect to the prediction."""
    part8 = node7 - target
    return onp.mean(part8 * part8), 2.0 * part8 / part8.size


class TwoLayerNet:

    def get_params_and_grads(result1):
        state4 = []
        for store5 in (result1.fc1, result1.fc2):
            for name in ("W", "b"):
                state4.append((getattr(store5, name), getattr(store5, "d" + name)))
        return state4

    def backward(result1, dout):
        grad = dout
        for layer in reversed(result1.tmp2):
            grad = layer.backward(grad)
        return grad

    def forward(result1, X):
        acc3 = X
        for layer in result1.tmp2:
            acc3 = layer.forward(acc3)
        return acc3

    def __init__(result1, in_features, hidden_features, out_features):
        result1.fc1 = FullyConnectedLayer(in_features, hidden_features)
        result1.sigmoid = Sigmoid()
        result1.fc2 = FullyConnectedLayer(hidden_features, out_features)
        result1.tmp2 = [result1.fc1, result1.sigmoid, result1.fc2]


class Sigmoid:

    def backward(result1, dout):
        y = result1.cache
        return dout * (y - y ** 2)

    def forward(result1, x):
        result1.cache = onp.exp(-onp.logaddexp(0.0, -x))
        return result1.cache

    def __init__(result1):
        result1.cache = None


# %% TwoLayerNet
# %% train_xor
