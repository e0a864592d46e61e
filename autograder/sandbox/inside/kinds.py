"""Why a request has no value: the ``kind`` of a reply's error, defined once for both sides."""
import enum


class Failure(str, enum.Enum):
    """A failure kind. It is its string (``Failure.TIMEOUT == "timeout"``), so replies and stored
    results carry the plain value; ``str()`` and f-strings give the value too."""

    RAISED = "raised"                # the student's code raised (SystemExit included)
    MISSING = "missing"              # a name the request needs is not defined
    RETURNED_NONE = "returned-none"  # it returned None where an array was due
    NOT_ARRAY = "not-array"          # it returned something that is not numbers
    STRUCTURE = "structure"          # an object lacks an attribute or shape the operation needs
    TIMEOUT = "timeout"              # the request's deadline passed (or the submission's time budget)
    EXITED = "exited"                # the process ended without answering
    PROTOCOL = "protocol"            # the reply was not understood (too large, malformed, wrong form)
    LOAD_TIMEOUT = "load-timeout"    # loading the definitions ran out of time
    LOAD_EXITED = "load-exited"      # the process ended while loading the definitions

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


# What the child may report itself; any other kind a reply claims is shown as RAISED.
REPORTED_BY_CHILD = frozenset({Failure.RAISED, Failure.MISSING, Failure.RETURNED_NONE, Failure.NOT_ARRAY,
                               Failure.STRUCTURE})
# Failures after which a part's process is gone for good: later requests of the part fail at once.
FINAL = frozenset({Failure.TIMEOUT, Failure.LOAD_TIMEOUT, Failure.LOAD_EXITED})
# Failures of the whole load: a fresh sandbox would fail the same way.
OF_LOAD = frozenset({Failure.LOAD_TIMEOUT, Failure.LOAD_EXITED})
