"""Student-controlled text as people read it: every character visible, no id mistaken for another.

The JSON keeps ids and student text exactly (it is data); every view made for people -- terminal,
CSV, Markdown, HTML -- goes through this module:

* ``visible(text)``: control, format and bidirectional characters as escapes (``\\x1b``, ``\\u202e``),
  so nothing acts on a terminal or reorders the text around it.
* ``IdNames(ids).show(id)`` (``show_id`` for an id on its own): an id, unmistakable. Beyond
  ``visible``: a space at an end, beside ``/`` or in a row, every other space character (``\\u00a0``,
  ``\\u3000``) and invisible one, private-use and unassigned code points; the letters of a foreign
  script inside a word (``g\\u043eod2``); in ids of the class that look alike (TR39 skeletons), their
  look-alike characters. ``\\`` is already the ids' escape (``discover.name_text`` writes ``\\\\`` and
  ``\\xNN``): those stay, another backslash is ``\\x5c``, a leading ``'`` is ``\\x27`` (the CSV guard),
  so distinct ids always show distinctly.
* ``IdNames.notes(id)``: why an id needs a look (escapes, scripts mixed in a word, the ids it looks like).
* ``write_csv``: every CSV the kit writes; each cell ``csv_cell``, never read as a formula.

Names in any script stay as they are (``王小明``, ``b0912345 陳大文``, ``José``, ``Ω-team``): scripts are
compared within a word, and Latin with Han, kana, Bopomofo or Hangul is a normal mix (TR39's Highly
Restrictive level).
"""
import collections
import csv
import functools
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from autograder import messages
from autograder.results import strict_text

# Characters that would act on a terminal or hide or reorder text: C0 and C1 controls, DEL, format
# characters (zero-width, bidirectional controls, soft hyphen, tags, ...), line and paragraph
# separators, lone surrogates (a non-UTF-8 name decoded with surrogateescape).
HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")
# Also escaped in an id: the other invisible (default-ignorable) characters and blank-looking ones:
# combining grapheme joiner, Hangul fillers, Khmer and Mongolian inherent vowels and selectors,
# variation selectors, the Braille blank, the rest of the tag block. Spaces are ``Zs`` (``_id_escaped``).
ID_HIDDEN = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0"
                       "\U000e0000-\U000e0fff]")
SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# ``discover.name_text``'s escapes inside an id: a backslash, a byte that is not UTF-8.
ID_ESCAPE = re.compile(r"\\\\|\\x[89a-f][0-9a-f]")
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection"); the
# full-width forms are converted to ASCII by East Asian spreadsheet input.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CSV_GUARD = "'"


def escape(c: str) -> str:
    """One character as an escape: ``\\t``, ``\\x1b`` below U+0080, ``\\u00a0``, ``\\U000e0041``."""
    code = ord(c)
    return SHORT_ESCAPES.get(c) or (f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}" if code <= 0xffff
                                    else f"\\U{code:08x}")


def visible(text: object, keep: str = "") -> str:
    """``text`` with every control or invisible character written as an escape (``\\x1b``, ``\\u202e``);
    characters in ``keep`` (e.g. newline and tab in a code block) stay."""
    text = str(text)
    if keep:
        return HIDDEN.sub(lambda m: m.group() if m.group() in keep else escape(m.group()), text)
    return HIDDEN.sub(lambda m: escape(m.group()), text)


# ---------------------------------------------------------------------------------------- scripts
@functools.lru_cache(maxsize=4096)
def script(c: str) -> str | None:
    """The script of a letter (``Latin``, ``Cyrillic``, ``Han``, ...: the first word of its Unicode
    name, after NFKC), or None for what belongs to no script (digits, marks, punctuation, symbols)."""
    c = unicodedata.normalize("NFKC", c)[:1]      # full-width, mathematical, letterlike: their letter
    if not c or unicodedata.category(c)[0] != "L":
        return None
    words = unicodedata.name(c, "").split()
    if not words or words[0] in ("MODIFIER", "MATHEMATICAL", "KATAKANA-HIRAGANA"):
        return None
    if words[0] in ("CJK", "IDEOGRAPHIC"):
        return "Han"
    if words[0] in ("HALFWIDTH", "FULLWIDTH") and len(words) > 1:
        words = words[1:]
    return words[0].title()


# Scripts one word may mix (TR39 Highly Restrictive): Latin with Japanese, Chinese or Korean writing.
TOGETHER = ({"Latin", "Han", "Hiragana", "Katakana"}, {"Latin", "Han", "Bopomofo"}, {"Latin", "Han", "Hangul"})
LATIN_AND_CJK = set().union(*TOGETHER)


def _word_mix(word):
    """``(scripts, offsets of the letters out of place)`` for a word that mixes scripts no writing
    system uses together, else None. The word's most frequent script (Latin on a tie) stays."""
    found = [script(c) for c in word]
    counts = collections.Counter(s for s in found if s)
    if len(counts) < 2 or any(set(counts) <= ok for ok in TOGETHER):
        return None
    main = max(sorted(counts), key=lambda s: (counts[s], s == "Latin"))
    kept = {main} | (LATIN_AND_CJK if main in LATIN_AND_CJK else set())
    scripts = [main, *sorted(s for s in counts if s != main)]
    return scripts, [i for i, s in enumerate(found) if s and s not in kept]


# ---------------------------------------------------------------------------------------- skeletons
# What a character is mistaken for (the common part of Unicode's confusables.txt, TR39): letters of
# Cyrillic, Greek, Armenian and Cherokee, and Latin letters, digits and punctuation that pass for others.
_LOOKS_LIKE = {
    "аеорсухіјѕһԁԛԝӏгү": "aeopcyxijshdqwlry",                 # Cyrillic small
    "АВСЕНІЈКМОРЅТХҮӀԚԜ": "ABCEHlJKMOPSTXYlQW",                # Cyrillic capital
    "αονρυιγχϲϳ": "aovpuiyxcj",                                # Greek small
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹͿ": "ABEZHlKMNOPTYXCJ",                    # Greek capital
    "օոսհզցՕՏԼ": "onuhqgOSL",                                  # Armenian
    "ᎪᏴᏟᎠᎬᏀᎻᎫᏦᏞᎷᏢᏚᎢᏙᏔᏃ": "ABCDEGHJKLMPSTVWZ",                   # Cherokee
    "ıɑɡɩǀ01I|": "iagilOlll",                                  # Latin and ASCII
    "\u1680\u2800‐‒–—―−⁃∕⁄‘’ʼ´": "  -------//''''",              # blanks, dashes, slashes, quotes
}
LOOKS_LIKE = str.maketrans({k: v for keys, values in _LOOKS_LIKE.items() for k, v in zip(keys, values, strict=True)}
                           | {"m": "rn"})


def _invisible(c):
    """Dropped from a skeleton: controls, format characters, other invisible and unassigned ones."""
    if c == "\u2800":          # the Braille blank looks like a space
        return False
    return bool(HIDDEN.match(c) or ID_HIDDEN.match(c)) or unicodedata.category(c) in ("Cc", "Cf", "Cn", "Co")


def skeleton(text: str) -> str:
    """What ``text`` looks like (TR39's skeleton, with the common confusables): compatibility forms
    decomposed, invisible characters dropped, look-alikes replaced by their prototype, spaces at the
    ends dropped and runs of them one. Two ids with one skeleton look alike."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not _invisible(c)).translate(LOOKS_LIKE)
    return unicodedata.normalize("NFD", " ".join(t for t in text.split(" ") if t))


def _look_alike_char(c):
    """A character that passes for another (``о``, ``Ａ``, the ohm sign) or a combining mark: what
    tells apart ids that look alike."""
    if c.isascii():
        return False
    return (unicodedata.category(c)[0] == "M" or unicodedata.normalize("NFC", c) != c
            or skeleton(c) != unicodedata.normalize("NFD", c))


def _words(text):
    """``(start, word)`` for each run of letters, the marks on them and invisible characters between."""
    start = None
    for i, c in enumerate(text + " "):
        inside = unicodedata.category(c)[0] in "LM" or (c != " " and i < len(text) and _invisible(c))
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            yield start, text[start:i]
            start = None


# ---------------------------------------------------------------------------------------- ids
def _id_escaped(c):
    """Written as an escape wherever it is in an id: invisible, a space character other than U+0020,
    private use or unassigned."""
    cat = unicodedata.category(c)
    return (HIDDEN.match(c) is not None or ID_HIDDEN.match(c) is not None
            or (cat == "Zs" and c != " ") or cat in ("Co", "Cn"))


def _render(sid, look_alike=False):
    """``(shown, escaped, mixes)``: the id shown; whether characters were escaped as invisible or
    unusual; the scripts of each word that mixes them."""
    sid = str(sid)
    out, escaped, mixes = [], False, []
    foreign = set()
    for start, word in _words(sid):
        mix = _word_mix(word)
        if mix:
            mixes.append(mix[0])
            foreign.update(start + i for i in mix[1])
    i, n = 0, len(sid)
    while i < n:
        c = sid[i]
        if c == "\\":
            kept = ID_ESCAPE.match(sid, i)
            out.append(kept.group() if kept else escape(c))
            escaped = escaped or not kept
            i += len(kept.group()) if kept else 1
            continue
        if c == " ":
            lone = 0 < i < n - 1 and sid[i - 1] not in " /" and sid[i + 1] not in " /"
            out.append(c if lone else escape(c))
            escaped = escaped or not lone
        elif _id_escaped(c) or (c == CSV_GUARD and i == 0):
            out.append(escape(c))
            escaped = True
        elif i in foreign or (look_alike and _look_alike_char(c)):
            out.append(escape(c))
        else:
            out.append(c)
        i += 1
    return "".join(out), escaped, mixes


SHOWN_TWINS = 5       # ids named in one "looks like" note
class IdNames:
    """How the ids of one class are shown (``show``), and which need a look and why (``notes``).

    An id not given here is shown on its own (``show_id``)."""

    def __init__(self, ids):
        self.ids = sorted(set(map(str, ids)))
        groups = collections.defaultdict(list)
        for sid in self.ids:
            groups[skeleton(sid)].append(sid)
        self.twins = {sid: [o for o in group if o != sid] for group in groups.values() if len(group) > 1
                      for sid in group}
        self._rendered = {}

    def _get(self, sid):
        sid = str(sid)
        if sid not in self._rendered:
            self._rendered[sid] = _render(sid, look_alike=sid in self.twins)
        return self._rendered[sid]

    def show(self, sid: str) -> str:
        return self._get(sid)[0]

    def notes(self, sid: str) -> list:
        """``[(kind, values)]``: ``escaped``, ``mixed`` (scripts), ``looks_like`` (ids); empty when fine."""
        _, escaped, mixes = self._get(sid)
        notes: list[tuple[str, dict]] = [("escaped", {})] if escaped else []
        notes += [("mixed", {"scripts": scripts}) for scripts in mixes]
        if str(sid) in self.twins:
            notes.append(("looks_like", {"ids": self.twins[str(sid)]}))
        return notes

    def note(self, sid: str, lang: str = "en") -> str:
        """The notes as one line in ``lang`` (``id_note`` in the CSVs); empty when the id is fine."""
        words = messages.catalog(lang)
        said = []
        for kind, values in self.notes(sid):
            others = [self.show(o) for o in values.get("ids", ())]
            if len(others) > SHOWN_TWINS:
                others[SHOWN_TWINS:] = [(f"… (+{len(others) - SHOWN_TWINS})")]
            said.append(words(f"id-note.{kind.replace('_', '-')}", ids=", ".join(others),
                              scripts=words("id-note.and").join(values.get("scripts", ()))))
        return "; ".join(said)

    def flagged(self) -> list:
        """The ids that need a look, sorted."""
        return [sid for sid in self.ids if self.notes(sid)]


def show_id(sid: str) -> str:
    """One id shown on its own (no class to compare it with)."""
    return _render(sid)[0]


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: 2 for a wide or full-width character (CJK), 0 for a
    combining mark, 1 for the rest."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns (``width``), on the left when ``right``."""
    fill = " " * max(columns - width(text), 0)
    return fill + text if right else text + fill


def short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters for a terminal column: the cut ends in ``…#`` and a digest
    of the whole, so two cut texts are still told apart."""
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return text[:max(limit - 12, 1)] + "…#" + digest


# ---------------------------------------------------------------------------------------- CSV
def csv_cell(value: object) -> str:
    """A cell of a CSV the kit writes: visible characters only, never read as a formula (a text that
    would be starts with ``'``). None is an empty cell; an int or float is written as the number."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)          # a number is a number to a spreadsheet, negative or not
    raw = value if isinstance(value, str) else str(value)
    text = visible(raw)
    risky = raw.lstrip(" ").startswith(FORMULA_START) or text.lstrip(" ").startswith(FORMULA_START)
    return CSV_GUARD + text if risky else text


def write_csv(path: str | Path, rows: Iterable[Iterable[object]]) -> None:
    """``rows`` (lists of cells) as a CSV file, atomically: UTF-8 with a byte-order mark (Excel reads
    UTF-8 Chinese only with it), every cell through ``csv_cell``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([csv_cell(v) for v in row] for row in rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\ufeff" + strict_text(buffer.getvalue()), encoding="utf-8")
    tmp.replace(path)
