"""Feedback plots render readable titles: Chinese with a CJK font installed, English without one."""
import warnings

import numpy as np
import pytest

from autograder import plots, reference, rubric

RUN = rubric.TRAIN_RUNS["main"]


def render(tmp_path, lang):
    losses, params = reference.train(*RUN)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = plots.render_training(losses, params, tmp_path / f"{lang}.png", run=RUN, lang=lang)
    return path, [str(w.message) for w in caught]


def test_chinese_titles_render_with_a_cjk_font(tmp_path):
    if plots.cjk_font() is None:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk; .ci/run installs it)")
    assert plots.text("loss", "zh").startswith("訓練損失")
    path, caught = render(tmp_path, "zh")
    assert path.stat().st_size > 10_000
    assert not [w for w in caught if "missing from font" in w], caught


def test_without_a_cjk_font_titles_fall_back_to_english(tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    assert plots.text("loss", "zh") == plots.TITLES["loss"][1]
    path, caught = render(tmp_path, "zh")
    assert path.exists()
    assert not [w for w in caught if "missing from font" in w], caught


def test_a_diverged_run_still_plots(tmp_path):
    losses = np.array([1.0, np.inf, np.nan])
    params = [np.full_like(p, np.nan) for p in reference.initial_params(1)]
    assert plots.render_training(losses, params, tmp_path / "x.png", run=RUN, lang="en").exists()
