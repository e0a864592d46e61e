# HOSTILE steal_net_read_message_hook: at load time (in the zygote) replace the runner's module-level
# read_message (its main loop looks the global up on every iteration) by a wrapper that keeps every
# message. The zygote then records the reference source of every later part message; part processes
# forked afterwards inherit it. TwoLayerNet (graded after train_xor) execs the recorded reference.
# Sound grader: every part 0.
import sys
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


_SEEN = []


def _hook():
    runner = sys.modules.get("__main__")
    real = getattr(runner, "read_message", None)
    if real is None:
        return False

    def spy(stream):
        message = real(stream)
        if isinstance(message, dict) and message.get("reference"):
            _SEEN.append(message["reference"])
        return message
    runner.read_message = spy
    return True


_HOOKED = _hook()


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        assert _HOOKED
        src = [s for s in _SEEN if "class TwoLayerNet" in s]
        if not src:
            raise NotImplementedError("請實作 TwoLayerNet")
        ns = {"__name__": "stolen"}
        exec(src[-1], ns)
        ns["FullyConnectedLayer"], ns["Sigmoid"] = FullyConnectedLayer, Sigmoid
        self.__class__ = type("TwoLayerNet", (ns["TwoLayerNet"],), {})
        ns["TwoLayerNet"].__init__(self, in_features, hidden_features, out_features)

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def get_params_and_grads(self):
        raise NotImplementedError

def train_xor(net, X, y, learning_rate, epochs):
    raise NotImplementedError("請實作 train_xor")
