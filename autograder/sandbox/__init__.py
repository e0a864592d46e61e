"""The sandbox a submission's code runs in, and the handle the grader holds on it.

``limits`` (the resource limits, each declared once), ``modes`` (what protects the machine, as
one value), ``policy`` (which isolation a run gets, in words), ``launch`` (the command and what runs
between fork and exec: no host privilege, a seccomp filter, the limits), ``unprivileged``,
``seccomp`` and ``cgroup`` (its parts), ``forkserver`` (one template sandbox per worker), ``child``
(the grader's handle: requests with deadlines) and ``runner`` (the code that runs inside).

This module re-exports what the rest of the grader uses.
"""
from autograder.sandbox.modes import BUBBLEWRAP, LIMITS_ONLY, TEMPLATE_ENV, Isolation  # noqa: F401
from autograder.sandbox.launch import (  # noqa: F401
    BWRAP_ENV, ENV, NOBODY, RUNNER, SANDBOX_RUNNER, UNSANDBOXED_ENV, Unavailable, bwrap_path, command, drop_to_nobody,
    kill_group, preexec, refusal, rlimits, run, site_packages, unsandboxed_problem)
from autograder.sandbox.limits import Limits, parse_limits  # noqa: F401
from autograder.sandbox.policy import ISOLATION_ENV, describe, isolation, pinned_env  # noqa: F401
