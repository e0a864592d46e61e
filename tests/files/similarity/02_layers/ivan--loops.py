# ivan's solution, one loop made a comprehension (or back): hand-made disguise
# %% ReLU
class ReLU:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        self.cache = x <= 0
        y = np.array(x, dtype=float, copy=True)
        y[self.cache] = 0.0
        return y

    def backward(self, dout):
        dx = np.array(dout, dtype=float, copy=True)
        dx[self.cache] = 0.0
        return dx


# %% SoftmaxCrossEntropy
class SoftmaxCrossEntropy:
    def __init__(self):
        self.cache = None

    def forward(self, scores, labels):
        N, C = scores.shape
        onehot = np.eye(C)[labels]
        z = scores - scores.max(axis=1, keepdims=True)
        logsumexp = np.log(np.exp(z).sum(axis=1))
        loss = np.sum(logsumexp - (z * onehot).sum(axis=1)) / N
        self.cache = (z, logsumexp, onehot)
        return loss

    def backward(self, dout=1.0):
        z, logsumexp, onehot = self.cache
        softmax = np.exp(z - logsumexp[:, np.newaxis])
        return dout * (softmax - onehot) / z.shape[0]


# %% Conv2D
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
        N, C, H, W = x.shape
        F, _, K, _ = self.W.shape
        S, P = self.stride, self.padding
        Ho, Wo = (H + 2 * P - K) // S + 1, (W + 2 * P - K) // S + 1
        padded = np.zeros((N, C, H + 2 * P, W + 2 * P))
        padded[:, :, P:P + H, P:P + W] = x
        out = np.broadcast_to(self.b.reshape(1, F, 1, 1), (N, F, Ho, Wo)).copy()
        # one kernel offset (u, v) at a time: it meets the inputs u, u + S, u + 2S, ...
        out += sum(np.einsum("nchw,fc->nfhw", padded[:, :, u:u + S * Ho:S, v:v + S * Wo:S], self.W[:, :, u, v])
                   for u in range(K) for v in range(K))
        self.cache = padded
        return out

    def backward(self, dout):
        padded = self.cache
        F, C, K, _ = self.W.shape
        S, P = self.stride, self.padding
        Ho, Wo = dout.shape[2], dout.shape[3]
        dpadded = np.zeros_like(padded)
        self.dW = np.empty_like(self.W)
        for u in range(K):
            for v in range(K):
                shifted = padded[:, :, u:u + S * Ho:S, v:v + S * Wo:S]
                self.dW[:, :, u, v] = np.einsum("nfhw,nchw->fc", dout, shifted)
                dpadded[:, :, u:u + S * Ho:S, v:v + S * Wo:S] += np.einsum("nfhw,fc->nchw", dout, self.W[:, :, u, v])
        self.db = dout.sum(axis=0).sum(axis=-1).sum(axis=-1)
        H, W = padded.shape[2] - 2 * P, padded.shape[3] - 2 * P
        return dpadded[:, :, P:P + H, P:P + W]


# %% MaxPool2D
class MaxPool2D:
    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.cache = None

    def forward(self, x):
        K, S = self.kernel_size, self.stride
        N, C, H, W = x.shape
        Ho, Wo = (H - K) // S + 1, (W - K) // S + 1
        best = np.full((N, C, Ho, Wo), -np.inf)
        where = np.zeros((N, C, Ho, Wo), dtype=int)
        for u in range(K):
            for v in range(K):
                candidate = x[:, :, u:u + S * Ho:S, v:v + S * Wo:S]
                better = candidate > best          # strict: the first maximum wins, as argmax
                best = np.where(better, candidate, best)
                where = np.where(better, u * K + v, where)
        self.cache = (x.shape, where)
        return best

    def backward(self, dout):
        shape, where = self.cache
        K, S = self.kernel_size, self.stride
        Ho, Wo = dout.shape[2:]
        dx = np.zeros(shape)
        for u in range(K):
            for v in range(K):
                dx[:, :, u:u + S * Ho:S, v:v + S * Wo:S] += np.where(where == u * K + v, dout, 0.0)
        return dx


# %% train_classifier
def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        for batch in np.split(order, np.arange(batch_size, N, batch_size)):
            losses.append(net.loss(X[batch], y[batch]))
            net.backward()
            for param, grad in net.get_params_and_grads():
                param[...] = param - learning_rate * grad
    return losses
