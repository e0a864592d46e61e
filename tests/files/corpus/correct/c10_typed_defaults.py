"""XOR backprop exercise: type hints, `from numpy import ...`, a module constant used as a
default argument (evaluated when the `def` runs), and a class attribute constant."""
from __future__ import annotations

import numpy as np
from numpy import exp, abs as np_abs, where

LOSS_SCALE = 2.0          # MSE 的梯度係數


class FullyConnectedLayer:          # GIVEN code (students receive it); grader always swaps in the reference
    def __init__(self, in_features, out_features):
        self.W = np.random.randn(in_features, out_features) * np.sqrt(2.0 / in_features)
        self.b = np.zeros(out_features)
        self.dW = None; self.db = None; self.cache = None
    def forward(self, X):
        self.cache = X
        return X @ self.W + self.b
    def backward(self, dY):
        X = self.cache
        self.dW = X.T @ dY
        self.db = np.sum(dY, axis=0)
        return dY @ self.W.T


class Sigmoid:
    """sigma(x) = 1 / (1 + e^{-x})，以 e^{-|x|} 分段計算避免溢位。"""

    ONE: float = 1.0

    def __init__(self) -> None:
        self.cache: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        e = exp(-np_abs(x))
        self.cache = where(x >= 0, self.ONE / (self.ONE + e), e / (self.ONE + e))
        return self.cache

    def backward(self, dout: np.ndarray) -> np.ndarray:
        s = self.cache
        return dout * s * (self.ONE - s)


class TwoLayerNet:
    def __init__(self, in_features: int, hidden_features: int, out_features: int) -> None:
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X: np.ndarray) -> np.ndarray:
        return self.fc2.forward(self.sigmoid.forward(self.fc1.forward(X)))

    def backward(self, dout: np.ndarray) -> np.ndarray:
        d_hidden = self.sigmoid.backward(self.fc2.backward(dout))
        return self.fc1.backward(d_hidden)

    def get_params_and_grads(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(layer.W, layer.dW) if kind == "W" else (layer.b, layer.db)
                for layer in (self.fc1, self.fc2) for kind in ("W", "b")]


def train_xor(net: TwoLayerNet, X: np.ndarray, y: np.ndarray,
              learning_rate: float, epochs: int, loss_scale: float = LOSS_SCALE) -> list[float]:
    losses: list[float] = []
    for _ in range(epochs):
        Y = net.forward(X)
        residual = Y - y
        losses.append(float(np.mean(residual ** 2)))
        net.backward(loss_scale * residual / residual.size)
        for param, grad in net.get_params_and_grads():
            np.add(param, -learning_rate * grad, out=param)
    return losses
