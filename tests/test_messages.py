"""The catalogs of words: one module per language (the engine's in autograder/messages/, each
assignment's in its messages/), the same ids and placeholders in every language, found without being
registered, and no words anywhere else in the engine."""
import io
import re
import sys
import tokenize

import pytest

from autograder import assignments, messages

from .conftest import ROOT

PACKAGES = [None, *(a.package for a in assignments.known().values())]
# Sentences whose languages fill in different values (the caller passes them all).
OWN_PLACEHOLDERS = {"gradescope.several": "the English one names the notebook it expected"}
CJK_TEXT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize("package", PACKAGES, ids=["engine", *assignments.known()])
def test_every_language_has_every_id_with_the_same_placeholders(package):
    default = messages.catalog(messages.DEFAULT, package)
    for lang in messages.LANGUAGES:
        words = messages.catalog(lang, package)
        assert set(words.messages) == set(default.messages), (lang, set(words.messages) ^ set(default.messages))
        assert set(words.hints) == set(default.hints), (lang, set(words.hints) ^ set(default.hints))
        for key in words.messages:
            assert words.placeholders(key) == default.placeholders(key) or key in OWN_PLACEHOLDERS, (lang, key)
        for key, text in [*words.messages.items(), *words.hints.items()]:
            assert text.strip() or key.endswith("separator") or key == "id-note.and", (lang, key)
            if not words.cjk:
                assert not CJK_TEXT.search(text), (lang, key, text)


def test_the_languages_are_the_modules_the_cli_offers():
    assert messages.LANGUAGES == ("zh", "en") and messages.DEFAULT == "zh"
    zh, en = messages.catalog("zh"), messages.catalog("en")
    assert (zh.tag, zh.cjk, en.tag, en.cjk) == ("zh-Hant-TW", True, "en", False)
    assert messages.catalog("zh") is zh, "one object per language"
    with pytest.raises(LookupError, match="the languages are zh, en"):
        messages.catalog("fr")


def test_an_assignments_words_are_over_the_engines():
    engine, own = messages.catalog("en"), messages.catalog("en", "autograder.assignments.backprop_basics")
    assert "values" not in engine and "values" in own
    assert own("plot.note.shape", name="W1", got=(2, 1), expected=(2, 8)).endswith("(the 2-8-1 XOR network)")
    assert engine("plot.note.shape", name="W1", got=(2, 1), expected=(2, 8)) == "W1 has shape (2, 1), expected (2, 8)"
    assert own.hint("sigmoid-ignores-dout").startswith("Hint: ") and own.hint_text("no-such-hint") is None


def test_adding_a_language_is_adding_its_files(tmp_path, monkeypatch):
    """A language module in autograder/messages/ and one in each assignment's messages/: nothing else."""
    folders = {"engine": tmp_path / "engine"}
    for assignment in assignments.known().values():
        folders[assignment.package] = tmp_path / assignment.id
    for package, folder in folders.items():
        folder.mkdir()
        source = "autograder.messages.en" if package == "engine" else f"{package}.messages.en"
        lines = [f"from {source} import MESSAGES as EN, HINTS"]
        if package == "engine":
            lines += ['LANG, TAG, CJK = "xx", "x-test", False']
        lines += ["MESSAGES = {key: '⟨' + text + '⟩' for key, text in EN.items()}"]
        (folder / "x_test.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
        module = sys.modules["autograder.messages" if package == "engine" else f"{package}.messages"]
        monkeypatch.setattr(module, "__path__", [*module.__path__, str(folder)])
    monkeypatch.setattr(messages, "_languages", messages._languages.__wrapped__)
    monkeypatch.setattr(messages, "_catalog", messages._catalog.__wrapped__)
    assert messages.languages() == ("zh", "en", "xx")
    for assignment in assignments.known().values():
        words = messages.catalog("xx", assignment)
        assert words.tag == "x-test" and words("list-separator") == "⟨, ⟩"
        assert words.hint_text(next(iter(words.hints))) and next(iter(words.messages.values())).startswith("⟨")


def _literal_strings(path):
    """(line, text) of every string literal of a module that is not a docstring or a comment."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    alone = (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE, tokenize.NL)
    for i, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        docstring = (i == 0 or tokens[i - 1].type in alone) and tokens[i + 1].type in (tokenize.NEWLINE,)
        if not docstring:
            yield token.start[0], token.string


# Chinese in code that is not a word a view shows: course data and text the engine looks for.
NOT_WORDS = {
    "autograder/assignments/backprop_basics/__init__.py": "the notebook's title",
    "autograder/assignments/layers/__init__.py": "the notebook's title",
    "autograder/assignments/backprop_basics/sample.py": "a line of the notebook's output the demo looks for",
    "autograder/assignments/layers/sample.py": "a line of the notebook's output the demo looks for",
    "autograder/views/fonts.py": "the glyph a font must have",
    "autograder/views/report/figures.py": "the punctuation that ends a hint's first clause",
    "autograder/cli.py": "the name of the default language in --help",
}


def test_no_words_outside_the_catalogs():
    """No Chinese string and no branch on a language outside messages/ (docstrings aside)."""
    found = []
    for path in sorted((ROOT / "autograder").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if "messages" in path.parent.parts or "/messages/" in name:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{name}:{line}: a branch on the language" for line, code in enumerate(text.splitlines(), 1)
                  if re.search(r"""\blang\s*[!=]=\s*["']|\[lang\s*==""", code)]
        if name not in NOT_WORDS:
            found += [f"{name}:{line}: {string[:40]}" for line, string in _literal_strings(path)
                      if CJK_TEXT.search(string)]
    assert found == []
