# HOSTILE read_other_files: walks the filesystem for another .py/.ipynb defining a working train_xor (the reference, other submissions), execs it and delegates every part to it. Sound grader: nothing is visible in the sandbox: every part 0.
import ast
import json
import os
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


_FOUND = {}


def _load(path):
    with open(path, "rb") as f:
        text = f.read(2_000_000).decode("utf-8", "replace")
    if "def train_xor" not in text or "HOSTILE" in text or "BROKEN" in text:  # skip itself and its siblings
        return None
    if path.endswith(".ipynb"):
        cells = json.loads(text).get("cells", [])
        text = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith(("%", "!")))
    tree = ast.parse(text)
    keep = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign)
    tree.body = [n for n in tree.body if isinstance(n, keep)]
    ns = {"__name__": "_loot"}
    exec(compile(tree, path, "exec"), ns)
    ns["Sigmoid"]().forward(np.zeros(3))  # rejects stubs
    ns["TwoLayerNet"](2, 3, 1).forward(np.zeros((1, 2)))
    return ns


def _ref(name):
    if "ns" not in _FOUND:
        _FOUND["ns"] = None
        deadline = time.time() + 20
        skip = {"proc", "sys", "dev", "site-packages", "dist-packages", ".git", "node_modules", "__pycache__"}
        for top in ("/autograder", "/work", "/srv", "/home", "/root", "/tmp", os.path.dirname(os.getcwd()), "/"):
            for root, dirs, files in os.walk(top):
                dirs[:] = [d for d in dirs if d not in skip]
                for fn in files:
                    if fn.endswith((".py", ".ipynb")) and not _FOUND["ns"] and time.time() < deadline:
                        try:
                            _FOUND["ns"] = _load(os.path.join(root, fn))
                        except Exception:
                            pass
                if _FOUND["ns"] or time.time() > deadline:
                    break
            if _FOUND["ns"] or time.time() > deadline:
                break
    if not _FOUND["ns"]:
        raise NotImplementedError("no reference solution visible")
    return _FOUND["ns"][name]


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        return _ref("Sigmoid").forward(self, x)

    def backward(self, dout):
        return _ref("Sigmoid").backward(self, dout)


class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        _ref("TwoLayerNet").__init__(self, in_features, hidden_features, out_features)

    def forward(self, X):
        return _ref("TwoLayerNet").forward(self, X)

    def backward(self, dout):
        return _ref("TwoLayerNet").backward(self, dout)

    def get_params_and_grads(self):
        return _ref("TwoLayerNet").get_params_and_grads(self)


def train_xor(net, X, y, learning_rate, epochs):
    return _ref("train_xor")(net, X, y, learning_rate, epochs)
