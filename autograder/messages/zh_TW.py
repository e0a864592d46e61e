"""繁體中文（台灣）: the engine's words, and the default language (``--lang zh``).

Terms follow the notebooks: 反向傳播 backpropagation, 梯度檢驗 gradient check, 上游梯度 upstream
gradient, 就地更新 in-place update, 連鎖律 chain rule, 純量 scalar. Every id here is in every other
language's file, with the same placeholders (tests/test_messages.py).
"""
LANG = "zh"               # the --lang value
TAG = "zh-Hant-TW"        # the HTML page's lang
CJK = True                # figures need a CJK font for these words (else they are drawn in English)

MESSAGES = {
    # What happened to a call into student code, and where (checks/)
    "raised": "{what} 發生錯誤：{message}（{where}）",
    "timeout": "{what} 超過時間限制 {seconds:g} 秒（無窮迴圈？）",
    "signal": "被 signal {code} 終止",
    "exit-status": "結束碼 {code}",
    "timeout-cpu": "{what} 用了超過 {seconds:g} 秒的 CPU 時間（無窮迴圈？）",
    "out-of-memory": "{what} 用掉的記憶體超過上限 {memory:.3g} GiB（包括 /tmp 裡的檔案），被系統終止了",
    "no-process": "{what} 沒有執行：你的程式先前啟動的行程已經用完這份作業能用的行程數",
    "exited": "{what} 讓行程結束了（{message}）：不要呼叫 sys.exit / os._exit",
    "missing": "找不到 {message}：請確認名稱與題目相同、且定義它的程式沒有語法錯誤",
    "returned-none": "{message}：忘了 return？",
    "not-array": "回傳的不是數值陣列：{message}",
    "structure": "網路結構不對：{message}",
    "budget": "這份作業的總時間 {seconds:g} 秒已經用完（前面的呼叫太慢或有無窮迴圈），這一項沒有執行",
    "detail-returned-none": "{what} 回傳了 None：忘了 return？",
    "detail-not-array": "{what} 回傳的是 {type}，不是數值陣列（{error}）",
    "detail-no-attribute": "網路沒有 {name}",
    "detail-param-shape": "{name} 的形狀是 {got}，應為 {expected}",
    "detail-param-not-array": "{name} 不是 numpy 陣列（是 {type}）",
    "detail-missing": "找不到 {name}：請確認名稱與題目相同、且定義它的程式沒有錯誤",
    "where-cell": "第 {cell} 個程式格（開頭是「{first}」{label}）第 {line} 行{function}",
    "where-file": "{file} 第 {line} 行{function}",
    "where-function": "，{name} 裡",
    "where-label": "，{label} 的練習格",
    "cell-numbering": ("（「第 N 個程式格」是從 notebook 開頭往下數、只數程式格的順序，不是 Jupyter 左邊 In [ ] 裡"
                       "的執行編號。）"),
    "setup-reference": "評分時使用參考答案的 {pieces}（你的 {part} 單獨評分）",
    "setup-own": "評分時使用你繳交的程式裡的 {own}{with_reference}：這樣的分數比較高",
    "setup-with-reference": "，加上參考答案的 {pieces}",
    "setup-tried": "（也試過：{tries}）",
    "setup-try": "{setup} {points:g}/{total:g} 分",
    "setup-name-reference": "參考答案的 {pieces}",
    "setup-name-own": "你繳交的程式裡的 {pieces}",
    "setup-own-piece-lost": ("這部分也用你自己的 {piece} 評過分，但你的 {piece} 在它自己的測試沒有拿滿分：只在搭配"
                             "你自己的 {piece} 時才能執行的程式，會因為它的錯誤而失分。"),
    "overwrote": ("{what} 改寫了呼叫者傳進來的 {name}（就地修改了輸入陣列；呼叫之後它的值不一樣了）：這一項最多只"
                  "給 {share:.0%} 分"),
    "numerical-gradient": ("{what} 的 {gradient} 是把 {source} 的元素逐一微調後重算 forward 得到的（{count} 次）："
                           "這是數值微分求出的數值梯度 (numerical gradient)，不是反向傳播 (backpropagation)，這一項"
                           "不給分"),
    "numerical-gradient-whole": ("{what} 的 {gradient} 是把 {source} 的許多元素同時微調同樣一小步後重算 forward 得"
                                 "到的（{count} 次）：這是數值微分求出的數值梯度 (numerical gradient)，不是反向傳"
                                 "播 (backpropagation)，這一項不給分"),
    "backward-untraced": ("{what} 執行時，評分程式的追蹤函式 (sys.settrace) 被換掉或移除了：無法確認梯度是怎麼算出"
                          "來的，這一項不給分"),
    "undefined-because": "{name} 沒有定義，是因為定義它的敘述（{where}）在載入時出錯了（見最上面的載入訊息）",
    "missing-import": ("{where}：import {module} 在評分環境找不到；被評分的程式沒有用到它，所以不影響分數，但沒有 "
                       "{module} 的環境會無法執行這個檔案"),
    "load-timeout": "無法載入你的程式：執行定義超過 {seconds:g} 秒（class 或模組層級有無窮迴圈或很慢的程式？）",
    "load-exited": "無法載入你的程式：執行定義時行程結束了（模組層級呼叫了 exit？）",
    "protocol": "評分程式無法讀取你的程式的回應（輸出被破壞了？）",
    "not-finite": "{what} 回傳了 nan 或 inf",
    "observed": ("{what}{case}：{size} 個元素中有 {count} 個和參考答案不同"
                 "（第一個在 {index}：{got}，應為 {expected}）；這些值不符合評分程式已知的任何典型錯誤"),
    "observed-scalar": "{what}{case}：回傳 {got}，應為 {expected}；這不符合評分程式已知的任何典型錯誤",
    "observed-dtype": "{what} 回傳的陣列型別是 {dtype}，不是 float64",
    "shape": "{what} 的形狀是 {got}，應為 {expected}",
    "printed": "你的程式印出了：\n{text}",
    "warned": "執行時出現警告：{warnings}",
    "load-problem": "{where}：{message}——{scope}定義的東西都沒有載入",
    "load-problem-noline": "{origin}：{message}",
    # Lists inside a sentence, and where a load problem's statement stops (checks/)
    "list-separator": "、",
    "tries-separator": "；",
    "scope-cell": "這一格",
    "scope-file": "這個檔案",
    "scope-statement": "這一行",
    "hint-prefix": "提示：{text}",
    # A submission's status, a failed test's kind (the class report, the terminal)
    "status.graded": "已評分",
    "status.load-error": "無法載入",
    "status.duplicate": "學號重複",
    "status.grader-error": "評分程式出錯",
    "status.no-submission": "沒有繳交",
    "kind.wrong-values": "數值錯誤",
    "kind.raised": "發生例外",
    "kind.timeout": "超過時間限制",
    "kind.timeout-cpu": "超過 CPU 時間限制",
    "kind.budget": "總時間用完",
    "kind.out-of-memory": "記憶體超過上限",
    "kind.no-process": "行程數用完",
    "kind.exited": "行程結束",
    "kind.missing": "找不到定義",
    "kind.returned-none": "回傳 None",
    "kind.not-array": "不是數值陣列",
    "kind.not-finite": "nan 或 inf",
    "kind.shape": "形狀錯誤",
    "kind.structure": "網路結構錯誤",
    "kind.load-timeout": "載入超時",
    "kind.load-exited": "載入時行程結束",
    "kind.protocol": "回應無法讀取",
    "kind.numerical-gradient": "以數值微分代替反向傳播",
    "kind.backward-untraced": "backward 執行時移除了追蹤",
    "kind.overwrote": "改寫了傳入的陣列",
    "kind.grader-error": "評分程式錯誤",
    # The class report's page (views/report/)
    "report.title": "全班評分報告",
    "report.heading": "{title}：{assignment} {name}",
    "report.summary": "摘要",
    "report.summary-line": ("{n} 份繳交：{graded} 份已評分，{not_graded} 份未評分；平均 {mean:g} 分，中位數 "
                            "{median:g} 分（滿分 {total:g}）"),
    "report.mean": "平均",
    "report.distribution": "分數分布",
    "report.total": "總分",
    "report.part": "部分",
    "report.tests": "各測試項目",
    "report.test": "測試項目",
    "report.points": "配分",
    "report.pass-rate": "滿分比例",
    "report.mean-share": "平均得分比例",
    "report.hints": "提示出現次數",
    "report.hint": "提示",
    "report.students": "學生數",
    "report.example": "範例回饋",
    "report.no-hint": "沒有提示的失分（依特徵分組）",
    "report.no-hint-note": ("這些學生在下列測試失分，但評分程式沒有給任何提示：同一組的學生錯在同樣的測試、同樣的錯"
                            "誤類型。人數最多的組排在最前面，是最值得新增提示的錯誤。"),
    "report.failing-tests": "失分的測試",
    "report.error-kind": "錯誤類型",
    "report.who": "學生（連到各自的回饋）",
    "report.examples": "學生（前幾位）",
    "report.ungraded": "未評分的繳交",
    "report.ids": "需要查核的學號",
    "report.ids-note": ("這些學號含有看不見的字元、在同一個字裡混用不同文字，或看起來像班上另一個學號：匯入成績前請"
                        "先確認是哪一位學生。特殊字元以跳脫碼顯示（例如 \\u00a0）。"),
    "report.note": "說明",
    "report.status": "狀態",
    "report.reason": "原因",
    "report.student": "學生",
    "report.feedback": "各學生回饋檔",
    "report.score": "分數",
    "report.no-feedback": "（沒有回饋檔）",
    "report.none": "沒有",
    "report.similarity": "相似的程式碼",
    "report.similarity-note": ("比較的是評分時會執行的、學生自己寫的程式：已移除作業原本給的程式碼，沒有被評分程式"
                               "用到的程式不算；名稱、註解、空白、docstring 與常數都先正規化，每個函式各自切成 "
                               "token 片段（k-gram），函式的順序不影響。分數是較小那份程式的片段也出現在另一份的比"
                               "例（containment；比參考解答一半還短的程式以一半計）；門檻 {threshold:g}。每份繳交也"
                               "和參考解答{base}比對。"),
    "report.base-compared": "及 {n} 份往屆繳交",
    "report.with-reference": "參考解答",
    "report.with-base": "（往屆繳交）",
    "report.similarity-off": "沒有做相似度比對（grade/report 加上 --similarity 0.8 即可）",
    "report.shared-lines": "相同的程式行",
    "report.pairs-found": ("找到 {n} 組相似配對（門檻 {threshold:g}，比對了 {compared} 份有自己程式的繳交，"
                           "{seconds:.2f} 秒）"),
    "report.not-compared": "{n} 份繳交沒有比對（讀不到檔案，或幾乎沒有自己寫的程式）",
    "report.more-pairs": "還有 {n} 組沒有列在這裡，見 similarity.csv（最多 5000 組）與 report.json 的 clusters",
    "report.cluster": "彼此相似的一群學生",
    "report.files": "檔案",
    "report.problems": "讀取結果時的警告",
    # The class report's CSV columns (views/report/tables.py): English ones are the column names of old
    "report.column.part": "部分",
    "report.column.from": "從",
    "report.column.to": "到",
    "report.column.students": "學生數",
    "report.column.test": "測試項目",
    "report.column.points": "配分",
    "report.column.pass-rate": "滿分比例",
    "report.column.mean-share": "平均得分比例",
    "report.column.hint": "提示",
    "report.column.example": "範例學生",
    "report.column.example-feedback": "範例回饋檔",
    "report.column.failing-tests": "失分的測試",
    "report.column.error-kind": "錯誤類型",
    "report.column.ids": "學號",
    "report.column.student": "學生",
    "report.column.status": "狀態",
    "report.column.reason": "原因",
    "report.column.score": "分數",
    "report.column.feedback": "回饋檔",
    "report.column.id-note": "學號備註",
    "report.column.a": "學生 A",
    "report.column.b": "比對對象 B",
    "report.column.with": "比對類別",
    "report.column.similarity": "相似度",
    "report.column.a-share": "A 的比例",
    "report.column.b-share": "B 的比例",
    "report.column.shared-lines": "相同的程式行",
    "report.with.class": "同班",
    "report.with.reference": "參考解答",
    "report.with.base": "往屆",
    # Why the similarity check left a submission out (views/similarity.py)
    "similarity.unreadable": "讀不到（{reason}）",
    "similarity.too-little-code": "自己寫的程式只有 {tokens} 個 token（少於 {minimum}）",
    "similarity.refused": "不讀取：{reason}",
    "similarity.duplicate": "學號重複",
    "similarity.not-found": "找不到繳交的檔案（report 指令請加上 --submissions 和班級資料夾）",
    # The terminal (views/terminal.py) and the report's line in it
    "terminal.student": "學生",
    "terminal.total": "總分",
    "terminal.status": "狀態",
    "terminal.summary": ("{submissions} 份繳交：{graded} 份已評分，{not_graded} 份未評分；平均 {mean:g}，中位數 "
                         "{median:g}（滿分 {total:g}）；各部分滿分人數：{parts}"),
    "terminal.roster-missing": "名單上有 {n} 位學生沒有繳交（成績單中為 missing 列）：{ids}",
    "terminal.late": "有 {n} 份遲交（只標示，不扣分）：{ids}",
    "terminal.isolation": "隔離方式：{kinds}",
    "terminal.other-isolation": ("警告：有 {n} 份結果是先前的執行以不同於這次（{pinned}）的隔離方式評分的："
                                 "{others}；加上 --force 會重新評分"),
    "terminal.not-graded": "警告：有 {n} 份繳交沒有評分（評分程式出錯）；再執行一次同樣的指令即可評分：",
    "terminal.more-not-graded": "  ……還有 {n} 份（成績單中狀態為評分程式出錯）",
    "terminal.attention": ("警告：有 {n} 個學號在匯入成績前需要查核（含有隱藏的字元，或看起來像另一個學號；見成績單"
                           "的 id_note 欄）："),
    "terminal.more-attention": "  ……還有 {n} 個（見成績單的 id_note 欄）",
    "terminal.report": "已寫入 {page}：給了 {hints} 種提示，{groups} 組沒有提示的失分，{ungraded} 份未評分",
    "terminal.report-ids": "，{n} 個學號需要查核",
    "terminal.report-pairs": "，{pairs} 組相似配對（{clusters} 群）",
    "terminal.similarity-unfound": ("相似度比對：{total} 份繳交中有 {n} 份找不到檔案（例如 {example}）；請加上 "
                                    "--submissions CLASS_FOLDER（評分的那個資料夾）"),
    # Ids that need a look (views/readable.py)
    "id-note.escaped": "含以跳脫碼顯示的字元（不可見字元，或開頭、結尾、連續的空白）",
    "id-note.mixed": "同一個字混用 {scripts} 字母",
    "id-note.looks-like": "看起來像 {ids}",
    "id-note.and": " 與 ",
    # A student's feedback file and its figure (views/feedback.py, views/plots.py)
    "feedback.title": "評分回饋",
    "feedback.incomplete": "評分程式無法寫出完整的回饋（{error}）",
    "plot.not-drawn": "未繪製圖表：{reason}",
    "plot.note.unreadable": "訓練紀錄無法讀取（{error}）",
    "plot.note.too-large": "訓練紀錄檔太大（{size} 位元組）",
    "plot.note.missing": "訓練紀錄缺少 {name}",
    "plot.note.dtype": "{name} 不是實數陣列（dtype {dtype}）",
    "plot.note.failed": "評分程式繪圖時發生錯誤（{error}）",
    "plot.note.shape": "{name} 的形狀是 {got}，應為 {expected}",
    "plot.note.losses": "losses 的形狀是 {got}，應為最多 {limit} 個值的一維陣列",
    # Gradescope's results.json (routes/gradescope.py)
    "gradescope.score": "總分 {score:g} / {max_score:g}（{file}）",
    "gradescope.not-graded": "無法評分（{status}）：{reason}",
    "gradescope.refused": "無法評分：{reason}",
    "gradescope.refused-short": "未評分：{reason}",
    "gradescope.upload-itself": "請上傳你完成的 {notebook} 檔案本身（不是捷徑或連結）後重新提交。",
    "gradescope.several": "找到多個可評分的檔案，無法判斷要評哪一個：{names}。",
    "gradescope.none-found": "沒有找到 .ipynb 或 .py 檔案。",
    "gradescope.upload": "請上傳你完成的 {notebook}（或只上傳一個 .ipynb 或 .py 檔案）後重新提交。",
    "gradescope.not-submitted-short": "未評分：沒有 {notebook}",
    "gradescope.received": "收到的檔案：{files}",
    # nbgrader's stubs in the student release (routes/nbgrader.py)
    "stub.implement": "請實作 {name}",
    "stub.this-cell": "這一格",
}

# Hints that apply to any assignment: the id goes into a failing test's tags.
HINTS = {
    "modifies-input": ("函式不可以就地修改呼叫者傳進來的陣列（例如 dout *= …、X -= …、x[x < 0] = 0）：先做一份新的"
                       "陣列再計算。"),
    "numerical-gradient": ("backward 要用連鎖律從上游梯度 dout 算出梯度（反向傳播）；數值梯度只用來做梯度檢驗 "
                           "(gradient check)，檢查 backward 算得對不對。"),
    "backward-untraced": ("backward 裡不要呼叫 sys.settrace，也不要留下 pdb.set_trace() 或 breakpoint()：評分程式要"
                          "看得到梯度是怎麼算出來的。"),
}
