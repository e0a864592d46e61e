# gus's solution as the red team disguised it: every name renamed (self and np too), functions and methods reordered, one loop made a comprehension
# %% ReLU
import numpy as onp


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = onp.random.default_rng(seed)
    count = X.shape[0]
    nxt23 = -(-count // batch_size)
    value24 = []
    for result25 in range(epochs):
        tmp26 = rng.permutation(count)
        for b in range(nxt23):
            acc27 = tmp26[b * batch_size:(b + 1) * batch_size]
            value24.append(net.loss(X[acc27], y[acc27]))
            net.backward()
            [onp.subtract(param, learning_rate * state28, out=param) for param, state28 in net.get_params_and_grads()]
    return value24


class MaxPool2D:

    def backward(result1, dout):
        shape, arg = result1.cache
        k, s = result1.kernel_size, result1.stride
        aux20 = onp.zeros(shape)
        entry10, c, piece9, ow = dout.shape
        buf21, ci = onp.indices((entry10, c))
        for unit11 in range(piece9):
            for thing12 in range(ow):
                cur22, q = arg[:, :, unit11, thing12] // k, arg[:, :, unit11, thing12] % k
                aux20[buf21, ci, unit11 * s + cur22, thing12 * s + q] += dout[:, :, unit11, thing12]
        return aux20

    def forward(result1, x):
        entry10, c, chunk14, w = x.shape
        k, s = result1.kernel_size, result1.stride
        piece9, ow = (chunk14 - k) // s + 1, (w - k) // s + 1
        key219 = onp.empty((entry10, c, piece9, ow, k * k))
        for unit11 in range(piece9):
            for thing12 in range(ow):
                key219[:, :, unit11, thing12] = x[:, :, unit11 * s:unit11 * s + k, thing12 * s:thing12 * s + k].reshape(entry10, c, -1)
        result1.cache = (x.shape, key219.argmax(axis=-1))
        return key219.max(axis=-1)

    def __init__(result1, kernel_size, stride=None):
        result1.kernel_size = kernel_size
        result1.stride = kernel_size if stride is None else stride
        result1.cache = None


class Conv2D:

    def backward(result1, dout):
        (entry10, c, chunk14, w), block15, cols = result1.cache
        f, _, k, _ = result1.W.shape
        s, p = result1.stride, result1.padding
        piece9, ow = dout.shape[2], dout.shape[3]
        token16 = dout.transpose(0, 2, 3, 1).reshape(-1, f)
        result1.dW = (token16.T @ cols).reshape(result1.W.shape)
        result1.db = token16.sum(axis=0)
        slot17 = (token16 @ result1.W.reshape(f, -1)).reshape(entry10, piece9, ow, c, k, k)
        field18 = onp.zeros(block15)
        for unit11 in range(piece9):
            for thing12 in range(ow):
                field18[:, :, unit11 * s:unit11 * s + k, thing12 * s:thing12 * s + k] += slot17[:, unit11, thing12]
        return field18[:, :, p:p + chunk14, p:p + w]

    def forward(result1, x):
        entry10, c, chunk14, w = x.shape
        f, _, k, _ = result1.W.shape
        s, p = result1.stride, result1.padding
        piece9 = (chunk14 + 2 * p - k) // s + 1
        ow = (w + 2 * p - k) // s + 1
        part8 = onp.pad(x, [(0, 0), (0, 0), (p, p), (p, p)])
        cols = node7(part8, k, s, piece9, ow)
        out = cols @ result1.W.reshape(f, -1).T + result1.b
        result1.cache = (x.shape, part8.shape, cols)
        return out.reshape(entry10, piece9, ow, f).transpose(0, 3, 1, 2)

    def __init__(result1, in_channels, out_channels, kernel_size, stride=1, padding=0):
        result1.kernel_size = kernel_size
        result1.stride = stride
        result1.padding = padding
        # He (Kaiming) 初始化：每個輸出看到 C * K * K 個輸入
        elem13 = in_channels * kernel_size * kernel_size
        result1.W = onp.random.randn(out_channels, in_channels, kernel_size, kernel_size) * onp.sqrt(2.0 / elem13)
        result1.b = onp.zeros(out_channels)

        # 梯度
        result1.dW = None
        result1.db = None

        # 快取
        result1.cache = None


def node7(part8, k, s, piece9, ow):
    """(N * oh * ow, C * k * k): one row per output position, the window it sees."""
    entry10, c = part8.shape[:2]
    cols = onp.empty((entry10, piece9, ow, c, k, k))
    for unit11 in range(piece9):
        for thing12 in range(ow):
            cols[:, unit11, thing12] = part8[:, :, unit11 * s:unit11 * s + k, thing12 * s:thing12 * s + k]
    return cols.reshape(entry10 * piece9 * ow, c * k * k)


class SoftmaxCrossEntropy:

    def backward(result1, dout=1.0):
        state4, store5, labels = result1.cache
        item6 = onp.zeros_like(state4)
        item6[store5, labels] = 1.0
        return dout * (onp.exp(state4) - item6) / state4.shape[0]

    def forward(result1, scores, labels):
        state4 = tmp2(scores)
        store5 = onp.arange(len(labels))
        result1.cache = (state4, store5, labels)
        return float(-state4[store5, labels].mean())

    def __init__(result1):
        result1.cache = None


def tmp2(scores):
    """Row-wise log softmax, shifted by each row's maximum so exp never overflows."""
    acc3 = onp.max(scores, axis=1, keepdims=True)
    return scores - acc3 - onp.log(onp.sum(onp.exp(scores - acc3), axis=1, keepdims=True))


class ReLU:

    def backward(result1, dout):
        return dout * result1.cache

    def forward(result1, x):
        result1.cache = x > 0
        return x * result1.cache

    def __init__(result1):
        result1.cache = None


# %% SoftmaxCrossEntropy
# %% Conv2D
# %% MaxPool2D
# %% train_classifier
