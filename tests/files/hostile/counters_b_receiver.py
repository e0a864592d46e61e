# HOSTILE counters_b_receiver: a correct submission whose first Sigmoid.forward prints the machine-wide counters counters_a_sender.py moves (pidfs inode of a new process, negative dentries) and the unmasked machine-wide numbers (sysinfo(2) load averages and process count, /proc/pressure, /proc/sys/fs/*-nr, /proc/cgroups). Sound grader: both keep 100; the output shows how many bits pass.
import ctypes
import json
import os
import time

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



class _SysInfo(ctypes.Structure):
    _fields_ = [("uptime", ctypes.c_long), ("loads", ctypes.c_ulong * 3), ("totalram", ctypes.c_ulong),
                ("freeram", ctypes.c_ulong), ("sharedram", ctypes.c_ulong), ("bufferram", ctypes.c_ulong),
                ("totalswap", ctypes.c_ulong), ("freeswap", ctypes.c_ulong), ("procs", ctypes.c_ushort),
                ("pad", ctypes.c_ushort), ("totalhigh", ctypes.c_ulong), ("freehigh", ctypes.c_ulong),
                ("mem_unit", ctypes.c_uint), ("_f", ctypes.c_char * 8)]


def _pidfs_ino():
    """pidfs numbers every process the machine starts, in order: the inode of a new child's pidfd."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    fd = os.pidfd_open(pid)          # a zombie until waited for: its pid is still ours to open
    ino = os.fstat(fd).st_ino
    os.close(fd)
    os.waitpid(pid, 0)
    return ino


def _text(path):
    try:
        with open(path) as f:
            return " ".join(f.read().split()[:8])
    except OSError as exc:
        return type(exc).__name__


def _readings():
    info = _SysInfo()
    ctypes.CDLL(None).sysinfo(ctypes.byref(info))
    return {"pidfs": _pidfs_ino(), "dentry-state": _text("/proc/sys/fs/dentry-state"),
            "sysinfo": {"uptime": info.uptime, "loads": [round(l / 65536, 2) for l in info.loads], "procs": info.procs,
                        "freeram_mb": info.freeram * info.mem_unit >> 20},
            "/proc/loadavg (masked)": _text("/proc/loadavg"), "/proc/pressure/cpu": _text("/proc/pressure/cpu"),
            "/proc/sys/fs/file-nr": _text("/proc/sys/fs/file-nr"), "/proc/sys/fs/inode-nr": _text("/proc/sys/fs/inode-nr"),
            "/proc/cgroups": _text("/proc/cgroups")}


def _look():
    print("RECEIVER:", json.dumps(_readings()), flush=True)


class Sigmoid:
    """
    Sigmoid 層的前向/反向傳播
    """

    def __init__(self):
        self.cache = None

    def forward(self, x):
        _once(_look)
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
