"""These checks grade the assignment of this package: ``pytest <this folder> --submission FILE``."""
from .. import ASSIGNMENT  # noqa: F401 -- the assignment the plugin grades

pytest_plugins = ["autograder.checks.plugin"]
