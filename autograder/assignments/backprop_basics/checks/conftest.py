"""Makes these checks a pytest suite: ``pytest <this folder> --submission FILE`` grades one submission."""
from autograder.checks import plugin
from autograder.checks.plugin import (  # noqa: F401 -- pytest finds hooks and fixtures by name here
    check, pytest_addoption, pytest_collection_modifyitems, pytest_generate_tests, pytest_pyfunc_call,
    pytest_report_header, pytest_runtest_makereport, pytest_terminal_summary, student)

from .. import ASSIGNMENT


def pytest_configure(config):
    plugin.configure(config, ASSIGNMENT)
