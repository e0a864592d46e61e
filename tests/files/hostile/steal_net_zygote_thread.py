# HOSTILE steal_net_zygote_thread: a daemon thread started in the zygote at load time peeks at the zygote
# main thread's frame (sys._current_frames) and copies every reference source the parent sends with a
# "part" request into a module dict. Part processes forked later inherit that memory: TwoLayerNet (graded
# after train_xor, whose part message carries the reference TwoLayerNet) execs the stolen class.
# No files are written. Sound grader: TwoLayerNet 0 (nothing implemented), Sigmoid 0, train_xor 0.
import sys
import threading
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
        raise NotImplementedError("請實作 Sigmoid.forward")

    def backward(self, dout):
        raise NotImplementedError("請實作 Sigmoid.backward")


_STOLEN = {}


def _spy():
    me = threading.get_ident()
    while True:
        for ident, frame in list(sys._current_frames().items()):
            if ident == me:
                continue
            f = frame
            while f is not None:
                req = f.f_locals.get("request")
                if isinstance(req, dict) and isinstance(req.get("reference"), str) and req["reference"]:
                    _STOLEN[len(req["reference"])] = req["reference"]
                f = f.f_back
        time.sleep(0.002)


def _start():
    threading.Thread(target=_spy, daemon=True).start()
    return True


_SPY_STARTED = _start()


def _ref_net():
    assert _SPY_STARTED
    for src in sorted(_STOLEN.values(), key=len, reverse=True):
        if "class TwoLayerNet" in src:
            ns = {"__name__": "stolen"}
            exec(src, ns)
            ns["FullyConnectedLayer"] = globals()["FullyConnectedLayer"]   # the injected reference ones
            ns["Sigmoid"] = globals()["Sigmoid"]
            return ns["TwoLayerNet"]
    raise NotImplementedError("請實作 TwoLayerNet")


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self._impl = _ref_net()(in_features, hidden_features, out_features)
        self.fc1, self.sigmoid, self.fc2 = self._impl.fc1, self._impl.sigmoid, self._impl.fc2

    def forward(self, X):
        return self._impl.forward(X)

    def backward(self, dout):
        return self._impl.backward(dout)

    def get_params_and_grads(self):
        return self._impl.get_params_and_grads()

def train_xor(net, X, y, learning_rate, epochs):
    raise NotImplementedError("請實作 train_xor")
