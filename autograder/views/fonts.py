"""A font for Chinese plot titles, with Traditional Chinese (Taiwan) glyph forms where one is installed.

Two things stand between matplotlib 3.10 and a zh-TW title:

- A TrueType collection (``.ttc``) holds several fonts, and matplotlib only sees the first of them.
  Debian's fonts-noto-cjk ships ``NotoSansCJK-Regular.ttc`` with the JP, KR, SC, TC and HK faces in
  that order, so matplotlib offers "Noto Sans CJK JP", whose 值 and 換 are drawn the Japanese way.
  (matplotlib 3.11 loads every face of a collection; 3.10 cannot select one.) We copy the TC face out
  of the collection once, into a cache folder, and register that file.
- matplotlib lists the system's fonts once and caches the list (``~/.cache/matplotlib``); a font
  installed after that is not in ``fontManager.ttflist``. We look for font files on disk too.

``cjk_font()`` prefers, in order: a Traditional Chinese face (TC, TW) over a Hong Kong one (HK) over
any other font with Chinese glyphs; a face matplotlib can read directly over one that must be copied
out of a collection; sans over serif, regular over bold, proportional over monospaced.
"""
import functools
import os
import re
import tempfile
from pathlib import Path

# A character whose glyph a font must have to draw our titles (值: a form that differs by region).
PROBE = "值"
TRADITIONAL = re.compile(r"\b(TC|TW)\b|JhengHei|MingLiU|PMingLiU|LiHei|LiSong|BiauKai|DFKai")
HONG_KONG = re.compile(r"\bHK\b")
SERIF = re.compile(r"Serif|Ming|Sung|Song|Kai|Mincho", re.I)
BOLD = re.compile(r"Bold|Black|Heavy", re.I)
COLLECTION_SUFFIXES = (".ttc", ".otc")


def cache_dir():
    """Where copied faces are kept: ``$XDG_CACHE_HOME/backprop-kit/fonts`` (``~/.cache/...``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "backprop-kit" / "fonts"


def font_files():
    """Every font file matplotlib knows of, plus every one on disk (installed after its cache was built)."""
    from matplotlib import font_manager
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    try:
        on_disk = set(font_manager.findSystemFonts(fontext="ttf"))
    except OSError:
        on_disk = set()
    return sorted(known | on_disk)


def face_names(path):
    """(family, subfamily) of each face of a font file, in the file's order."""
    from fontTools.ttLib import TTCollection, TTFont
    if str(path).lower().endswith(COLLECTION_SUFFIXES):
        fonts = TTCollection(path, lazy=True).fonts
    else:
        fonts = [TTFont(path, lazy=True)]
    names = []
    for font in fonts:
        table = font["name"]
        family = table.getDebugName(16) or table.getDebugName(1) or ""
        names.append((family, table.getDebugName(17) or table.getDebugName(2) or ""))
    return names


def has_chinese_glyphs(path):
    from matplotlib import ft2font
    return ft2font.FT2Font(str(path)).get_char_index(ord(PROBE)) != 0


def rank(family, subfamily, path, index):
    """Sort key of one face: smaller is better (see the module docstring)."""
    region = 0 if TRADITIONAL.search(family) else 1 if HONG_KONG.search(family) else 2
    return (region, index > 0, "Mono" in family, bool(SERIF.search(family)),
            bool(BOLD.search(subfamily) or BOLD.search(Path(path).name)), family, str(path))


def candidates():
    """Faces with Chinese glyphs, best first: ``[(family, path, index)]``."""
    found = []
    for path in font_files():
        try:
            if not has_chinese_glyphs(path):
                continue
            faces = face_names(path)
        except Exception:   # an unreadable or exotic font file is simply not a candidate
            continue
        for index, (family, subfamily) in enumerate(faces):
            if family:
                found.append((rank(family, subfamily, path, index), family, path, index))
    return [(family, path, index) for _, family, path, index in sorted(found)]


def extract_face(path, index, folder=None):
    """Copy face ``index`` of the collection ``path`` into its own file (once) and return that file."""
    from fontTools.ttLib import TTCollection
    folder = Path(folder) if folder is not None else cache_dir()
    # The notebook's font cell names its copy the same way: both reuse one file.
    target = folder / f"{Path(path).stem}-{index}-{os.path.getsize(path)}.otf"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    font = TTCollection(path, lazy=True).fonts[index]
    # Write beside the target and rename: a concurrent grader process never reads half a font.
    fd, partial = tempfile.mkstemp(dir=folder, suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as f:
            font.save(f)
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return target


def register(path):
    """Add a font file to matplotlib (unless it is already listed) and return its family name."""
    from matplotlib import font_manager, ft2font
    path = os.fsdecode(path)
    for entry in font_manager.fontManager.ttflist:
        if entry.fname == path:
            return entry.name
    font_manager.fontManager.addfont(path)
    return ft2font.FT2Font(path).family_name


@functools.lru_cache(maxsize=None)
def cjk_font():
    """Family name of the best installed font with Chinese glyphs, registered with matplotlib; or None."""
    folders = [cache_dir(), Path(tempfile.gettempdir()) / f"backprop-kit-fonts-{os.getuid()}"]
    for family, path, index in candidates():
        if index == 0:
            try:
                return register(path)
            except Exception:
                continue
        for folder in folders:   # a read-only home: the temporary folder
            try:
                return register(extract_face(path, index, folder))
            except Exception:
                continue
    return None
