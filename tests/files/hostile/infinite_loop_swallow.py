# HOSTILE infinite_loop_swallow: TwoLayerNet.__init__ ignores catchable signals, cancels alarms/itimers, lifts soft rlimits, freezes the clocks and loops catching BaseException. Sound grader: only an outside SIGKILL stops it: TwoLayerNet 0, Sigmoid and train_xor full.
import resource
import signal
import time
import numpy as np


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
    def __init__(self):
        self.cache = None

    def forward(self, x):
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        self.cache = out
        return out

    def backward(self, dout):
        return dout * self.cache * (1.0 - self.cache)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        for name in ("SIGTERM", "SIGINT", "SIGALRM", "SIGXCPU", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGVTALRM", "SIGPROF"):
            try:
                signal.signal(getattr(signal, name), signal.SIG_IGN)
            except Exception:
                pass
        signal.alarm(0)
        for timer in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
            signal.setitimer(timer, 0)
        for limit in (resource.RLIMIT_CPU, resource.RLIMIT_AS, resource.RLIMIT_NPROC):
            try:
                soft, hard = resource.getrlimit(limit)
                resource.setrlimit(limit, (hard, hard))  # a soft-only limit is no limit
            except Exception:
                pass
        time.time = time.monotonic = time.perf_counter = lambda: 0.0  # in-process timers see no time pass
        while True:
            try:
                while True:
                    pass
            except BaseException:
                pass

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError


def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        Y = net.forward(X)
        losses.append(np.mean((Y - y) ** 2))
        net.backward(2 * (Y - y) / Y.size)
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad
    return losses
