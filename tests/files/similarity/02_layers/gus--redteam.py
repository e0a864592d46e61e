# gus's solution as the red team disguised it: every name renamed (self and np too), functions and methods reordered, one loop made a comprehension
# %% ReLU
import numpy as xp


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    rng = xp.random.default_rng(seed)
    cur22 = X.shape[0]
    nxt23 = -(-cur22 // batch_size)
    value24 = []
    for result25 in range(epochs):
        tmp26 = rng.permutation(cur22)
        for b in range(nxt23):
            acc27 = tmp26[b * batch_size:(b + 1) * batch_size]
            value24.append(net.loss(X[acc27], y[acc27]))
            net.backward()
            [xp.subtract(param, learning_rate * state28, out=param) for param, state28 in net.get_params_and_grads()]
    return value24


class MaxPool2D:

    def backward(result1, dout):
        shape, arg = result1.cache
        k, s = result1.kernel_size, result1.stride
        key219 = xp.zeros(shape)
        piece9, c, part8, ow = dout.shape
        aux20, ci = xp.indices((piece9, c))
        for entry10 in range(part8):
            for unit11 in range(ow):
                buf21, q = arg[:, :, entry10, unit11] // k, arg[:, :, entry10, unit11] % k
                key219[aux20, ci, entry10 * s + buf21, unit11 * s + q] += dout[:, :, entry10, unit11]
        return key219

    def forward(result1, x):
        piece9, c, elem13, w = x.shape
        k, s = result1.kernel_size, result1.stride
        part8, ow = (elem13 - k) // s + 1, (w - k) // s + 1
        field18 = xp.empty((piece9, c, part8, ow, k * k))
        for entry10 in range(part8):
            for unit11 in range(ow):
                field18[:, :, entry10, unit11] = x[:, :, entry10 * s:entry10 * s + k, unit11 * s:unit11 * s + k].reshape(piece9, c, -1)
        result1.cache = (x.shape, field18.argmax(axis=-1))
        return field18.max(axis=-1)

    def __init__(result1, kernel_size, stride=None):
        result1.kernel_size = kernel_size
        result1.stride = kernel_size if stride is None else stride
        result1.cache = None


class Conv2D:

    def backward(result1, dout):
        (piece9, c, elem13, w), chunk14, cols = result1.cache
        f, _, k, _ = result1.W.shape
        s, p = result1.stride, result1.padding
        part8, ow = dout.shape[2], dout.shape[3]
        block15 = dout.transpose(0, 2, 3, 1).reshape(-1, f)
        result1.dW = (block15.T @ cols).reshape(result1.W.shape)
        result1.db = block15.sum(axis=0)
        token16 = (block15 @ result1.W.reshape(f, -1)).reshape(piece9, part8, ow, c, k, k)
        slot17 = xp.zeros(chunk14)
        for entry10 in range(part8):
            for unit11 in range(ow):
                slot17[:, :, entry10 * s:entry10 * s + k, unit11 * s:unit11 * s + k] += token16[:, entry10, unit11]
        return slot17[:, :, p:p + elem13, p:p + w]

    def forward(result1, x):
        piece9, c, elem13, w = x.shape
        f, _, k, _ = result1.W.shape
        s, p = result1.stride, result1.padding
        part8 = (elem13 + 2 * p - k) // s + 1
        ow = (w + 2 * p - k) // s + 1
        xp = xp.pad(x, [(0, 0), (0, 0), (p, p), (p, p)])
        cols = node7(xp, k, s, part8, ow)
        out = cols @ result1.W.reshape(f, -1).T + result1.b
        result1.cache = (x.shape, xp.shape, cols)
        return out.reshape(piece9, part8, ow, f).transpose(0, 3, 1, 2)

    def __init__(result1, in_channels, out_channels, kernel_size, stride=1, padding=0):
        result1.kernel_size = kernel_size
        result1.stride = stride
        result1.padding = padding
        # He (Kaiming) 初始化：每個輸出看到 C * K * K 個輸入
        thing12 = in_channels * kernel_size * kernel_size
        result1.W = xp.random.randn(out_channels, in_channels, kernel_size, kernel_size) * xp.sqrt(2.0 / thing12)
        result1.b = xp.zeros(out_channels)

        # 梯度
        result1.dW = None
        result1.db = None

        # 快取
        result1.cache = None


def node7(xp, k, s, part8, ow):
    """(N * oh * ow, C * k * k): one row per output position, the window it sees."""
    piece9, c = xp.shape[:2]
    cols = xp.empty((piece9, part8, ow, c, k, k))
    for entry10 in range(part8):
        for unit11 in range(ow):
            cols[:, entry10, unit11] = xp[:, :, entry10 * s:entry10 * s + k, unit11 * s:unit11 * s + k]
    return cols.reshape(piece9 * part8 * ow, c * k * k)


class SoftmaxCrossEntropy:

    def backward(result1, dout=1.0):
        state4, store5, labels = result1.cache
        item6 = xp.zeros_like(state4)
        item6[store5, labels] = 1.0
        return dout * (xp.exp(state4) - item6) / state4.shape[0]

    def forward(result1, scores, labels):
        state4 = tmp2(scores)
        store5 = xp.arange(len(labels))
        result1.cache = (state4, store5, labels)
        return float(-state4[store5, labels].mean())

    def __init__(result1):
        result1.cache = None


def tmp2(scores):
    """Row-wise log softmax, shifted by each row's maximum so exp never overflows."""
    acc3 = xp.max(scores, axis=1, keepdims=True)
    return scores - acc3 - xp.log(xp.sum(xp.exp(scores - acc3), axis=1, keepdims=True))


class ReLU:

    def backward(result1, dout):
        return dout * result1.cache

    def forward(result1, x):
        result1.cache = x > 0
        return x * result1.cache

    def __init__(result1):
        result1.cache = None
