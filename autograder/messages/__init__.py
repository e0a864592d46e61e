"""The engine's sentences, in Traditional Chinese (default) and English: what happened to a call into
student code (an error, a timeout, an exit), where in the student's code, which setup graded a part,
what loading found. Each assignment's package adds its per-test sentences and hints (its
``messages.py``); ``say``/``hint`` look in that catalog first.

Terms follow the notebooks: 反向傳播 backpropagation, 梯度檢驗 gradient check, 上游梯度 upstream
gradient, 就地更新 in-place update. ``HINTS`` holds the hints that apply to any assignment, each with a
stable id that goes into the failing test's ``tags``.
"""
LANGUAGES = ("zh", "en")

MESSAGES = {
    "raised": ("{what} 發生錯誤：{message}（{where}）", "{what} raised {message} ({where})"),
    "timeout": ("{what} 超過時間限制 {seconds:g} 秒（無窮迴圈？）", "{what} exceeded the time limit of {seconds:g} s (an endless loop?)"),
    "signal": ("被 signal {code} 終止", "killed by signal {code}"),
    "exit-status": ("結束碼 {code}", "exit status {code}"),
    "timeout-cpu": ("{what} 用了超過 {seconds:g} 秒的 CPU 時間（無窮迴圈？）", "{what} used more than {seconds:g} s of CPU time (an endless loop?)"),
    "out-of-memory": ("{what} 用掉的記憶體超過上限 {memory:.3g} GiB（包括 /tmp 裡的檔案），被系統終止了", "{what} used more memory than the {memory:.3g} GiB limit (files in /tmp included) and was killed"),
    "no-process": ("{what} 沒有執行：你的程式先前啟動的行程已經用完這份作業能用的行程數", "{what} did not run: processes your code started earlier used up the submission's process limit"),
    "exited": ("{what} 讓行程結束了（{message}）：不要呼叫 sys.exit / os._exit", "{what} ended the process ({message}): do not call sys.exit / os._exit"),
    "missing": ("找不到 {message}：請確認名稱與題目相同、且定義它的程式沒有語法錯誤", "{message} is not defined: check the name matches the assignment and its code has no syntax error"),
    "returned-none": ("{message}：忘了 return？", "{message}: a missing return?"),
    "not-array": ("回傳的不是數值陣列：{message}", "did not return an array of numbers: {message}"),
    "structure": ("網路結構不對：{message}", "wrong network structure: {message}"),
    "budget": ("這份作業的總時間 {seconds:g} 秒已經用完（前面的呼叫太慢或有無窮迴圈），這一項沒有執行",
               "the submission's total time of {seconds:g} s is used up (earlier calls were slow or looped), so this was not run"),
    "detail-returned-none": ("{what} 回傳了 None：忘了 return？", "{what} returned None: a missing return?"),
    "detail-not-array": ("{what} 回傳的是 {type}，不是數值陣列（{error}）", "{what} returned {type}, not an array of numbers ({error})"),
    "detail-no-attribute": ("網路沒有 {name}", "the network has no {name}"),
    "detail-param-shape": ("{name} 的形狀是 {got}，應為 {expected}", "{name} has shape {got}, expected {expected}"),
    "detail-param-not-array": ("{name} 不是 numpy 陣列（是 {type}）", "{name} is not a numpy array (it is a {type})"),
    "detail-missing": ("找不到 {name}：請確認名稱與題目相同、且定義它的程式沒有錯誤", "{name} is not defined: check the name matches the assignment and its code has no error"),
    "where-cell": ("第 {cell} 個程式格（開頭是「{first}」{label}）第 {line} 行{function}", "code cell {cell} (starting “{first}”{label}), line {line}{function}"),
    "where-file": ("{file} 第 {line} 行{function}", "{file}, line {line}{function}"),
    "where-function": ("，{name} 裡", ", in {name}"),
    "where-label": ("，{label} 的練習格", ", the {label} exercise cell"),
    "cell-numbering": ("（「第 N 個程式格」是從 notebook 開頭往下數、只數程式格的順序，不是 Jupyter 左邊 In [ ] 裡的執行編號。）",
                       "(“code cell N” counts code cells only, from the top of the notebook; it is not the In [ ] execution number Jupyter shows.)"),
    "setup-reference": ("評分時使用參考答案的 {pieces}（你的 {part} 單獨評分）", "graded with the reference {pieces} (your {part} on its own)"),
    "setup-own": ("評分時使用你自己的 {own}{with_reference}：這樣的分數比較高", "graded with your own {own}{with_reference}: that scored higher"),
    "setup-with-reference": ("，加上參考答案的 {pieces}", ", with the reference {pieces}"),
    "setup-tried": ("（也試過：{tries}）", "(also tried: {tries})"),
    "setup-try": ("{setup} {points:g}/{total:g} 分", "{setup} {points:g}/{total:g}"),
    "setup-name-reference": ("參考答案的 {pieces}", "the reference {pieces}"),
    "setup-name-own": ("你自己的 {pieces}", "your own {pieces}"),
    "setup-own-piece-lost": ("這部分也用你自己的 {piece} 評過分，但你的 {piece} 在它自己的測試沒有拿滿分：只在搭配你自己的 {piece} 時才能執行的程式，會因為它的錯誤而失分。",
                             "this part was also graded with your own {piece}, which lost points in its own tests: code that only runs with your own {piece} loses points for its mistakes."),
    "overwrote": ("{what} 改寫了呼叫者傳進來的 {name}（就地修改了輸入陣列；呼叫之後它的值不一樣了）：這一項最多只給 {share:.0%} 分",
                  "{what} overwrote the {name} its caller passed in (the input array changed in place): at most {share:.0%} of this test's points"),
    "numerical-gradient": ("{what} 的 {gradient} 是把 {source} 的元素逐一微調後重算 forward 得到的（{count} 次）：這是數值微分求出的數值梯度 (numerical gradient)，不是反向傳播 (backpropagation)，這一項不給分",
                           "{what}'s {gradient} came from re-running forward on copies of {source} with one entry nudged at a time ({count} evaluations): that is a numerical gradient, not backpropagation, so this test earns nothing"),
    "numerical-gradient-whole": ("{what} 的 {gradient} 是把 {source} 的許多元素同時微調同樣一小步後重算 forward 得到的（{count} 次）：這是數值微分求出的數值梯度 (numerical gradient)，不是反向傳播 (backpropagation)，這一項不給分",
                                 "{what}'s {gradient} came from re-running forward on copies of {source} with many entries nudged together by one small step ({count} evaluations): that is a numerical gradient, not backpropagation, so this test earns nothing"),
    "backward-untraced": ("{what} 執行時，評分程式的追蹤函式 (sys.settrace) 被換掉或移除了：無法確認梯度是怎麼算出來的，這一項不給分",
                          "while {what} ran, the grader's trace function (sys.settrace) was replaced or removed: how its gradients were computed cannot be confirmed, so this test earns nothing"),
    "undefined-because": ("{name} 沒有定義，是因為定義它的敘述（{where}）在載入時出錯了（見最上面的載入訊息）",
                          "{name} is not defined because the statement defining it ({where}) failed while loading (see the loading messages at the top)"),
    "missing-import": ("{where}：import {module} 在評分環境找不到；被評分的程式沒有用到它，所以不影響分數，但沒有 {module} 的環境會無法執行這個檔案",
                       "{where}: import {module} cannot be found in the grading environment; graded code does not use it, so no points are lost, but the file would not run where {module} is missing"),
    "load-timeout": ("無法載入你的程式：執行定義超過 {seconds:g} 秒（class 或模組層級有無窮迴圈或很慢的程式？）",
                     "your code could not be loaded: executing the definitions took longer than {seconds:g} s (an endless loop or slow code at class or module level?)"),
    "load-exited": ("無法載入你的程式：執行定義時行程結束了（模組層級呼叫了 exit？）",
                    "your code could not be loaded: the process ended while executing the definitions (exit() at module level?)"),
    "protocol": ("評分程式無法讀取你的程式的回應（輸出被破壞了？）", "the grader could not read your code's reply (its output was tampered with?)"),
    "not-finite": ("{what} 回傳了 nan 或 inf", "{what} returned nan or inf"),
    "shape": ("{what} 的形狀是 {got}，應為 {expected}", "{what} has shape {got}, expected {expected}"),
    "printed": ("你的程式印出了：\n{text}", "your code printed:\n{text}"),
    "warned": ("執行時出現警告：{warnings}", "warnings while running: {warnings}"),
    "load-problem": ("{where}：{message}——{scope}定義的東西都沒有載入", "{where}: {message} -- nothing {scope} defines was loaded"),
    "load-problem-noline": ("{origin}：{message}", "{origin}: {message}"),
}

HINTS = {
    "modifies-input": (
        "函式不可以就地修改呼叫者傳進來的陣列（例如 dout *= …、X -= …、x[x < 0] = 0）：先做一份新的陣列再計算。",
        "A function must not change the arrays its caller passed in (e.g. dout *= …, X -= …, x[x < 0] = 0): compute into a new array."),
    "numerical-gradient": (
        "backward 要用連鎖律從上游梯度 dout 算出梯度（反向傳播）；數值梯度只用來做梯度檢驗 (gradient check)，檢查 backward 算得對不對。",
        "backward must compute the gradient from the upstream gradient dout with the chain rule (backpropagation); a numerical gradient is only for the gradient check that tests backward's result."),
    "backward-untraced": (
        "backward 裡不要呼叫 sys.settrace，也不要留下 pdb.set_trace() 或 breakpoint()：評分程式要看得到梯度是怎麼算出來的。",
        "Do not call sys.settrace in backward, nor leave pdb.set_trace() or breakpoint() there: the grader must see how the gradient is computed."),
}


def say(key, lang="zh", catalog=None, **values):
    """One sentence: from ``catalog`` (an assignment's MESSAGES) if it has ``key``, else the engine's."""
    zh, en = (catalog or {}).get(key) or MESSAGES[key]
    return (en if lang == "en" else zh).format(**values)


def hint(hint_id, lang="zh", catalog=None):
    """One hint, prefixed: from ``catalog`` (an assignment's HINTS) if it has it, else the engine's."""
    zh, en = (catalog or {}).get(hint_id) or HINTS[hint_id]
    return ("提示：" + zh) if lang != "en" else ("Hint: " + en)
