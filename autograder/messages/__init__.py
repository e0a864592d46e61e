"""Every word a student or an instructor reads, one catalog per language, keyed by message id.

A language is one module of this package (``zh_TW.py``, ``en.py``): ``LANG`` (its ``--lang`` value),
``TAG`` (the HTML page's ``lang``), ``CJK`` (figures need a CJK font to draw it), ``MESSAGES``
({id: format string}) and ``HINTS`` ({hint id: sentence}). An assignment's words live in its package,
one module of the same name per language (``<package>/messages/zh_TW.py``). Adding a language is
adding a module here and one to each assignment's ``messages/``: nothing else names a language.

``catalog(lang, assignment)`` is the one way to the words: ``words = catalog("zh", assignment)``,
then ``words("timeout", what=..., seconds=...)`` for a sentence (the assignment's, else the
engine's) and ``words.hint(hint_id)`` for a hint as a student reads it. Ids and values travel as
data; a view makes the sentence, last, from a catalog.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
import re
import string
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograder.assignment import Assignment

DEFAULT = "zh"


class _Formatter(string.Formatter):
    """``str.format`` and one more format spec, for languages with plural forms:
    ``{n:plural(submission|submissions)}`` is the first word when n is 1, else the second."""

    PLURAL = re.compile(r"plural\(([^|()]*)\|([^|()]*)\)")

    def format_field(self, value, format_spec: str) -> str:
        plural = self.PLURAL.fullmatch(format_spec)
        if plural:
            return plural[1] if value == 1 else plural[2]
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


class Catalog:
    """The words of one language: the engine's, with an assignment's over them."""

    def __init__(self, module: ModuleType, messages: dict, hints: dict):
        self.lang: str = module.LANG
        self.tag: str = module.TAG
        self.cjk: bool = module.CJK
        self.messages, self.hints = messages, hints

    def __call__(self, key: str, **values: object) -> str:
        """The sentence ``key`` with ``values`` filled in (KeyError for an id no catalog has)."""
        return _FORMATTER.format(self.messages[key], **values)

    def __contains__(self, key: str) -> bool:
        return key in self.messages

    def get(self, key: str, default: str, **values: object) -> str:
        """The sentence ``key``, or ``default`` when this catalog has no such id (a status or kind
        recorded by another version of the grader, say)."""
        return self(key, **values) if key in self.messages else default

    def hint(self, hint_id: str) -> str:
        """A hint as a student reads it: prefixed ("提示：…", "Hint: …")."""
        return self("hint-prefix", text=self.hints[hint_id])

    def hint_text(self, hint_id: str) -> str | None:
        """A hint's sentence alone, or None for an id no catalog has."""
        return self.hints.get(hint_id)

    def placeholders(self, key: str) -> set:
        """The names a sentence's format string fills in (``{what}`` -> ``what``)."""
        return {field for _, field, _, _ in string.Formatter().parse(self.messages[key]) if field}

    def __repr__(self) -> str:
        return f"<Catalog {self.lang} ({len(self.messages)} messages, {len(self.hints)} hints)>"


@functools.lru_cache(maxsize=None)
def _languages() -> dict:
    """{``--lang`` value: module} of every language module of this package."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            found[module.LANG] = module
    return found


def languages() -> tuple:
    """The ``--lang`` values, the default first."""
    return tuple(sorted(_languages(), key=lambda code: (code != DEFAULT, code)))


def __getattr__(name: str):
    # LANGUAGES (what --lang accepts) is looked up when asked for: importing this package reads no catalog.
    if name == "LANGUAGES":
        return languages()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _package(assignment: Assignment | str | None) -> str | None:
    return assignment if isinstance(assignment, str) or assignment is None else assignment.package


@functools.lru_cache(maxsize=None)
def _catalog(lang: str, package: str | None) -> Catalog:
    try:
        module = _languages()[lang]
    except KeyError:
        raise LookupError(f"no language {lang!r}: the languages are {', '.join(languages())}") from None
    messages, hints = dict(module.MESSAGES), dict(module.HINTS)
    if package is not None:
        name = f"{package}.messages.{module.__name__.rsplit('.', 1)[-1]}"
        try:
            own = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name not in (name, f"{package}.messages"):
                raise
            raise LookupError(f"{package} has no words in {lang}: add {name.replace('.', '/')}.py") from None
        messages.update(own.MESSAGES)
        hints.update(own.HINTS)
    return Catalog(module, messages, hints)


def catalog(lang: str = DEFAULT, assignment: Assignment | str | None = None) -> Catalog:
    """The words of ``lang`` (a ``--lang`` value): the engine's, and ``assignment``'s over them when
    given (an ``Assignment``, or its package's name). One object per language and assignment."""
    return _catalog(lang, _package(assignment))


def say(key: str, lang: str = DEFAULT, **values: object) -> str:
    """``catalog(lang)(key, **values)``: an engine sentence, for ``checks/plugin.py``'s helpers."""
    return catalog(lang)(key, **values)
