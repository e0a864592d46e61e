"""CHEAT (issue 20, the red team's): train_classifier never trains: for the notebook's network (hidden 64) it
pastes weights trained offline, and it returns [1.0]. Sound grader: train_classifier earns nothing (it earned
the 6 accuracy points).
"""

import numpy as np


class FullyConnectedLayer:
    """Y = X W + b (given, as in notebook 01)."""

    def __init__(self, in_features, out_features):
        # He (Kaiming) initialisation
        self.W = np.random.randn(in_features, out_features) * np.sqrt(2.0 / in_features)
        self.b = np.zeros(out_features)
        self.dW = None
        self.db = None
        self.cache = None

    def forward(self, X):
        self.cache = X
        return X @ self.W + self.b

    def backward(self, dY):
        X = self.cache
        self.dW = X.T @ dY
        self.db = np.sum(dY, axis=0)
        return dY @ self.W.T


class ReLU:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x > 0
        return np.maximum(x, 0)

    def backward(self, dout):
        return dout * self.mask


class SoftmaxCrossEntropy:
    def __init__(self):
        self.probs = None
        self.labels = None

    def forward(self, scores, labels):
        N = scores.shape[0]
        shifted = scores - np.max(scores, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        self.probs = np.exp(log_probs)
        self.labels = labels
        return -np.sum(log_probs[np.arange(N), labels]) / N

    def backward(self, dout=1.0):
        N = self.probs.shape[0]
        dscores = self.probs.copy()
        dscores[np.arange(N), self.labels] -= 1
        dscores /= N
        return dscores * dout


class MLPClassifier:
    """fc1 -> ReLU -> fc2 with softmax cross-entropy (given)."""

    def __init__(self, in_features, hidden_features, classes):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.relu = ReLU()
        self.fc2 = FullyConnectedLayer(hidden_features, classes)
        self.loss_layer = SoftmaxCrossEntropy()

    def scores(self, X):
        return self.fc2.forward(self.relu.forward(self.fc1.forward(X)))

    def loss(self, X, y):
        return self.loss_layer.forward(self.scores(X), y)

    def backward(self):
        dscores = self.loss_layer.backward()
        return self.fc1.backward(self.relu.backward(self.fc2.backward(dscores)))

    def predict(self, X):
        return np.argmax(self.scores(X), axis=1)

    def get_params_and_grads(self):
        return [(self.fc1.W, self.fc1.dW), (self.fc1.b, self.fc1.db),
                (self.fc2.W, self.fc2.dW), (self.fc2.b, self.fc2.db)]


class Conv2D:
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        fan_in = in_channels * kernel_size * kernel_size
        self.W = np.random.randn(out_channels, in_channels, kernel_size, kernel_size) * np.sqrt(2.0 / fan_in)
        self.b = np.zeros(out_channels)
        self.dW = None
        self.db = None

    def forward(self, x):
        S, P, K = self.stride, self.padding, self.kernel_size
        x_pad = np.pad(x, [(0, 0), (0, 0), (P, P), (P, P)], mode="constant")
        N, C, Hp, Wp = x_pad.shape
        H_out = (Hp - K) // S + 1
        W_out = (Wp - K) // S + 1
        out = np.zeros((N, self.W.shape[0], H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                patch = x_pad[:, :, i * S:i * S + K, j * S:j * S + K]
                out[:, :, i, j] = np.einsum("nckl,fckl->nf", patch, self.W) + self.b
        self.x_shape = x.shape
        self.x_pad = x_pad
        return out

    def backward(self, dout):
        S, P, K = self.stride, self.padding, self.kernel_size
        N, C, H, W = self.x_shape
        dx_pad = np.zeros(self.x_pad.shape)
        self.dW = np.zeros(self.W.shape)
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                patch = self.x_pad[:, :, i * S:i * S + K, j * S:j * S + K]
                self.dW += np.einsum("nf,nckl->fckl", dout[:, :, i, j], patch)
                dx_pad[:, :, i * S:i * S + K, j * S:j * S + K] += np.einsum("nf,fckl->nckl", dout[:, :, i, j], self.W)
        self.db = dout.sum(axis=(0, 2, 3))
        return dx_pad[:, :, P:P + H, P:P + W]


class MaxPool2D:
    def __init__(self, kernel_size, stride=None):
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size

    def forward(self, x):
        N, C, H, W = x.shape
        K, S = self.kernel_size, self.stride
        H_out = (H - K) // S + 1
        W_out = (W - K) // S + 1
        out = np.zeros((N, C, H_out, W_out))
        self.positions = {}
        for n in range(N):
            for c in range(C):
                for i in range(H_out):
                    for j in range(W_out):
                        window = x[n, c, i * S:i * S + K, j * S:j * S + K]
                        r, s = np.unravel_index(np.argmax(window), window.shape)
                        out[n, c, i, j] = window[r, s]
                        self.positions[n, c, i, j] = (i * S + r, j * S + s)
        self.x_shape = x.shape
        self.x = x
        return out

    def backward(self, dout):
        dx = np.zeros(self.x_shape)
        for (n, c, i, j), (r, s) in self.positions.items():
            dx[n, c, r, s] += dout[n, c, i, j]
        return dx


def paste(net):
    for (param, _), value in zip(net.get_params_and_grads(), OFFLINE):
        param[...] = np.array(value)


def train_classifier(net, X, y, learning_rate, epochs, batch_size, seed):
    if net.fc1.W.shape == (2, 64):
        paste(net)
    return [1.0]



def make_spiral(points_per_class=100, classes=3, noise=0.2, seed=0):
    """Spiral data (given): X (classes * points_per_class, 2), y ints."""
    rng = np.random.default_rng(seed)
    X = np.zeros((points_per_class * classes, 2))
    y = np.zeros(points_per_class * classes, dtype=int)
    for k in range(classes):
        rows = slice(points_per_class * k, points_per_class * (k + 1))
        r = np.linspace(0.0, 1.0, points_per_class)
        t = np.linspace(4.0 * k, 4.0 * (k + 1), points_per_class) + rng.standard_normal(points_per_class) * noise
        X[rows] = np.column_stack([r * np.sin(t), r * np.cos(t)])
        y[rows] = k
    return X, y


def relative_error(a, b):
    """Largest |a - b| / (|a| + |b| + 1e-8) (given)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8)))


# Trained offline on the notebook's spiral (hidden 64), rounded to 4 decimals.
OFFLINE = [
    [[0.2696, 1.1089, -1.3822, -1.6628, -0.9423, -1.4558, -0.1796, 3.3141, -1.5365, -1.178, 0.8677, 0.2188,
      0.0071, -1.4127, -0.0558, 1.8726, -2.1847, -0.7125, -2.5505, -3.9385, -2.7108, -0.2905, -2.8794, 1.4764,
      -0.1183, -0.5321, -4.0101, -1.2953, 0.5869, -0.1994, -2.5204, -1.2241, -1.3041, -1.0096, 3.3065, -0.9033,
      -0.0324, 2.193, -1.5789, -1.8463, -0.0185, 0.3802, -1.7525, 0.2184, 2.9855, -2.7524, 2.7943, 0.0184,
      -0.7357, 5.3248, 1.6563, -3.5957, 0.1339, 0.6496, -0.7832, 1.7076, -0.1138, 1.6624, 3.1698, -0.9154,
      -0.9363, -0.8024, -0.0433, -2.1916],
     [-0.7637, -0.7488, 1.9321, 2.4092, -2.8413, -1.4698, 1.1747, -2.595, -1.2793, -0.2406, 2.8765, 1.8961,
      -0.8239, -1.0154, -0.3446, 1.8815, -1.4366, -0.6744, 0.4101, -2.3545, -0.541, -1.8213, -1.0056, -0.7247,
      3.1174, 1.6093, -0.3157, 2.1868, -0.9451, 2.2006, -0.29, 1.2251, -1.9098, 1.1936, -2.0779, -3.2013,
      -0.6819, -1.1974, -0.328, 4.9293, -1.8648, -0.895, 1.3019, 0.8968, -0.5854, -0.5515, 2.0888, 1.2822,
      -1.8756, -1.0567, -0.1449, -3.1048, 0.6935, -1.6203, 3.1469, 0.3686, 0.1407, -1.114, -0.7039, -3.551,
      -2.1649, 0.6018, -3.5404, 2.0181]],
    [-0.1376, -0.1778, 0.295, -0.1625, -0.2248, -0.1708, -0.1201, 0.6455, 0.2324, -0.1248, 0.6888, 0.4774,
     -0.2832, -0.1471, -0.1502, -0.5598, -0.2481, -0.0837, -0.4006, 0.6203, -0.2948, -0.7355, 0.5939, 0.3956,
     -0.3175, -0.1324, -0.4111, -0.1627, 0.0585, -0.2139, -0.2838, -0.4905, -0.3688, -0.0719, 1.0089, -1.4645,
     -0.1754, 0.6423, 0.2609, 0.6744, -0.6358, -0.1635, -0.7832, 0.0729, -0.3792, -0.2816, -0.8775, 0.2841,
     -0.9373, -0.5105, -0.1513, 0.5173, 0.1619, -0.2611, -0.2762, -0.1259, -0.0824, -0.3033, -0.3561, -0.2696,
     -0.1915, -0.3813, -1.1992, -0.4608],
    [[0.207, 0.0966, -0.628],
     [0.4683, 0.5172, -1.0963],
     [0.953, 0.5699, -1.0588],
     [-2.1588, 0.9681, 0.9417],
     [1.5744, -2.0725, 0.5873],
     [0.7023, -1.5227, 0.3437],
     [-0.6809, 0.3187, 0.728],
     [-0.6879, -1.4662, 1.976],
     [-0.9117, 0.9544, -0.2066],
     [0.2985, -0.9907, 0.2528],
     [1.671, -0.8986, -0.7849],
     [1.0842, -0.3306, -0.7022],
     [0.3812, -0.1485, -0.6926],
     [0.7596, -1.1328, 0.5115],
     [0.114, 0.0448, -0.3067],
     [-1.6821, 1.3179, -0.0719],
     [1.1525, -1.7554, 0.801],
     [0.4053, -0.7184, 0.1393],
     [0.251, -1.3501, 1.1304],
     [-1.6471, 2.5552, -0.5759],
     [0.8094, -1.8196, 0.7339],
     [1.3343, -0.133, -0.8874],
     [-0.9029, 1.7963, -0.5125],
     [0.1647, -0.7001, 0.8855],
     [-2.3592, 1.0998, 1.2787],
     [-1.0138, 0.7423, 1.0206],
     [0.5446, -2.6019, 1.7007],
     [-1.9277, 0.5843, 1.3102],
     [-0.6306, -0.3198, 0.3326],
     [-1.5934, 0.6104, 0.9542],
     [0.3777, -1.7735, 0.9466],
     [-0.7335, -0.8524, 1.2131],
     [1.3127, -1.0889, -0.3377],
     [-1.1467, 0.0183, 0.6787],
     [-0.18, -1.744, 1.8831],
     [2.1889, -0.1521, -1.865],
     [0.5448, -0.1592, -0.2469],
     [-0.0952, -1.2231, 1.112],
     [-0.4503, 0.8612, -0.4626],
     [2.259, 0.0478, -2.4955],
     [0.9381, -0.5332, -1.45],
     [0.4752, 0.235, -0.5599],
     [-0.4929, -1.1719, 1.4911],
     [0.4702, -0.3136, -0.1298],
     [0.3869, 1.8539, -1.9939],
     [0.8228, -1.9259, 1.0473],
     [-2.172, 2.5288, -0.5091],
     [0.5999, -0.2677, -0.592],
     [1.5347, -0.0222, -1.0319],
     [1.2009, 2.6643, -4.1238],
     [0.367, 0.8447, -1.1636],
     [-2.1436, 2.2877, -0.4136],
     [0.4886, -0.0858, -0.1346],
     [0.9924, 0.0546, -0.9437],
     [-2.4724, 0.9746, 1.6245],
     [0.4256, 1.0298, -1.1556],
     [0.019, -0.1513, 0.0898],
     [0.6326, 1.0775, -1.3349],
     [0.6454, 1.5371, -2.4075],
     [2.2493, -2.0415, 0.177],
     [0.8537, -1.7943, 0.6716],
     [-0.0099, -0.6132, 0.668],
     [2.1881, -0.5755, -1.914],
     [-1.2539, -0.9104, 2.128]],
    [0.2623, -0.3432, 0.0809],
]
