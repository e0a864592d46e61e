"""01's expected values, computed in the grading process from the reference solutions.

Also the models of typical mistakes the hints recognise: what a backward that ignores ``dout``
would return, what a training loop that ascends the gradient would record, and so on.
"""
import functools

import numpy as np

from autograder.checks import numerics

from . import ASSIGNMENT, rubric

ref = ASSIGNMENT.reference_module()

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=np.float64)


def rel_error(a, b):
    """Largest relative error, the notebook's formula; inf when shapes differ."""
    return numerics.rel_error(a, b, rubric.REL_ERROR_FLOOR)


def matches(a, b, tol=rubric.VALUE_REL_TOL):
    """Equal within ``tol``; ``a`` and ``b`` may be arrays or lists of arrays (parameters)."""
    return numerics.matches(a, b, tol, rubric.REL_ERROR_FLOOR)


# ---------------------------------------------------------------- Sigmoid
def sigmoid(x):
    return ref.Sigmoid().forward(np.array(x, dtype=np.float64))


def sigmoid_backward(x, dout):
    layer = ref.Sigmoid()
    layer.forward(np.array(x, dtype=np.float64))
    return layer.backward(np.array(dout, dtype=np.float64))


def numerical_gradient(f, x, dout, eps=rubric.NUMERICAL_EPS):
    """Central differences of L = sum(f(x) * dout) with respect to x (x is not modified)."""
    return numerics.numerical_gradient(f, x, dout, eps)


def sigmoid_forward_mistakes(x):
    """What the typical wrong forward passes return, by hint id."""
    return {"sigmoid-forward-negated": sigmoid(-np.asarray(x, dtype=np.float64))}


def sigmoid_mistakes(x, dout):
    """What the typical wrong backward passes return, by hint id."""
    s = sigmoid(x)
    return {"sigmoid-ignores-dout": s * (1 - s),
            "sigmoid-derivative-uses-input": dout * x * (1 - x),
            "sigmoid-derivative-incomplete": dout * s}


# ---------------------------------------------------------------- TwoLayerNet
def net_params(dims, rng):
    n_in, hidden, n_out = dims
    return [rng.standard_normal((n_in, hidden)) * np.sqrt(2.0 / n_in), rng.standard_normal(hidden) * 0.1,
            rng.standard_normal((hidden, n_out)) * np.sqrt(2.0 / hidden), rng.standard_normal(n_out) * 0.1]


def build_net(params):
    """A reference TwoLayerNet holding copies of ``params``."""
    W1, b1, W2, b2 = params
    net = ref.TwoLayerNet(W1.shape[0], W1.shape[1], W2.shape[1])
    for layer, W, b in ((net.fc1, W1, b1), (net.fc2, W2, b2)):
        layer.W, layer.b = W.copy(), b.copy()
    return net


def params_of(net):
    return [net.fc1.W, net.fc1.b, net.fc2.W, net.fc2.b]


def net_forward(params, X):
    return build_net(params).forward(np.array(X, dtype=np.float64))


def net_backward(params, X, dout):
    """dX and [dW1, db1, dW2, db2] of the reference network."""
    net = build_net(params)
    net.forward(np.array(X, dtype=np.float64))
    dX = net.backward(np.array(dout, dtype=np.float64))
    return dX, [net.fc1.dW, net.fc1.db, net.fc2.dW, net.fc2.db]


def net_numerical(params, X, dout):
    """Central-difference dX and parameter gradients of L = sum(forward * dout)."""
    dX = numerical_gradient(lambda v: net_forward(params, v), X, dout)
    grads = []
    for k in range(4):
        def f(v, k=k):
            return net_forward(params[:k] + [v] + params[k + 1:], X)
        grads.append(numerical_gradient(f, params[k], dout))
    return dX, grads


def net_mistakes(params, X, dout=None):
    """Forward outputs and dX of the typical wrong networks, by hint id (dX only with ``dout``)."""
    W1, b1, W2, b2 = params
    linear = (X @ W1 + b1) @ W2 + b2
    mistakes = {"forward": {"net-forward-skips-sigmoid": linear,
                            "net-forward-skips-fc2": ref.Sigmoid().forward(X @ W1 + b1)}, "dX": {}}
    if dout is not None:
        mistakes["dX"]["net-backward-skips-sigmoid"] = (dout @ W2.T) @ W1.T
    return mistakes


# ---------------------------------------------------------------- train_xor
def initial_params(seed, hidden=8):
    return net_params((2, hidden, 1), np.random.default_rng(seed))


@functools.lru_cache(maxsize=None)
def train(seed, learning_rate, epochs, variant="reference"):
    """(losses, final params) of a training run on XOR; ``variant`` models a typical mistake:
    "ascend" (adds the gradient), "no-mean" (dY not divided by Y.size), "sgd" (one sample a step,
    all four each epoch), "sgd-cycle" (one sample per epoch, cycling through them)."""
    net = build_net(initial_params(seed))
    with np.errstate(all="ignore"):
        if variant == "reference":
            losses = ref.train_xor(net, XOR_X, XOR_Y, learning_rate, epochs)
        elif variant == "ascend":
            losses = ref.train_xor(net, XOR_X, XOR_Y, -learning_rate, epochs)
        elif variant == "no-mean":   # dY = 2 (Y - y) is Y.size times the mean's gradient
            losses = ref.train_xor(net, XOR_X, XOR_Y, learning_rate * XOR_Y.size, epochs)
        elif variant == "sgd":
            losses = []
            for _ in range(epochs):
                losses.append(np.mean((net.forward(XOR_X) - XOR_Y) ** 2))
                for i in range(len(XOR_X)):
                    ref.train_xor(net, XOR_X[i:i + 1], XOR_Y[i:i + 1], learning_rate, 1)
        elif variant == "sgd-cycle":
            losses = []
            for epoch in range(epochs):
                i = epoch % len(XOR_X)
                losses.append(np.mean((net.forward(XOR_X) - XOR_Y) ** 2))
                ref.train_xor(net, XOR_X[i:i + 1], XOR_Y[i:i + 1], learning_rate, 1)
        else:
            raise ValueError(f"unknown training variant {variant!r}")
    return np.array(losses, dtype=np.float64), [p.copy() for p in params_of(net)]


def xor_loss(params):
    """The MSE loss on XOR of a network with these parameters."""
    with np.errstate(all="ignore"):
        return float(np.mean((net_forward(params, XOR_X) - XOR_Y) ** 2))


def accuracy(params):
    return int(np.sum((net_forward(params, XOR_X)[:, 0] > 0.5) == (XOR_Y[:, 0] > 0.5)))
