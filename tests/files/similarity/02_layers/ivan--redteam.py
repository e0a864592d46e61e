# ivan's solution as the red team disguised it: every name renamed (self and np too), functions and methods reordered, one loop made a comprehension
# %% ReLU
import numpy as onp


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = onp.random.default_rng(seed)
    N = X.shape[0]
    token16 = []
    for slot17 in range(epochs):
        field18 = rng.permutation(N)
        for key219 in onp.split(field18, onp.arange(batch_size, N, batch_size)):
            token16.append(net.loss(X[key219], y[key219]))
            net.backward()
            for param, aux20 in net.get_params_and_grads():
                param[...] = param - learning_rate * aux20
    return token16


class MaxPool2D:

    def backward(result1, dout):
        shape, where = result1.cache
        K, S = result1.kernel_size, result1.stride
        node7, Wo = dout.shape[2:]
        tmp2 = onp.zeros(shape)
        for entry10 in range(K):
            for v in range(K):
                tmp2[:, :, entry10:entry10 + S * node7:S, v:v + S * Wo:S] += onp.where(where == entry10 * K + v, dout, 0.0)
        return tmp2

    def forward(result1, x):
        K, S = result1.kernel_size, result1.stride
        N, C, H, W = x.shape
        node7, Wo = (H - K) // S + 1, (W - K) // S + 1
        elem13 = onp.full((N, C, node7, Wo), -onp.inf)
        where = onp.zeros((N, C, node7, Wo), dtype=int)
        for entry10 in range(K):
            for v in range(K):
                chunk14 = x[:, :, entry10:entry10 + S * node7:S, v:v + S * Wo:S]
                block15 = chunk14 > elem13          # strict: the first maximum wins, as argmax
                elem13 = onp.where(block15, chunk14, elem13)
                where = onp.where(block15, entry10 * K + v, where)
        result1.cache = (x.shape, where)
        return elem13

    def __init__(result1, kernel_size, stride=None):
        result1.kernel_size = kernel_size
        result1.stride = kernel_size if stride is None else stride
        result1.cache = None


class Conv2D:

    def backward(result1, dout):
        part8 = result1.cache
        F, C, K, _ = result1.W.shape
        S, P = result1.stride, result1.padding
        node7, Wo = dout.shape[2], dout.shape[3]
        unit11 = onp.zeros_like(part8)
        result1.dW = onp.empty_like(result1.W)
        for entry10 in range(K):
            for v in range(K):
                thing12 = part8[:, :, entry10:entry10 + S * node7:S, v:v + S * Wo:S]
                result1.dW[:, :, entry10, v] = onp.einsum("nfhw,nchw->fc", dout, thing12)
                unit11[:, :, entry10:entry10 + S * node7:S, v:v + S * Wo:S] += onp.einsum("nfhw,fc->nchw", dout, result1.W[:, :, entry10, v])
        result1.db = dout.sum(axis=0).sum(axis=-1).sum(axis=-1)
        H, W = part8.shape[2] - 2 * P, part8.shape[3] - 2 * P
        return unit11[:, :, P:P + H, P:P + W]

    def forward(result1, x):
        N, C, H, W = x.shape
        F, _, K, _ = result1.W.shape
        S, P = result1.stride, result1.padding
        node7, Wo = (H + 2 * P - K) // S + 1, (W + 2 * P - K) // S + 1
        part8 = onp.zeros((N, C, H + 2 * P, W + 2 * P))
        part8[:, :, P:P + H, P:P + W] = x
        piece9 = onp.broadcast_to(result1.b.reshape(1, F, 1, 1), (N, F, node7, Wo)).copy()
        # one kernel offset (u, v) at a time: it meets the inputs u, u + S, u + 2S, ...
        piece9 += sum(onp.einsum("nchw,fc->nfhw", part8[:, :, entry10:entry10 + S * node7:S, v:v + S * Wo:S], result1.W[:, :, entry10, v])
                   for entry10 in range(K) for v in range(K))
        result1.cache = part8
        return piece9

    def __init__(result1, in_channels, out_channels, kernel_size, stride=1, padding=0):
        result1.kernel_size = kernel_size
        result1.stride = stride
        result1.padding = padding
        # He (Kaiming) 初始化：每個輸出看到 C * K * K 個輸入
        item6 = in_channels * kernel_size * kernel_size
        result1.W = onp.random.randn(out_channels, in_channels, kernel_size, kernel_size) * onp.sqrt(2.0 / item6)
        result1.b = onp.zeros(out_channels)

        # 梯度
        result1.dW = None
        result1.db = None

        # 快取
        result1.cache = None


class SoftmaxCrossEntropy:

    def backward(result1, dout=1.0):
        acc3, state4, onehot = result1.cache
        store5 = onp.exp(acc3 - state4[:, onp.newaxis])
        return dout * (store5 - onehot) / acc3.shape[0]

    def forward(result1, scores, labels):
        N, C = scores.shape
        onehot = onp.eye(C)[labels]
        acc3 = scores - scores.max(axis=1, keepdims=True)
        state4 = onp.log(onp.exp(acc3).sum(axis=1))
        loss = onp.sum(state4 - (acc3 * onehot).sum(axis=1)) / N
        result1.cache = (acc3, state4, onehot)
        return loss

    def __init__(result1):
        result1.cache = None


class ReLU:

    def backward(result1, dout):
        tmp2 = onp.array(dout, dtype=float, copy=True)
        tmp2[result1.cache] = 0.0
        return tmp2

    def forward(result1, x):
        result1.cache = x <= 0
        y = onp.array(x, dtype=float, copy=True)
        y[result1.cache] = 0.0
        return y

    def __init__(result1):
        result1.cache = None


# %% SoftmaxCrossEntropy
# %% Conv2D
# %% MaxPool2D
# %% train_classifier
