# HOSTILE proc_info_leak: prints what /proc shows inside the sandbox: pid 1's cmdline and (if readable)
# environ, mountinfo, fd targets of itself and of pid 1 (the stdout file lives in the *grader's* /tmp),
# capabilities, cgroup, uid maps. All parts are stubs.
# Sound grader: every part 0, nothing of the host (environment, paths of solutions/) visible.
import os
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


def _read(path, n=3000):
    try:
        with open(path, "rb") as f:
            return f.read(n).replace(b"\x00", b" ").decode("utf-8", "replace")
    except OSError as exc:
        return f"<{type(exc).__name__}: {exc.strerror}>"


def _links(pid):
    out = []
    try:
        for fd in sorted(os.listdir(f"/proc/{pid}/fd"), key=int):
            try:
                out.append(f"{fd}->{os.readlink(f'/proc/{pid}/fd/{fd}')}")
            except OSError as exc:
                out.append(f"{fd}-><{exc.strerror}>")
    except OSError as exc:
        out.append(f"<{exc.strerror}>")
    return " ".join(out)


def _probe():
    lines = [f"uid={os.getuid()} gid={os.getgid()} pid={os.getpid()} ppid={os.getppid()} pids={sorted(int(p) for p in os.listdir('/proc') if p.isdigit())}"]
    for path in ("/proc/1/cmdline", "/proc/1/environ", "/proc/self/environ", "/proc/self/uid_map",
                 "/proc/self/cgroup", "/proc/self/mountinfo", "/proc/1/cwd/", "/etc/hostname"):
        lines.append(f"{path}: {_read(path, 1500)}")
    for pid in ("self", "1", str(os.getppid())):
        lines.append(f"fds of {pid}: {_links(pid)}")
    status = _read("/proc/self/status", 5000)
    lines += [l for l in status.splitlines() if l.startswith(("Cap", "NoNewPrivs", "Seccomp"))]
    for path in ("/proc/1/root", "/proc/1/cwd"):
        try:
            lines.append(f"{path}: {os.listdir(path)}")
        except OSError as exc:
            lines.append(f"{path}: <{exc.strerror}>")
    for top in ("/", "/tmp", "/work", "/root", "/home", "/grader", os.path.dirname(os.__file__) + "/.."):
        try:
            lines.append(f"ls {top}: {sorted(os.listdir(top))[:40]}")
        except OSError as exc:
            lines.append(f"ls {top}: <{exc.strerror}>")
    try:
        fd = os.open("/proc/self/fd/1", os.O_RDONLY)
        lines.append(f"own stdout file via /proc reopen: {os.fstat(fd).st_size} bytes, nlink={os.fstat(fd).st_nlink}")
    except OSError as exc:
        lines.append(f"reopen stdout: <{exc.strerror}>")
    print("\n".join(lines))

class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        _probe()
        raise NotImplementedError("請實作 Sigmoid.forward")

    def backward(self, dout):
        raise NotImplementedError("請實作 Sigmoid.backward")

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
    raise NotImplementedError("請實作 train_xor")
