"""Run a few lines of Python as a submission's own code, in the sandbox the grader gives it.

``run_probe(tmp_path, probe, kind=…)`` grades a submission whose ``Sigmoid.forward`` first runs
``probe`` (student code, in the part's process) and then computes the right value; the probe prints
one JSON line, which comes back as a dict (None when it printed none), with the reply and the handle
on the submission's first process (a ``forkserver.Forked`` when the worker's template forked it).
"""
import json
from pathlib import Path

from autograder.find import load
from autograder import sandbox
from autograder.assignments.backprop_basics import ASSIGNMENT, reference
from autograder.sandbox.child import StudentProcess

FULL = sandbox.isolation()
REFERENCE = Path(ASSIGNMENT.reference).read_text(encoding="utf-8")
PROBED = REFERENCE.replace("class Sigmoid:", '''
def _probe():
    import json, os
{probe}

class Sigmoid:
    _probed = staticmethod(_probe)
''', 1).replace("    def forward(self, x):", "    def forward(self, x):\n        self._probed()", 1)


def process(tmp_path, source, name="s.py", kind=FULL, **limits):
    path = Path(tmp_path) / name
    path.write_text(source, encoding="utf-8")
    program = load.load_path(path, ASSIGNMENT.entry_points)
    return StudentProcess(program.chunks, operations=ASSIGNMENT.operations_source, schema=ASSIGNMENT.reply_schema,
                          limits=sandbox.Limits(**limits), kind=kind, entry_points=ASSIGNMENT.entry_points)


def probed(probe):
    return PROBED.replace("{probe}", "\n".join("    " + line for line in probe.strip("\n").split("\n")))


def run_probe(tmp_path, probe, name="s.py", kind=FULL, while_running=None, **limits):
    """(the probe's JSON line, the reply, the process handle) for one submission; ``while_running``
    (if given) is called with the StudentProcess before it is closed."""
    child = process(tmp_path, probed(probe), name, kind, **limits)
    try:
        reply = child.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X)
        handle = child.process
        if while_running is not None:
            while_running(child)
    finally:
        child.close()
    lines = [line for line in reply.output.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else None), reply, handle
