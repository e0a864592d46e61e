"""The README and the docs tell the truth about the code they describe."""
import re

import pytest

from autograder import assignments, messages
from autograder.cli import readme_block

from .conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
GRADING = (ROOT / "docs" / "GRADING.md").read_text(encoding="utf-8")


def test_the_points_tables_are_the_rubrics():
    for assignment in assignments.known().values():
        assert readme_block(assignment) in GRADING, (
            f"docs/GRADING.md's points table of {assignment.id} is not its rubric's: run `make release`")


def test_the_docs_name_every_hint_id():
    listed = set(re.findall(r"`((?:[a-z]+-)+[a-z0-9]+)`", GRADING))
    hints = set()
    for assignment in assignments.known().values():
        hints |= set(messages.catalog(messages.DEFAULT, assignment).hints)
    missing = sorted(hints - listed)
    assert not missing, f"hint ids docs/GRADING.md does not list: {missing}"


def test_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


@pytest.mark.slow
def test_readme_shows_what_make_demo_prints(tmp_path):
    """The README's `make demo` excerpt is 01's real output: the solved notebook's last lines and the table."""
    done = run_cli("demo", "--assignment", "01_backprop_basics", "--out", tmp_path, timeout=600)
    block = re.search(r"`make demo` does this.*?```\n(.*?)```", README, re.S).group(1)
    shown = [line for line in block.splitlines() if line != "..."]
    printed = done.stdout.splitlines()
    for line in shown:
        assert line in printed, f"the README's demo excerpt shows {line!r}; `make demo` prints:\n{done.stdout[-3000:]}"
