# fay's solution, one loop made a comprehension (or back): hand-made disguise
# %% ReLU
class ReLU:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        self.cache = x
        out = x.copy()
        out[out < 0] = 0
        return out

    def backward(self, dout):
        return dout * (self.cache > 0)


# %% SoftmaxCrossEntropy
class SoftmaxCrossEntropy:
    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        n = scores.shape[0]
        z = scores - scores.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        labels = np.asarray(labels).astype(int)
        total = -sum(logp[i, labels[i]] for i in range(n))
        self.cache = (np.exp(logp), labels)
        return total / n

    def backward(self, dout=1.0):
        p, labels = self.cache
        n = p.shape[0]
        grad = p.copy()
        for i in range(n):
            grad[i, labels[i]] -= 1.0
        return grad * (dout / n)


# %% Conv2D
class Conv2D:
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        fan_in = in_channels * kernel_size * kernel_size
        self.W = np.random.randn(out_channels, in_channels, kernel_size, kernel_size) * np.sqrt(2.0 / fan_in)
        self.b = np.zeros(out_channels)
        self.dW = None
        self.db = None
        self.cache = None

    def forward(self, x):
        n_img, _, height, width = x.shape
        n_filt, _, k, _ = self.W.shape
        s, p = self.stride, self.padding
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), mode="constant")
        out_h = (height + 2 * p - k) // s + 1
        out_w = (width + 2 * p - k) // s + 1
        out = np.zeros((n_img, n_filt, out_h, out_w))
        for n in range(n_img):
            for f in range(n_filt):
                for i in range(out_h):
                    for j in range(out_w):
                        patch = xp[n, :, i * s:i * s + k, j * s:j * s + k]
                        out[n, f, i, j] = np.sum(patch * self.W[f]) + self.b[f]
        self.cache = (x.shape, xp)
        return out

    def backward(self, dout):
        shape, xp = self.cache
        n_img, n_filt, out_h, out_w = dout.shape
        k = self.W.shape[2]
        s, p = self.stride, self.padding
        dxp = np.zeros(xp.shape)
        dW = np.zeros(self.W.shape)
        for n in range(n_img):
            for f in range(n_filt):
                for i in range(out_h):
                    for j in range(out_w):
                        g = dout[n, f, i, j]
                        dW[f] += g * xp[n, :, i * s:i * s + k, j * s:j * s + k]
                        dxp[n, :, i * s:i * s + k, j * s:j * s + k] += g * self.W[f]
        self.dW = dW
        self.db = dout.sum(axis=(0, 2, 3))
        return dxp[:, :, p:p + shape[2], p:p + shape[3]]


# %% MaxPool2D
class MaxPool2D:
    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def forward(self, x):
        n_img, ch, h, w = x.shape
        k, s = self.kernel_size, self.stride
        oh, ow = (h - k) // s + 1, (w - k) // s + 1
        out = np.zeros((n_img, ch, oh, ow))
        for n in range(n_img):
            for c in range(ch):
                for i in range(oh):
                    for j in range(ow):
                        out[n, c, i, j] = x[n, c, i * s:i * s + k, j * s:j * s + k].max()
        self.cache = x
        return out

    def backward(self, dout):
        x = self.cache
        k, s = self.kernel_size, self.stride
        dx = np.zeros(x.shape)
        n_img, ch, oh, ow = dout.shape
        for n in range(n_img):
            for c in range(ch):
                for i in range(oh):
                    for j in range(ow):
                        window = x[n, c, i * s:i * s + k, j * s:j * s + k]
                        r, q = divmod(int(np.argmax(window)), k)
                        dx[n, c, i * s + r, j * s + q] += dout[n, c, i, j]
        return dx


# %% train_classifier
def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    n = len(X)
    losses = []
    for _ in range(epochs):
        idx = rng.permutation(n)
        start = 0
        while start < n:
            sel = idx[start:start + batch_size]
            losses.append(net.loss(X[sel], y[sel]))
            net.backward()
            for w, dw in net.get_params_and_grads():
                w -= learning_rate * dw
            start += batch_size
    return losses
