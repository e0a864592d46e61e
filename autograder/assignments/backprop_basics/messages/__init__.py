"""01's words, one file per language (``zh_TW.py``, ``en.py``): its per-test sentences, its hints and
its feedback figure's text. The engine's own words are in ``autograder.messages``; both are read
through ``messages.catalog(lang, assignment)``.

Each hint has a stable id that goes into a failing test's ``tags``. Terms follow the notebook:
反向傳播 backpropagation, 梯度檢驗 gradient check, 上游梯度 upstream gradient, 就地更新 in-place update.
"""
