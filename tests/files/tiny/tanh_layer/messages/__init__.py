"""00's words, one file per language (``zh_TW.py``, ``en.py``), read through ``messages.catalog``."""
