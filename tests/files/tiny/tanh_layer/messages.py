"""00's sentences and hints (zh-TW, English)."""
MESSAGES = {
    "values": ("{what}：{right}/{total} 個形狀與參考答案相符（最大相對誤差 {error:.1e}）",
               "{what}: {right}/{total} shapes match the reference (largest relative error {error:.1e})"),
    "gradient": ("Tanh.backward 梯度檢驗：與參考答案的最大相對誤差 {error:.1e}",
                 "Tanh.backward gradient check: largest relative error against the reference {error:.1e}"),
}
HINTS = {
    "tanh-ignores-dout": ("你的 dx 看起來沒有乘上上游梯度 dout：dx = dout × (1 − tanh²(x))。",
                          "Your dx looks like it ignores the upstream gradient dout: dx = dout × (1 − tanh²(x))."),
}
