# 圖表字型設定 Plot fonts
# matplotlib 的預設字型 (DejaVu Sans) 沒有中文字形，中文標題會變成方框。這一格找一個有中文字形的字型，
# 優先用台灣的繁體字形 (TC/TW)；完全沒有中文字型時，圖表標題改用英文，仍然清楚可讀。
# - 字型可能是在 matplotlib 建立字型快取之後才安裝的，所以也直接找硬碟上的字型檔。
# - Debian/Ubuntu 的 fonts-noto-cjk 把日、韓、簡、繁、港五種字形放在同一個 .ttc 檔，而 matplotlib 3.10
#   只讀得到其中第一種（日文字形，「值」「換」的寫法和台灣不同），所以把繁體那一份複製成單獨的字型檔
#   （存在 ~/.cache/backprop-kit/fonts，只做一次）。
import os
import re
from pathlib import Path

from matplotlib import font_manager, ft2font


def _chinese_faces():
    """有中文字形的字型，好的在前：[(排序鍵, 檔案, 檔案裡的第幾個字型)]"""
    from fontTools.ttLib import TTCollection, TTFont
    files = set(font_manager.findSystemFonts()) | {f.fname for f in font_manager.fontManager.ttflist}
    found = []
    for path in files:
        try:
            if ft2font.FT2Font(path).get_char_index(ord("值")) == 0:
                continue
            faces = TTCollection(path, lazy=True).fonts if path.lower().endswith(".ttc") else [TTFont(path, lazy=True)]
            for index, face in enumerate(faces):
                name = face["name"].getDebugName(1) or ""
                region = 0 if re.search(r"\b(TC|TW)\b|JhengHei|MingLiU", name) else 1 if re.search(r"\bHK\b", name) else 2
                found.append(((region, index > 0, "Mono" in name, "Serif" in name, "Bold" in path, name), path, index))
        except Exception:  # 讀不了的字型檔就跳過
            continue
    return sorted(found)


def _register(path, index):
    """讓 matplotlib 用得到這個字型（必要時先從 .ttc 複製出來），回傳字型名稱"""
    if index > 0:
        from fontTools.ttLib import TTCollection
        copy = Path.home() / ".cache" / "backprop-kit" / "fonts" / f"{Path(path).stem}-{index}-{os.path.getsize(path)}.otf"
        if not copy.exists():
            copy.parent.mkdir(parents=True, exist_ok=True)
            TTCollection(path, lazy=True).fonts[index].save(f"{copy}.{os.getpid()}.partial")
            os.replace(f"{copy}.{os.getpid()}.partial", copy)
        path = str(copy)
    if path not in {f.fname for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(path)
    return ft2font.FT2Font(path).family_name


CJK_FONT = None
for _rank, _path, _index in _chinese_faces():
    try:
        CJK_FONT = _register(_path, _index)
        break
    except Exception:
        continue
HAS_CJK_FONT = CJK_FONT is not None
if HAS_CJK_FONT:
    plt.rcParams["font.sans-serif"] = [CJK_FONT] + plt.rcParams["font.sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False


def zh_title(zh, en):
    """有中文字型時回傳中文標題，否則回傳英文標題。"""
    return zh if HAS_CJK_FONT else en


print("中文字型:", CJK_FONT if HAS_CJK_FONT else "未安裝（圖表標題使用英文）")
