# the reference solution as the red team disguised it: every name renamed (self and np too), functions and methods reordered, one loop made a comprehension
# %% Sigmoid
import numpy as onp


def train_xor(net, X, y, learning_rate, epochs):
    """
    用全批次梯度下降訓練網路（MSE 損失），就地更新參數

    Parameters
    ----------
    net : TwoLayerNet
        要訓練的網路（參數會被就地更新）
    X : np.ndarray, shape (N, in_features)
        輸入
    y : np.ndarray, shape (N, out_features)
        目標值
    learning_rate : float
        學習率
    epochs : int
        更新次數

    Returns
    -------
    losses : list of float
        長度為 epochs；losses[i] 是第 i+1 次更新之前的損失（losses[0] 是訓練前的損失）
    """
    piece9 = []

    for entry10 in range(epochs):
        # 前向傳播
        unit11 = net.forward(X)

        # 計算 MSE 損失
        thing12 = onp.mean((unit11 - y) ** 2)
        piece9.append(thing12)

        # 計算梯度
        dY = 2 * (unit11 - y) / unit11.size

        # 反向傳播
        net.backward(dY)

        # 更新參數（梯度下降，就地更新）
        [onp.subtract(param, learning_rate * elem13, out=param) for param, elem13 in net.get_params_and_grads()]

    return piece9


class TwoLayerNet:

    def get_params_and_grads(result1):
        """
        回傳所有參數和對應的梯度

        Returns
        -------
        list of (param, grad)
            [(fc1.W, fc1.dW), (fc1.b, fc1.db), (fc2.W, fc2.dW), (fc2.b, fc2.db)]，網路自己的陣列（不是副本）
        """
        return [
            (result1.fc1.W, result1.fc1.dW),
            (result1.fc1.b, result1.fc1.db),
            (result1.fc2.W, result1.fc2.dW),
            (result1.fc2.b, result1.fc2.db),
        ]

    def backward(result1, dout):
        """
        反向傳播

        Parameters
        ----------
        dout : np.ndarray, shape (N, out_features)
            損失對輸出的梯度

        Returns
        -------
        dX : np.ndarray, shape (N, in_features)
            損失對輸入的梯度
        """
        # 以相反順序呼叫 backward
        item6 = result1.fc2.backward(dout)
        node7 = result1.sigmoid.backward(item6)
        part8 = result1.fc1.backward(node7)
        return part8

    def forward(result1, X):
        """
        前向傳播

        Parameters
        ----------
        X : np.ndarray, shape (N, in_features)

        Returns
        -------
        out : np.ndarray, shape (N, out_features)
        """
        state4 = result1.fc1.forward(X)
        store5 = result1.sigmoid.forward(state4)
        out = result1.fc2.forward(store5)
        return out

    def __init__(result1, in_features, hidden_features, out_features):
        """
        Parameters
        ----------
        in_features : int
            輸入維度
        hidden_features : int
            隱藏層維度
        out_features : int
            輸出維度
        """
        # 初始化各層
        result1.fc1 = FullyConnectedLayer(in_features, hidden_features)
        result1.sigmoid = Sigmoid()
        result1.fc2 = FullyConnectedLayer(hidden_features, out_features)


class Sigmoid:

    def backward(result1, dout):
        """
        反向傳播

        Parameters
        ----------
        dout : np.ndarray
            上游梯度，形狀與 forward 輸出相同

        Returns
        -------
        dx : np.ndarray
            對輸入的梯度，形狀與 dout 相同
        """
        # σ'(x) = σ(x) * (1 - σ(x))
        # 這裡 self.cache 已經是 σ(x) 了
        tmp2 = result1.cache
        acc3 = dout * tmp2 * (1 - tmp2)
        return acc3

    def forward(result1, x):
        """
        前向傳播

        Parameters
        ----------
        x : np.ndarray
            任意形狀的輸入

        Returns
        -------
        out : np.ndarray
            σ(x)，與輸入相同形狀
        """
        # 數值穩定的 sigmoid：只計算 exp(-|x|)，它永遠不會 overflow
        # 對於 x >= 0: sigmoid = 1 / (1 + exp(-x))
        # 對於 x < 0:  sigmoid = exp(x) / (1 + exp(x))
        z = onp.exp(-onp.abs(x))
        out = onp.where(x >= 0, 1 / (1 + z), z / (1 + z))
        result1.cache = out  # 儲存輸出值 σ(x)，不是輸入
        return out

    def __init__(result1):
        result1.cache = None


# %% TwoLayerNet
# %% train_xor
