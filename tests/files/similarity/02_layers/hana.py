# %% ReLU
class ReLU:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        self.cache = x
        return np.maximum(x, 0)

    def backward(self, dout):
        return np.where(self.cache > 0, dout, 0)


# %% SoftmaxCrossEntropy
class SoftmaxCrossEntropy:
    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        labels = np.asarray(labels)
        shifted = scores - scores.max(axis=1)[:, None]
        log_norm = np.log(np.exp(shifted).sum(axis=1))
        correct = shifted[np.arange(shifted.shape[0]), labels]
        self.cache = (shifted, log_norm, labels)
        return np.mean(log_norm - correct)

    def backward(self, dout=1.0):
        shifted, log_norm, labels = self.cache
        probs = np.exp(shifted - log_norm[:, None])
        probs[np.arange(len(labels)), labels] -= 1
        return probs * dout / len(labels)


# %% Conv2D
from numpy.lib.stride_tricks import sliding_window_view


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
        s, p = self.stride, self.padding
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        # every K x K window, then every S-th one: (N, C, H', W', K, K)
        win = sliding_window_view(xp, self.W.shape[2:], axis=(2, 3))[:, :, ::s, ::s]
        out = np.tensordot(win, self.W, axes=([1, 4, 5], [1, 2, 3]))
        self.cache = (x.shape, xp.shape, win)
        return out.transpose(0, 3, 1, 2) + self.b[None, :, None, None]

    def backward(self, dout):
        (n, c, h, w), padded_shape, win = self.cache
        s, p = self.stride, self.padding
        k = self.W.shape[2]
        oh, ow = dout.shape[2:]
        self.db = dout.sum(axis=(0, 2, 3))
        self.dW = np.einsum("nfij,ncijpq->fcpq", dout, win)
        contrib = np.einsum("nfij,fcpq->ncijpq", dout, self.W)
        dxp = np.zeros(padded_shape)
        for pi in range(k):
            for qi in range(k):
                dxp[:, :, pi:pi + s * oh:s, qi:qi + s * ow:s] += contrib[:, :, :, :, pi, qi]
        return dxp[:, :, p:p + h, p:p + w]


# %% MaxPool2D
class MaxPool2D:
    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def forward(self, x):
        k, s = self.kernel_size, self.stride
        win = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::s, ::s]
        self.cache = (x, win)
        return win.max(axis=(4, 5))

    def backward(self, dout):
        x, win = self.cache
        k, s = self.kernel_size, self.stride
        n, c, oh, ow = dout.shape
        flat = win.reshape(n, c, oh, ow, k * k).argmax(axis=4)
        dx = np.zeros(x.shape)
        nn, cc, ii, jj = np.indices((n, c, oh, ow))
        np.add.at(dx, (nn, cc, ii * s + flat // k, jj * s + flat % k), dout)
        return dx


# %% train_classifier
def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    history = []
    starts = range(0, len(y), batch_size)
    for epoch in range(epochs):
        shuffled = rng.permutation(len(y))
        batches = [shuffled[s:s + batch_size] for s in starts]
        for batch in batches:
            history.append(net.loss(X[batch], y[batch]))
            net.backward()
            for param, grad in net.get_params_and_grads():
                np.subtract(param, learning_rate * grad, out=param)
    return history
