"""numerical_probe, in this process: what it counts during a backward, what it never counts,
and that it cannot fail the call it watches. (Graded end to end by tests/test_hostile_02.py and the
hostile corpus of test_hostile.py.)"""
import sys
import threading

import numpy as np
import pytest

from autograder.checks import numerics
from autograder.sandbox.inside.probe import numerical_probe, probe_schema
from autograder.sandbox.schema import conforms

SUBMISSION = "<cell 7>"    # how the child names a submission's code


def submission(source):
    """Definitions compiled as the runner compiles a submission's cell."""
    namespace = {"np": np, "__name__": "submission"}
    exec(compile(source, SUBMISSION, "exec"), namespace)
    return namespace


HELPER = '''
def numerical_gradient_array(f, x, dout, eps=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = np.sum(f(x.copy()) * dout)
        x[i] = old - eps
        minus = np.sum(f(x.copy()) * dout)
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad
'''

LAYER = HELPER + '''
def dense(x, W, b):
    return x @ W + b

class Dense:
    def __init__(self, W, b):
        self.W, self.b = W, b
    def forward(self, x):
        self.x = x
        return dense(x, self.W, self.b)
    def backward(self, dout):                       # backpropagation
        self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
        return dout @ self.W.T
    def backward_helper_x(self, dout):              # the notebook's helper on x, through a lambda
        return numerical_gradient_array(lambda v: dense(v, self.W, self.b), self.x, dout)
    def backward_own_loop_W(self, dout, h=1e-6):    # one-sided, the layer's own W nudged in place
        base = np.sum(self.forward(self.x) * dout)
        self.dW = np.zeros_like(self.W)
        for i in np.ndindex(self.W.shape):
            self.W[i] += h
            self.dW[i] = (np.sum(self.forward(self.x) * dout) - base) / h
            self.W[i] -= h
        return dout @ self.W.T
    def backward_copy_b(self, dout, h=1e-6):        # central, on a copy of the whole layer's b
        self.db = np.zeros_like(self.b)
        for f in range(self.b.size):
            up, down = self.b.copy(), self.b.copy()
            up[f] += h
            down[f] -= h
            self.db[f] = np.sum((dense(self.x, self.W, up) - dense(self.x, self.W, down)) * dout) / (2 * h)
        return dout @ self.W.T
    def backward_whole_step(self, dout, h=1e-6):    # every entry at once (right only for elementwise layers)
        return dout * (dense(self.x + h, self.W, self.b) - dense(self.x - h, self.W, self.b)) / (2 * h)
    def backward_calls_forward_again(self, dout):   # recomputing forward on the same x is no nudge
        self.forward(self.x.copy())
        return dout @ self.W.T
    def backward_untraced(self, dout):
        import sys
        sys.settrace(None)
        return dout @ self.W.T
    def backward_trace_put_back(self, dout):
        import sys
        mine = sys.gettrace()
        sys.settrace(None)
        grad = numerical_gradient_array(lambda v: dense(v, self.W, self.b), self.x, dout)
        sys.settrace(mine)
        return grad
    def backward_in_thread(self, dout):
        import threading
        result = []
        worker = threading.Thread(target=lambda: result.append(
            numerical_gradient_array(lambda v: dense(v, self.W, self.b), self.x, dout)))
        worker.start()
        worker.join()
        return result[0]
'''


def probe_backward(method):
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal(2)
    dout = rng.standard_normal((4, 2))
    layer = submission(LAYER)["Dense"](W.copy(), b.copy())
    layer.forward(x.copy())
    with numerical_probe({"x": x, "W": W, "b": b}) as probe:
        getattr(layer, method)(dout.copy())
    return probe.report()


@pytest.mark.parametrize("method, counted", [
    ("backward", {}),
    ("backward_calls_forward_again", {}),
    ("backward_helper_x", {("entry", "x"): 24}),
    ("backward_own_loop_W", {("entry", "W"): 6}),
    ("backward_copy_b", {("entry", "b"): 4}),
    ("backward_whole_step", {("whole", "x"): 2}),
    ("backward_in_thread", {("entry", "x"): 24}),
])
def test_the_probe_counts_the_nudged_copies_a_backward_evaluated(method, counted):
    report = probe_backward(method)
    assert report["traced"]
    got = {(kind, name): n for kind in ("entry", "whole") for name, n in report[kind].items() if n}
    assert got == counted


@pytest.mark.parametrize("method", ["backward_untraced", "backward_trace_put_back"])
def test_a_backward_that_replaces_the_trace_function_is_unverified(method):
    before = sys.gettrace()
    assert probe_backward(method)["traced"] is False
    assert sys.gettrace() is before and threading.gettrace() is None


def test_the_probe_never_raises_into_the_call_and_puts_tracing_back():
    code = '''
class Hostile:
    @property
    def __dict__(self):
        raise RuntimeError("no")
    def __getattribute__(self, name):
        raise RuntimeError("no")

def backward(x, thing):
    return x * 2
'''
    namespace = submission(code)
    x = np.arange(5.0)
    before = sys.gettrace()
    with numerical_probe({"x": x}) as probe:
        out = namespace["backward"](x.copy(), namespace["Hostile"]())
    assert np.array_equal(out, 2 * x) and probe.report()["traced"] and sys.gettrace() is before
    with pytest.raises(ZeroDivisionError):
        with numerical_probe({"x": x}):
            submission("def f():\n    return 1 / 0\n")["f"]()
    assert sys.gettrace() is before


def test_numpy_is_not_looked_at_the_reference_is():
    x = np.arange(6.0)
    with numerical_probe({"x": x}) as probe:
        np.pad(x + 1e-6, 1)
        np.einsum("i->", x)
    assert probe.looked == 0 and probe.events > 0
    reference = {"np": np}
    exec(compile("def forward(v):\n    return v * 2\n", "<reference>", "exec"), reference)
    helper = submission(HELPER)["numerical_gradient_array"]
    with numerical_probe({"x": x}) as probe:     # the helper handed a reference piece's forward
        helper(reference["forward"], x, np.ones(6))
    assert probe.report()["entry"]["x"] == 12


def test_the_report_has_the_form_replies_are_checked_against():
    report = probe_backward("backward_helper_x")
    assert conforms(report, probe_schema("x", "W", "b"))
    assert not conforms(dict(report, traced=1), probe_schema("x", "W", "b"))


def test_thresholds_name_what_a_gradient_check_of_the_notebook_does():
    # The notebook's helper evaluates two nudged copies per entry, a one-sided loop one; a whole-array
    # step evaluates one beside forward's own.
    assert numerics.NUDGED_EVALUATIONS == 2 and numerics.WHOLE_NUDGED_EVALUATIONS == 1


def test_the_probe_adds_no_warning_of_its_own():
    import warnings
    x = np.array([0.0, np.inf, 1.0, -2.0])
    namespace = submission("def f(v):\n    return v\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="warn"), numerical_probe({"x": x}):
            namespace["f"](np.array([np.inf, np.inf, 1.0 + 1e-6, -2.0 + 1e-6]))
            namespace["f"](np.array([1e-6, np.inf, 1.0 + 1e-6, -2.0 + 1e-6]))
    assert not caught, [str(w.message) for w in caught]
