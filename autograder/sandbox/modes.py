"""What protects the machine and the other submissions while a submission runs, as one value.

An ``Isolation`` is chosen once per run (``policy.isolation``), pinned for every worker through the
environment, and stored with each result as text (``str``: ``bubblewrap+cgroups(memory,pids,cpu,cpuacct)``,
``limits-only``); ``parse`` reads that text back, once, where it enters.
"""
import dataclasses
import os
from typing import Union

from autograder.sandbox.cgroup import CONTROLLERS

BUBBLEWRAP, LIMITS_ONLY = "bubblewrap", "limits-only"
TEMPLATE_ENV = "AUTOGRADER_TEMPLATE"   # "0": no template sandbox per worker (forkserver.py)


@dataclasses.dataclass(frozen=True)
class Isolation:
    """``sandbox``: BUBBLEWRAP or LIMITS_ONLY; ``controllers``: the submission's cgroups, in
    CONTROLLERS order (empty without cgroups)."""

    sandbox: str = LIMITS_ONLY
    controllers: tuple = ()

    def __post_init__(self):
        if self.sandbox not in (BUBBLEWRAP, LIMITS_ONLY):
            raise ValueError(f"unknown sandbox {self.sandbox!r}")
        unknown = [c for c in self.controllers if c not in CONTROLLERS]
        if unknown:
            raise ValueError(f"unknown cgroup controller {unknown[0]!r}")
        object.__setattr__(self, "controllers", tuple(c for c in CONTROLLERS if c in self.controllers))

    @classmethod
    def parse(cls, text: str) -> "Isolation":
        """``bubblewrap+cgroups(memory,pids)`` -> Isolation (ValueError when it is not of that form)."""
        base, _, rest = str(text).partition("+cgroups(")
        controllers = tuple(c for c in rest.rstrip(")").split(",") if c) if rest else ()
        return cls(base, controllers)

    @classmethod
    def of(cls, value: Union["Isolation", str]) -> "Isolation":
        """``value`` as an Isolation: one already, or its text."""
        return value if isinstance(value, Isolation) else cls.parse(value)

    def __str__(self) -> str:
        return f"{self.sandbox}+cgroups({','.join(self.controllers)})" if self.controllers else self.sandbox

    @property
    def bubblewrap(self) -> bool:
        return self.sandbox == BUBBLEWRAP

    @property
    def cpu_time(self) -> bool:
        """Time limits count the submission's CPU time (a cpuacct cgroup), not wall clock."""
        return "cpuacct" in self.controllers

    @property
    def template(self) -> bool:
        """Workers start submissions from a template sandbox (forkserver.py): it needs bubblewrap and
        cgroups, and ``AUTOGRADER_TEMPLATE=0`` turns it off."""
        return self.bubblewrap and bool(self.controllers) and os.environ.get(TEMPLATE_ENV, "1") != "0"
