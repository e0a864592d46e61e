"""Student-controlled text made safe to keep and show: one place that knows which characters a
terminal, Markdown or Gradescope would act on, and what strict UTF-8 JSON cannot hold."""
import math
import re

TRUNCATED = " [… truncated]"
# Terminal escapes and control characters (C0 but tab and newline, DEL, C1): text in a result is
# read in terminals, Markdown and Gradescope, none of which should act on them.
ANSI_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")


def without_controls(text: str) -> str:
    """``text`` without terminal escapes and control characters (C0 but tab and newline, DEL, C1)."""
    return CONTROL.sub("", ANSI_ESCAPE.sub("", text))


def _surrogate_text(match: re.Match) -> str:
    """A lone surrogate as text: a byte of a non-UTF-8 file name (surrogateescape) as ``\\xNN``,
    the way ``discover`` writes such bytes in ids; any other as U+FFFD."""
    code = ord(match.group())
    return f"\\x{code - 0xdc00:02x}" if 0xdc80 <= code <= 0xdcff else "\ufffd"


def strict_text(text: str) -> str:
    """``text`` as valid Unicode (encodable as UTF-8): lone surrogates replaced (``_surrogate_text``)."""
    return SURROGATE.sub(_surrogate_text, text)


def clean_text(text: object, limit: int, one_line: bool = False) -> str:
    """Student-controlled text as kept in a result: strict, no escapes or control characters (a
    reason on one line), at most ``limit`` characters."""
    text = str(text)
    cut = len(text) > 4 * limit + 1000
    if cut:   # cleaning only removes characters: what is kept lies in the first few times ``limit``
        text = text[:4 * limit + 1000]
    text = strict_text(text)
    if one_line:
        text = " ".join(text.splitlines())
    text = without_controls(text.replace("\r\n", "\n"))
    return text if len(text) <= limit and not cut else text[:limit] + TRUNCATED


def strict(value: object) -> object:
    """``value`` made strict for JSON: strings via ``strict_text``, non-finite floats as null."""
    if isinstance(value, str):
        return strict_text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {strict_text(str(k)): strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict(v) for v in value]
    return value
