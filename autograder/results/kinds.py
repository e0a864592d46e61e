"""Why a test lost points, as data: the one enumeration a ``TestResult.kind`` takes its value from.

A test with all its points has kind ``""``. Views turn a kind into words (the catalogs); nothing turns
words back into a kind. The kinds of a failed call keep the sandbox's own reply strings.
"""
import enum

from autograder.sandbox.inside.kinds import Failure


class Kind(str, enum.Enum):
    """The first failure of the attempt a test kept."""

    # a call into student code that gave no values: the sandbox's reply kinds (``Failure``), and how
    # the parent refines a timeout or an exit
    RAISED = Failure.RAISED.value                 # the student's code raised (``exception`` names its type)
    TIMEOUT = Failure.TIMEOUT.value               # past the request's wall-clock limit
    TIMEOUT_CPU = "timeout-cpu"                   # past the request's CPU-time limit
    OUT_OF_MEMORY = "out-of-memory"               # killed at the sandbox's memory limit
    NO_PROCESS = "no-process"                     # the submission's process limit was used up
    EXITED = Failure.EXITED.value                 # the process ended (sys.exit, os._exit, a signal)
    MISSING = Failure.MISSING.value               # a name the part needs is not defined
    RETURNED_NONE = Failure.RETURNED_NONE.value   # a function returned None
    NOT_ARRAY = Failure.NOT_ARRAY.value           # a function returned something other than an array of numbers
    STRUCTURE = Failure.STRUCTURE.value           # the network's layers or parameters are not the asked ones
    PROTOCOL = Failure.PROTOCOL.value             # the reply could not be read
    LOAD_TIMEOUT = Failure.LOAD_TIMEOUT.value     # executing the definitions took too long
    LOAD_EXITED = Failure.LOAD_EXITED.value       # the process ended while executing the definitions
    BUDGET = "budget"                             # the submission's total time was used up before this call
    # what the checks measured in values a call returned
    NOT_FINITE = "not-finite"                     # nan or inf
    SHAPE = "shape"                               # an array of the wrong shape
    NUMERICAL_GRADIENT = "numerical-gradient"     # a gradient from differences of forward, not backpropagation
    BACKWARD_UNTRACED = "backward-untraced"       # backward ran with the grader's trace function removed
    OVERWROTE = "overwrote"                       # the code changed an array its caller passed in
    WRONG_VALUES = "wrong-values"                 # none of the above: the values are not the reference's
    GRADER_ERROR = "grader-error"                 # a bug of the grader's, not the student's doing

    def __str__(self) -> str:
        return self.value


def of_stored(kind: str | None, full: bool) -> str:
    """A stored test's kind: as written, or for a file written before kinds were kept, ``""`` when it
    had full points and ``wrong-values`` otherwise. ``ValueError`` for a kind this enumeration lacks."""
    if kind is None:
        return "" if full else Kind.WRONG_VALUES.value
    return Kind(kind).value if kind else ""
