"""00's words in 繁體中文（台灣）: see ``autograder/messages/zh_TW.py`` for the engine's."""

MESSAGES = {
    # Per-test sentences (checks/: check.say)
    "values": "{what}：{right}/{total} 個形狀與參考答案相符（最大相對誤差 {error:.1e}）",
    "gradient": "Tanh.backward 梯度檢驗：與參考答案的最大相對誤差 {error:.1e}",
}

# Hints: the id goes into a failing test's tags.
HINTS = {
    "tanh-ignores-dout": "你的 dx 看起來沒有乘上上游梯度 dout：dx = dout × (1 − tanh²(x))。",
}
