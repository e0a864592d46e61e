#!/usr/bin/env python
# coding: utf-8

# # 反向傳播作業：XOR
# (exported from a Jupyter notebook)

# In[1]:


import numpy as np


# In[2]:


class FullyConnectedLayer:          # GIVEN code (students receive it); grader always swaps in the reference
    def __init__(self, in_features, out_features):
        self.W = np.random.randn(in_features, out_features) * np.sqrt(2.0 / in_features)
        self.b = np.zeros(out_features)
        self.dW = None; self.db = None; self.cache = None
    def forward(self, X):
        self.cache = X
        return X @ self.W + self.b
    def backward(self, dY):
        X = self.cache
        self.dW = X.T @ dY
        self.db = np.sum(dY, axis=0)
        return dY @ self.W.T


# In[3]:


class Sigmoid:
    def __init__(self):
        self.cache = None

    def forward(self, x):
        # exp(-x) may be inf for very negative x; 1 / (1 + inf) == 0.0 is still the right
        # answer, so silence the overflow warning locally.
        with np.errstate(over="ignore"):
            out = 1.0 / (1.0 + np.exp(-x))
        self.cache = out
        return out

    def backward(self, dout):
        return dout * self.cache * (1.0 - self.cache)


# In[4]:


Sigmoid().forward(np.array([-1000.0, 0.0, 1000.0]))


# In[5]:


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


# In[6]:


def train_xor(net, X, y, learning_rate, epochs):
    losses = []
    for epoch in range(epochs):
        Y = net.forward(X)
        losses.append(np.mean((Y - y) ** 2))
        dY = 2 * (Y - y) / Y.size
        net.backward(dY)
        for param, grad in net.get_params_and_grads():
            param -= learning_rate * grad
    return losses


# In[7]:


X_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y_xor = np.array([[0], [1], [1], [0]], dtype=float)
np.random.seed(42)
model = TwoLayerNet(2, 4, 1)
history = train_xor(model, X_xor, y_xor, 0.5, 3000)
history[-1], model.forward(X_xor).round(3)
