"""The README tells the truth about the code it describes."""
import re

from autograder import rubric

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_points_table_is_the_rubric():
    block = re.search(r"<!-- rubric:start -->\n(.*?)\n<!-- rubric:end -->", README, re.S).group(1)
    assert block == rubric.markdown_table()


def test_readme_names_every_hint_id():
    from autograder.messages import HINTS
    listed = set(re.findall(r"`((?:sigmoid|net|train|modifies)-[a-z0-9-]+)`", README))
    assert listed == set(HINTS)


def test_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
