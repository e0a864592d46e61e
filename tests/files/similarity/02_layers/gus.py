# %% ReLU
class ReLU:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        self.cache = x > 0
        return x * self.cache

    def backward(self, dout):
        return dout * self.cache


# %% SoftmaxCrossEntropy
def log_softmax(scores):
    """Row-wise log softmax, shifted by each row's maximum so exp never overflows."""
    top = np.max(scores, axis=1, keepdims=True)
    return scores - top - np.log(np.sum(np.exp(scores - top), axis=1, keepdims=True))


class SoftmaxCrossEntropy:
    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        logp = log_softmax(scores)
        rows = np.arange(len(labels))
        self.cache = (logp, rows, labels)
        return float(-logp[rows, labels].mean())

    def backward(self, dout=1.0):
        logp, rows, labels = self.cache
        onehot = np.zeros_like(logp)
        onehot[rows, labels] = 1.0
        return dout * (np.exp(logp) - onehot) / logp.shape[0]


# %% Conv2D
def im2col(xp, k, s, oh, ow):
    """(N * oh * ow, C * k * k): one row per output position, the window it sees."""
    n, c = xp.shape[:2]
    cols = np.empty((n, oh, ow, c, k, k))
    for i in range(oh):
        for j in range(ow):
            cols[:, i, j] = xp[:, :, i * s:i * s + k, j * s:j * s + k]
    return cols.reshape(n * oh * ow, c * k * k)


class Conv2D:
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        # He (Kaiming) 初始化：每個輸出看到 C * K * K 個輸入
        fan_in = in_channels * kernel_size * kernel_size
        self.W = np.random.randn(out_channels, in_channels, kernel_size, kernel_size) * np.sqrt(2.0 / fan_in)
        self.b = np.zeros(out_channels)

        # 梯度
        self.dW = None
        self.db = None

        # 快取
        self.cache = None

    def forward(self, x):
        n, c, h, w = x.shape
        f, _, k, _ = self.W.shape
        s, p = self.stride, self.padding
        oh = (h + 2 * p - k) // s + 1
        ow = (w + 2 * p - k) // s + 1
        xp = np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)])
        cols = im2col(xp, k, s, oh, ow)
        out = cols @ self.W.reshape(f, -1).T + self.b
        self.cache = (x.shape, xp.shape, cols)
        return out.reshape(n, oh, ow, f).transpose(0, 3, 1, 2)

    def backward(self, dout):
        (n, c, h, w), padded, cols = self.cache
        f, _, k, _ = self.W.shape
        s, p = self.stride, self.padding
        oh, ow = dout.shape[2], dout.shape[3]
        d = dout.transpose(0, 2, 3, 1).reshape(-1, f)
        self.dW = (d.T @ cols).reshape(self.W.shape)
        self.db = d.sum(axis=0)
        dcols = (d @ self.W.reshape(f, -1)).reshape(n, oh, ow, c, k, k)
        dxp = np.zeros(padded)
        for i in range(oh):
            for j in range(ow):
                dxp[:, :, i * s:i * s + k, j * s:j * s + k] += dcols[:, i, j]
        return dxp[:, :, p:p + h, p:p + w]


# %% MaxPool2D
class MaxPool2D:
    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def forward(self, x):
        n, c, h, w = x.shape
        k, s = self.kernel_size, self.stride
        oh, ow = (h - k) // s + 1, (w - k) // s + 1
        windows = np.empty((n, c, oh, ow, k * k))
        for i in range(oh):
            for j in range(ow):
                windows[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].reshape(n, c, -1)
        self.cache = (x.shape, windows.argmax(axis=-1))
        return windows.max(axis=-1)

    def backward(self, dout):
        shape, arg = self.cache
        k, s = self.kernel_size, self.stride
        dx = np.zeros(shape)
        n, c, oh, ow = dout.shape
        ni, ci = np.indices((n, c))
        for i in range(oh):
            for j in range(ow):
                r, q = arg[:, :, i, j] // k, arg[:, :, i, j] % k
                dx[ni, ci, i * s + r, j * s + q] += dout[:, :, i, j]
        return dx


# %% train_classifier
def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    count = X.shape[0]
    batches = -(-count // batch_size)
    history = []
    for epoch in range(epochs):
        perm = rng.permutation(count)
        for b in range(batches):
            chosen = perm[b * batch_size:(b + 1) * batch_size]
            history.append(net.loss(X[chosen], y[chosen]))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param -= learning_rate * grad
    return history
