"""The sandbox a submission's code runs in, and the handle the grader holds on it.

The parent's side: ``limits`` (the resource limits, each declared once), ``modes`` (what protects the
machine, as one value), ``policy`` (which isolation a run gets, in words), ``launch`` (the command and
what runs between fork and exec: no host privilege, a seccomp filter, the limits), ``unprivileged``,
``seccomp`` and ``cgroup`` (its parts), ``forkserver`` (one template sandbox per worker), ``zygote``
(a submission's first process and what belongs to it), ``channel`` and ``deadline`` (the protocol
pipes, read and written against a deadline), ``schema`` (the forms a reply may have) and ``child``
(the grader's handle: requests and their replies).

``inside/`` is the code that runs in the sandbox (see its ``__init__``); the parent imports from it
only the wire format (``inside.wire``) and the failure kinds (``inside.kinds``).

This module re-exports what the rest of the grader uses.
"""
from autograder.sandbox.inside.kinds import Failure  # noqa: F401
from autograder.sandbox.modes import BUBBLEWRAP, LIMITS_ONLY, TEMPLATE_ENV, Isolation  # noqa: F401
from autograder.sandbox.launch import (  # noqa: F401
    BWRAP_ENV, ENV, NOBODY, RUNNER, SANDBOX_RUNNER, UNSANDBOXED_ENV, Unavailable, bwrap_path, command, drop_to_nobody,
    kill_group, preexec, refusal, rlimits, run, site_packages, unsandboxed_problem)
from autograder.sandbox.limits import Limits, parse_limits  # noqa: F401
from autograder.sandbox.policy import ISOLATION_ENV, describe, isolation, pinned_env  # noqa: F401
