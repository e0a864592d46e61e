"""Self-checks that never flake: correct code passes every self-check whatever the random seed, and
typical mistakes fail whatever the seed.

The self-checks of exercises 1 and 2 draw their inputs from np.random (so their inputs change with
the seed) from ranges where central differences are accurate to about 1e-9 (CHECK_TOL is 1e-7);
exercise 3's self-check starts from fixed parameters and draws nothing. The check functions are
called directly here, thousands of times; ``tests/test_selfcheck_messages.py`` runs the cells."""
import numpy as np
import pytest

from . import notebook_cells as nc
from .test_selfcheck_messages import SKIP, WRONG

SEEDS = range(2000)
MISTAKE_SEEDS = range(200)

SIGMOID_BODY = ("z = np.exp(-np.abs(x))\n        out = np.where(x >= 0, 1 / (1 + z), z / (1 + z))\n"
                "        self.cache = out  # 儲存輸出值 σ(x)，不是輸入\n        return out")
SIGMOID_BACKWARD = "sigmoid_out = self.cache\n        dx = dout * sigmoid_out * (1 - sigmoid_out)\n        return dx"
NET_BACKWARD = "dh2 = self.fc2.backward(dout)\n        dh1 = self.sigmoid.backward(dh2)\n        dX = self.fc1.backward(dh1)\n        return dX"

# Unusual but correct solutions, as text substitutions in the reference cells.
CORRECT = {
    "reference": [],
    "sigmoid-tanh-caches-input": [
        ("Sigmoid", SIGMOID_BODY, "self.cache = np.array(x, dtype=float)  # 存輸入，backward 再算 σ(x)\n"
                                  "        return 0.5 * (1 + np.tanh(0.5 * x))"),
        ("Sigmoid", SIGMOID_BACKWARD, "s = 0.5 * (1 + np.tanh(0.5 * self.cache))\n        return dout * s * (1 - s)")],
    "sigmoid-boolean-masks": [
        ("Sigmoid", SIGMOID_BODY, "out = np.empty_like(x, dtype=float)\n        positive = x >= 0\n"
                                  "        out[positive] = 1 / (1 + np.exp(-x[positive]))\n"
                                  "        e = np.exp(x[~positive])\n        out[~positive] = e / (1 + e)\n"
                                  "        self.cache = out\n        return out")],
    "net-hand-written-backward": [
        ("TwoLayerNet", NET_BACKWARD,
         "h = self.fc2.cache\n        self.fc2.dW = h.T @ dout\n        self.fc2.db = dout.sum(axis=0)\n"
         "        dh = (dout @ self.fc2.W.T) * h * (1 - h)\n        X = self.fc1.cache\n"
         "        self.fc1.dW = X.T @ dh\n        self.fc1.db = dh.sum(axis=0)\n        return dh @ self.fc1.W.T")],
    "train-subtract-out-and-len": [
        ("train_xor", "param -= learning_rate * grad", "np.subtract(param, learning_rate * grad, out=param)"),
        ("train_xor", "dY = 2 * (Y - y) / Y.size", "dY = 2.0 / len(y) * (Y - y)   # XOR: one output, so len(y) == Y.size"),
        ("train_xor", "losses.append(loss)", "losses.append(float(loss))")],
    "train-slice-assign": [
        ("train_xor", "param -= learning_rate * grad", "param[...] = param - learning_rate * grad")],
}


def namespace(changes):
    cells = nc.solved_cells()
    for grade_id, old, new in changes:
        cells = nc.with_exercise(cells, grade_id, old, new)
    ns, outputs = nc.run(cells, skip=SKIP)
    return ns, outputs


def own_checks(ns, names):
    """(description, function) of the lists ``names``, without the entries that rerun an earlier list."""
    return [(d, f) for name in names for d, f in ns[name] if not d.endswith("通過自我檢查")]


def failures(checks, seeds):
    """{description: [seeds where the check failed]}"""
    failed = {}
    for seed in seeds:
        for description, check in checks:
            np.random.seed(seed)
            try:
                with np.errstate(all="ignore"):
                    check()
            except Exception:
                failed.setdefault(description, []).append(seed)
    return failed


@pytest.mark.parametrize("variant", CORRECT)
def test_correct_code_passes_every_self_check_cell(variant):
    _, outputs = namespace(CORRECT[variant])
    for check in ("test_Sigmoid", "test_TwoLayerNet", "test_train_xor"):
        text, error = outputs[check]
        assert error is None and "✗" not in text, text


@pytest.mark.slow
@pytest.mark.parametrize("variant", CORRECT)
def test_correct_code_passes_for_2000_seeds(variant):
    ns, _ = namespace(CORRECT[variant])
    parts = {c[0] for c in CORRECT[variant]} or {"Sigmoid", "TwoLayerNet"}
    # Each exercise's own checks over all the seeds; a changed Sigmoid also runs under exercise 2's checks.
    many = [name for part, name in (("Sigmoid", "SIGMOID_CHECKS"), ("TwoLayerNet", "NET_CHECKS")) if part in parts]
    assert failures(own_checks(ns, many), SEEDS) == {}
    if parts == {"Sigmoid"}:
        assert failures(own_checks(ns, ["NET_CHECKS"]), MISTAKE_SEEDS) == {}
    # Exercise 3 draws nothing from np.random: a few seeds show the same (passing) result.
    assert failures(own_checks(ns, ["TRAIN_CHECKS"]), range(3)) == {}


@pytest.mark.slow
def test_correct_code_keeps_a_tenfold_margin_below_the_threshold():
    """The inputs keep central differences accurate to about 1e-9: with CHECK_TOL ten times smaller
    than the notebook's, the reference still passes exercise 1 and 2 checks on every seed."""
    ns, _ = namespace([])
    ns["CHECK_TOL"] = ns["CHECK_TOL"] / 10
    assert failures(own_checks(ns, ["SIGMOID_CHECKS", "NET_CHECKS"]), range(500)) == {}


@pytest.mark.slow
@pytest.mark.parametrize("variant", [v for v, (changes, part, _, _) in WRONG.items()
                                     if {c[0] for c in changes} == {part} and part != "train_xor"])
def test_a_mistake_fails_its_check_for_every_seed(variant):
    changes, part, description, _ = WRONG[variant]
    ns, _ = namespace(changes)
    checks = [(d, f) for d, f in ns["SIGMOID_CHECKS" if part == "Sigmoid" else "NET_CHECKS"] if d == description]
    assert failures(checks, MISTAKE_SEEDS) == {description: list(MISTAKE_SEEDS)}


def test_the_self_checks_leave_the_global_random_state_as_they_found_it():
    ns, _ = namespace([])
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    for name, title in (("SIGMOID_CHECKS", "1"), ("NET_CHECKS", "2"), ("TRAIN_CHECKS", "3")):
        ns["self_check"](title, ns[name])
    assert np.array_equal(np.random.get_state()[1], before)
