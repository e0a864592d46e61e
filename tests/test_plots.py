"""Feedback plots and the notebook's figures: Traditional Chinese glyphs where a TC font is installed
(also one installed after matplotlib built its font cache), English titles without a CJK font, point
colours that match their region, a diverged run drawn without a word on stderr."""
import json
import os
import re
import subprocess
import sys
import textwrap
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from fontTools.ttLib import TTCollection, TTFont  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from autograder import messages  # noqa: E402
from autograder.views import fonts  # noqa: E402
from autograder.assignments.backprop_basics import plots, reference, rubric  # noqa: E402

from .conftest import ROOT  # noqa: E402

RUN = rubric.TRAIN_RUNS["main"]
FACES = fonts.candidates()          # found on disk, not from matplotlib's cached list
TRADITIONAL_FACES = [f for f in FACES if fonts.TRADITIONAL.search(f[0])]
needs_tc_font = pytest.mark.skipif(not TRADITIONAL_FACES, reason="no Traditional Chinese font installed "
                                   "(Debian: fonts-noto-cjk; .ci/run installs it)")
PACKAGE = "autograder.assignments.backprop_basics"
ZH, EN = messages.catalog("zh", PACKAGE), messages.catalog("en", PACKAGE)
TITLE_TEXT = "".join(text for key, text in ZH.messages.items() if key.startswith("plot."))


def cmap_of(path, index=0):
    font = TTCollection(path, lazy=True).fonts[index] if str(path).lower().endswith(".ttc") else TTFont(path, lazy=True)
    return font["cmap"].getBestCmap()


def render(tmp_path, lang, losses=None, params=None):
    if losses is None:
        losses, params = reference.train(*RUN)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = plots.render_training(losses, params, tmp_path / f"{lang}.png", run=RUN, lang=lang)
    return path, [str(w.message) for w in caught]


@needs_tc_font
def test_chinese_titles_are_drawn_with_traditional_chinese_glyphs(tmp_path):
    name = fonts.cjk_font()
    assert fonts.TRADITIONAL.search(name), name
    assert plots.text("loss", "zh").startswith("訓練損失")
    drawn = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    family, source, index = TRADITIONAL_FACES[0]
    glyphs, traditional = cmap_of(drawn), cmap_of(source, index)
    assert all(glyphs[ord(ch)] == traditional[ord(ch)] for ch in TITLE_TEXT if ord(ch) > 0x2E80)
    other = [f for f in FACES if " JP" in f[0] or " SC" in f[0]]
    if other:   # e.g. 換: the JP and SC faces draw it differently, and it is not their glyph we draw
        assert glyphs[ord("換")] != cmap_of(other[0][1], other[0][2])[ord("換")]
    path, caught = render(tmp_path, "zh")
    assert path.stat().st_size > 10_000
    assert not [w for w in caught if "missing from font" in w], caught


def test_without_a_cjk_font_titles_fall_back_to_english(tmp_path, monkeypatch):
    import autograder.views.plots
    monkeypatch.setattr(autograder.views.plots, "cjk_font", lambda: None)
    assert plots.text("loss", "zh") == EN("plot.loss")
    path, caught = render(tmp_path, "zh")
    assert path.exists()
    assert not [w for w in caught if "missing from font" in w], caught


def stale_font_cache(tmp_path):
    """A matplotlib config folder whose font cache was built before the Chinese fonts were installed,
    and a fresh home: what a machine looks like after `apt-get install fonts-noto-cjk` on an old cache."""
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mpl"), HOME=str(tmp_path / "home"),
               XDG_CACHE_HOME=str(tmp_path / "home" / ".cache"), MPLBACKEND="Agg")
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True)
    [cache] = (tmp_path / "mpl").glob("fontlist-*.json")
    data = json.loads(cache.read_text())
    kept = [entry for entry in data["ttflist"]   # matplotlib's own fonts are listed relative to its data folder
            if not fonts.has_chinese_glyphs(os.path.join(matplotlib.get_data_path(), entry["fname"]))]
    assert len(kept) < len(data["ttflist"])
    data["ttflist"] = kept
    cache.write_text(json.dumps(data))
    return env


def run_python(code, env):
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stderr == ""
    return json.loads(done.stdout.strip().splitlines()[-1])


PRINT_CACHED = ("cached = sorted({f.name for f in font_manager.fontManager.ttflist "
                "if fonts.has_chinese_glyphs(f.fname)})")


@needs_tc_font
def test_the_grader_finds_a_font_installed_after_matplotlibs_cache_was_built(tmp_path):
    env = stale_font_cache(tmp_path)
    found = run_python(f"""
        import json
        from matplotlib import font_manager
        from autograder.views import fonts
        from autograder.assignments.backprop_basics import plots
        {PRINT_CACHED}
        print(json.dumps([cached, fonts.cjk_font(), plots.text("loss", "zh")]))
    """, env)
    assert found == [[], TRADITIONAL_FACES[0][0], ZH("plot.loss")]
    assert list((tmp_path / "home" / ".cache" / "backprop-kit" / "fonts").iterdir())   # the TC face, copied once


SOURCE_NOTEBOOKS = sorted((ROOT / "source").glob("*/*.ipynb"))
FONT_CELL = ROOT / "solutions" / "cells" / "plot_fonts.py"


def notebook_font_cell(notebook=ROOT / "source" / "01_backprop_basics" / "backprop_basics.ipynb"):
    import nbformat
    nb = nbformat.read(notebook, as_version=4)
    [cell] = [c.source for c in nb.cells if c.source.startswith("# 圖表字型設定")]
    return cell


@pytest.mark.parametrize("notebook", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_every_notebook_has_the_one_font_cell(notebook):
    # Written by `python -m solutions.build` from solutions/cells/plot_fonts.py, never copied by hand.
    assert notebook_font_cell(notebook) == FONT_CELL.read_text(encoding="utf-8").strip("\n")


def _face_file(family_pattern):
    """A file holding just the first installed face whose family matches (copied out of its collection)."""
    family, path, index = next(f for f in FACES if re.search(family_pattern, f[0]))
    return str(fonts.extract_face(path, index) if index else path), family


@needs_tc_font
@pytest.mark.parametrize("notebook", SOURCE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_a_zh_tw_title_drawn_after_the_notebooks_font_cell_uses_the_tc_face(notebook):
    """Run the notebook's font cell, draw a zh-TW title the way the notebook does (default font, the
    cell's rcParams) and compare its pixels with the same title drawn from the TC face's file, and from
    another region's face (JP, SC: 值 and 換 differ): the title must be the TC face's."""
    tc_file, tc_family = _face_file(r"Sans CJK TC\b|\bTC\b|\bTW\b")
    others = [f for f in FACES if re.search(r"\b(JP|SC)\b", f[0])]
    other_file = _face_file(re.escape(others[0][0]))[0] if others else None
    found = run_python(f"""
        import contextlib, io, json
        import numpy as np
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import font_manager, ft2font
        from autograder.views import fonts
        with contextlib.redirect_stdout(io.StringIO()):
            exec({notebook_font_cell(notebook)!r})

        def draw(**font):
            fig = plt.figure(figsize=(3, 1), dpi=100)
            fig.suptitle("直線 斜線 值 換", fontsize=20, **font)
            fig.canvas.draw()
            pixels = np.asarray(fig.canvas.buffer_rgba()).copy()
            plt.close(fig)
            return pixels

        title = draw()
        tc = draw(fontproperties=font_manager.FontProperties(fname={tc_file!r}))
        other = {other_file!r}
        same_as_other = other is not None and bool((title == draw(fontproperties=font_manager.FontProperties(fname=other))).all())
        used = font_manager.findfont(font_manager.FontProperties(family=plt.rcParams["font.sans-serif"][0]),
                                     fallback_to_default=False)
        print(json.dumps([CJK_FONT, ft2font.FT2Font(used).family_name, fonts.cjk_font(),
                          bool((title == tc).all()), bool((title != 255).any()), same_as_other]))
    """, dict(os.environ, MPLBACKEND="Agg"))
    assert found == [tc_family, tc_family, tc_family, True, True, False]


@needs_tc_font
@pytest.mark.parametrize("cache", ["fresh", "built before the font was installed"])
def test_the_notebooks_font_cell_finds_the_traditional_chinese_font(tmp_path, cache):
    if cache == "fresh":
        env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mpl"), HOME=str(tmp_path / "home"), MPLBACKEND="Agg")
    else:
        env = stale_font_cache(tmp_path)
    found = run_python(f"""
        import contextlib, io, json
        import matplotlib.pyplot as plt
        from autograder.views import fonts
        with contextlib.redirect_stdout(io.StringIO()):
            exec({notebook_font_cell()!r})
        print(json.dumps([CJK_FONT, plt.rcParams["font.sans-serif"][0], zh_title("中", "en")]))
    """, env)
    assert found == [TRADITIONAL_FACES[0][0]] * 2 + ["中"]


def test_the_notebooks_font_cell_falls_back_to_english_without_chinese_fonts(tmp_path):
    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path / "mpl"), HOME=str(tmp_path / "home"), MPLBACKEND="Agg")
    found = run_python(f"""
        import contextlib, io, json
        import matplotlib.pyplot as plt
        from matplotlib import font_manager, ft2font
        # A machine without Chinese fonts: every font file on it lacks the probe glyph.
        real = ft2font.FT2Font
        class NoChinese:
            def __init__(self, path): self.font = real(path)
            def get_char_index(self, code): return 0
        ft2font.FT2Font = NoChinese
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec({notebook_font_cell()!r})
        print(json.dumps([CJK_FONT, HAS_CJK_FONT, zh_title("中", "en"), out.getvalue()]))
    """, env)
    assert found == [None, False, "en", "中文字型: 未安裝（圖表標題使用英文）\n"]


def test_a_diverged_run_shows_where_it_diverged_and_prints_nothing(tmp_path, capfd):
    losses, params = reference.train(*RUN, variant="ascend")
    assert not np.isfinite(losses).all() and not np.isfinite(params[0]).all()
    path, caught = render(tmp_path, "en", losses, params)
    assert path.stat().st_size > 10_000
    assert caught == [] and capfd.readouterr() == ("", "")
    fig, (left, right) = plt.subplots(1, 2)
    plots._draw_losses(left, losses, plots._reference_losses(RUN), "en")
    plots._draw_boundary(fig, right, params, "en")
    shown = losses[np.isfinite(losses) & (losses <= plots.LOG_CEILING)]
    first = int(np.argmin(np.isfinite(losses) & (losses <= plots.LOG_CEILING)))
    assert left.get_ylim()[1] >= shown.max() > 1e100            # the growth is on the axis, not cut at 10^1
    [marker] = [line for line in left.get_lines() if line.get_label().startswith("losses[")]
    assert marker.get_xdata()[0] == first and marker.get_label() == f"losses[{first}] onwards: > 1e+200 / inf / nan"
    assert any("nan or inf" in t.get_text() for t in right.texts)
    plt.close(fig)


def test_a_run_of_nan_losses_still_plots(tmp_path, capfd):
    losses = np.array([1.0, np.inf, np.nan])
    params = [np.full_like(p, np.nan) for p in reference.initial_params(1)]
    assert plots.render_training(losses, params, tmp_path / "x.png", run=RUN, lang="en").exists()
    assert capfd.readouterr() == ("", "")


def test_each_xor_point_has_the_colour_of_the_region_where_the_network_is_right():
    _, params = reference.train(*RUN)
    fig, ax = plt.subplots()
    plots._draw_boundary(fig, ax, params, "en")
    [region] = [c for c in ax.collections if hasattr(c, "levels")][:1]
    points = [c for c in ax.collections if c.get_offsets().shape == (2, 2)]
    outputs = reference.net_forward(params, reference.XOR_X)[:, 0]
    for collection in points:
        for xy, colour in zip(collection.get_offsets(), collection.get_facecolors()):
            row = int(np.flatnonzero((reference.XOR_X == xy).all(axis=1))[0])
            under = region.to_rgba(np.clip(outputs[row], 0, 1))
            other = region.to_rgba(1 - reference.XOR_Y[row, 0])
            assert np.linalg.norm(np.subtract(colour[:3], under[:3])) < 0.15   # the colour of its region
            assert np.linalg.norm(np.subtract(colour[:3], other[:3])) > 0.5    # not the other class's
    plt.close(fig)
