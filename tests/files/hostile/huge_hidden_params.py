# HOSTILE huge_hidden_params: train_xor trains correctly, then re-binds the layers' parameters to
# zero-padded copies with 1,200,000 hidden units (same function, so 4/4). Each train reply is ~51 MB: the
# grader keeps them, writes a ~48 MB .training.npz per submission, and --feedback later evaluates the
# net on an 80x80 grid: a (6400 x 1.2M) float64 matrix = 61 GB in the grading process.
# Sound grader: bounded sizes; final-parameters test 0; no crash of --feedback.
import numpy as np

class FullyConnectedLayer:
    def __init__(self, in_features, out_features):
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

class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        self.cache = out
        return out

    def backward(self, dout):
        return dout * self.cache * (1.0 - self.cache)

class TwoLayerNet:
    def __init__(self, in_features, hidden_features, out_features):
        self.fc1 = FullyConnectedLayer(in_features, hidden_features)
        self.sigmoid = Sigmoid()
        self.fc2 = FullyConnectedLayer(hidden_features, out_features)

    def forward(self, X):
        return self.fc2.forward(self.sigmoid.forward(self.fc1.forward(X)))

    def backward(self, dout):
        return self.fc1.backward(self.sigmoid.backward(self.fc2.backward(dout)))

    def get_params_and_grads(self):
        return [(self.fc1.W, self.fc1.dW), (self.fc1.b, self.fc1.db),
                (self.fc2.W, self.fc2.dW), (self.fc2.b, self.fc2.db)]


def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        Y = net.forward(X)
        losses.append(np.mean((Y - y) ** 2))
        net.backward(2 * (Y - y) / Y.size)
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad
    hidden = 1_200_000
    W1 = np.zeros((net.fc1.W.shape[0], hidden)); W1[:, :net.fc1.W.shape[1]] = net.fc1.W
    b1 = np.zeros(hidden); b1[:net.fc1.b.shape[0]] = net.fc1.b
    W2 = np.zeros((hidden, net.fc2.W.shape[1])); W2[:net.fc2.W.shape[0]] = net.fc2.W
    net.fc1.W, net.fc1.b, net.fc2.W = W1, b1, W2
    return losses
