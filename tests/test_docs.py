"""The README tells the truth about the code it describes."""
import re

from autograder import assignments, messages
from autograder.cli import readme_block

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_points_tables_are_the_rubrics():
    for assignment in assignments.known().values():
        assert readme_block(assignment) in README, (
            f"the README's points table of {assignment.id} is not its rubric's: run `make release`")


def test_readme_names_every_hint_id():
    listed = set(re.findall(r"`((?:[a-z]+-)+[a-z0-9]+)`", README))
    hints = set(messages.HINTS)
    for assignment in assignments.known().values():
        hints |= set(assignment.hints)
    missing = sorted(hints - listed)
    assert not missing, f"hint ids the README does not list: {missing}"


def test_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
