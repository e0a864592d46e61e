"""02's expected values (from the reference module, generated from the source notebook), the grader's
inputs, and models of the typical mistakes (their hints are given, through ``autograder.checks.models``,
when a student's values equal one on an input where it differs from the right answer)."""
import functools

import numpy as np

from autograder.checks import numerics

from . import ASSIGNMENT
from .rubric import (GRADIENT_FLOOR, PARAMS_NORM_TOL, REL_ERROR_FLOOR, TRAIN_RUNS, TRAJECTORY_REL_TOL,
                     VALUE_REL_TOL)

ref = ASSIGNMENT.reference_module()


def rel_error(a, b, floor=REL_ERROR_FLOOR):
    return numerics.rel_error(a, b, floor)


def matches(a, b, tol=VALUE_REL_TOL):
    return numerics.matches(a, b, tol)


def same(a, b, rtol=1e-6):
    """Equal as a model of a mistake: same shape, close values, inf and nan where the model has them."""
    if a is None or b is None:
        return False
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=1e-12, equal_nan=True))


def grad_error(a, b):
    return numerics.rel_error(a, b, GRADIENT_FLOOR)


# ---------------------------------------------------------------- inputs
RELU_SHAPES = [(7,), (4, 5), (2, 3, 4, 5)]
SOFTMAX_SHAPES = [(5, 3), (8, 10), (1, 4), (16, 3)]
# (N, C, H, W), F, K, stride, padding
CONV_CASES = [
    ((2, 3, 7, 6), 4, 3, 1, 1),
    ((2, 2, 8, 5), 3, 3, 2, 2),
    ((3, 1, 6, 7), 2, 2, 2, 0),
    ((2, 3, 5, 5), 2, 3, 1, 0),
    ((1, 2, 9, 7), 2, 4, 3, 1),
    ((2, 2, 6, 9), 3, 3, 2, 1),
]
# (N, C, H, W), K, stride (None: the default)
POOL_CASES = [
    ((2, 3, 6, 8), 2, None),
    ((2, 2, 7, 6), 3, 2),
    ((3, 2, 5, 7), 2, 1),
    ((2, 1, 9, 5), 3, None),
    ((1, 3, 8, 7), 3, 1),
    ((2, 2, 7, 9), 2, None),
]


def relu_case(k):
    """Values away from 0 plus exact zeros (the gradient at 0 is 0), and a random upstream gradient."""
    rng = np.random.default_rng([2026, 2, k])
    shape = RELU_SHAPES[k]
    x = rng.standard_normal(shape)
    x = np.where(np.abs(x) < 0.05, 0.1, x)
    flat = x.reshape(-1)
    flat[rng.choice(flat.size, max(1, flat.size // 6), replace=False)] = 0.0
    return x, rng.standard_normal(shape)


def softmax_case(k):
    """(scores, labels, dout): four random cases, then the extreme one (k = 4)."""
    rng = np.random.default_rng([2026, 20, k])
    if k == len(SOFTMAX_SHAPES):
        scores = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 1000.0], [-1000.0, -1000.0, -1000.0],
                           [50.0, -50.0, 1000.0], [0.0, 0.0, -1000.0], [-1000.0, -999.0, -1000.0]])
        return scores, np.array([0, 0, 2, 1, 2, 1]), 1.7
    N, C = SOFTMAX_SHAPES[k]
    return rng.standard_normal((N, C)) * 3, rng.integers(0, C, N), float(np.round(rng.uniform(0.3, 2.5), 3))


def conv_case(k):
    shape, F, K, S, P = CONV_CASES[k]
    rng = np.random.default_rng([2026, 30, k])
    x = rng.standard_normal(shape)
    W = rng.standard_normal((F, shape[1], K, K)) * 0.5
    b = rng.standard_normal(F)
    out_shape = conv_shape(shape, F, K, S, P)
    return x, W, b, S, P, rng.standard_normal(out_shape)


def conv_shape(shape, F, K, S, P):
    N, _, H, W = shape
    return (N, F, (H + 2 * P - K) // S + 1, (W + 2 * P - K) // S + 1)


def pool_case(k):
    shape, K, S = POOL_CASES[k]
    rng = np.random.default_rng([2026, 40, k])
    n = int(np.prod(shape))
    x = (rng.permutation(n).reshape(shape) - n / 2) / n * 4 + rng.uniform(-1e-3, 1e-3, shape)   # no ties
    stride = K if S is None else S
    N, C, H, W = shape
    return x, K, S, rng.standard_normal((N, C, (H - K) // stride + 1, (W - K) // stride + 1))


# ---------------------------------------------------------------- reference values
def relu(x, dout):
    layer = ref.ReLU()
    out = layer.forward(x.copy())
    return out, layer.backward(dout.copy())


def softmax(scores, labels, dout):
    layer = ref.SoftmaxCrossEntropy()
    loss = layer.forward(scores.copy(), labels.copy())
    return float(loss), layer.backward(dout)


def conv(x, W, b, S, P, dout):
    F, C, K, _ = W.shape
    layer = ref.Conv2D(C, F, K, S, P)
    layer.W, layer.b = W.copy(), b.copy()
    out = layer.forward(x.copy())
    dx = layer.backward(dout.copy()) if dout is not None and dout.shape == out.shape else None
    return out, dx, layer.dW, layer.db


def pool(x, K, S, dout):
    layer = ref.MaxPool2D(K, S)
    out = layer.forward(x.copy())
    return out, layer.backward(dout.copy())


@functools.lru_cache(maxsize=None)
def expected(part, k):
    if part == "ReLU":
        return relu(*relu_case(k))
    if part == "SoftmaxCrossEntropy":
        return softmax(*softmax_case(k))
    if part == "Conv2D":
        return conv(*conv_case(k))
    return pool(*pool_case(k))


# ---------------------------------------------------------------- models of typical mistakes
def relu_forward_mistakes(x):
    return {"relu-leaky": [np.where(x > 0, x, slope * x) for slope in (0.01, 0.1, 0.2, 0.3)]}


def relu_mistakes(x, dout):
    out = np.maximum(0, x)
    return {"relu-ignores-dout": (x > 0).astype(float),
            "relu-grad-at-zero": np.where(x >= 0, dout, 0.0),
            "relu-mask-from-dout": np.where(dout > 0, dout, 0.0),
            "relu-derivative-uses-output": dout * out,
            "relu-leaky": [np.where(x > 0, dout, slope * dout) for slope in (0.01, 0.1, 0.2, 0.3)]
            + [np.where(x >= 0, dout, slope * dout) for slope in (0.01, 0.1, 0.2, 0.3)]}


def _log_softmax(scores, axis=1):
    shifted = scores - np.max(scores, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def row_shifted_over_batch(scores):
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))


EPSILONS = (1e-7, 1e-8, 1e-10, 1e-12, 1e-15, 1e-20)


def softmax_loss_mistakes(scores, labels):
    N = scores.shape[0]
    rows = np.arange(N)
    with np.errstate(all="ignore"):
        log_p = _log_softmax(scores)
        p = np.exp(log_p)
        e = np.exp(scores)
        naive = np.log(e / e.sum(axis=1, keepdims=True))
        glob = scores - scores.max()
        glob_log = glob - np.log(np.sum(np.exp(glob), axis=1, keepdims=True))
        models = {
            "ce-sum-not-mean": -np.sum(log_p[rows, labels]),
            "softmax-no-max-shift": -np.mean(naive[rows, labels]),
            "softmax-global-max-shift": -np.mean(glob_log[rows, labels]),
            # normalised over the batch: shifted by each column's maximum, or by each row's (the same
            # mathematics on paper, not in the shift: both forms are written)
            "softmax-wrong-axis": [-np.mean(_log_softmax(scores, axis=0)[rows, labels]),
                                   -np.mean(row_shifted_over_batch(scores)[rows, labels])],
            "ce-log-prob-underflow": -np.mean(np.log(p[rows, labels])),
            # log(p + ε) and log(clip(p, ε)) with the ε's found in courses and public code
            "ce-log-epsilon": [-np.mean(np.log(p[rows, labels] + eps)) for eps in EPSILONS]
            + [-np.mean(np.log(np.maximum(p[rows, labels], eps))) for eps in EPSILONS],
            "softmax-shift-not-added-back": -np.mean((scores - np.log(np.sum(
                np.exp(scores - scores.max(axis=1, keepdims=True)), axis=1, keepdims=True)))[rows, labels]),
            "ce-wrong-indexing": -np.sum(log_p[:, labels]) / N,
        }
    return models


def softmax_grad_mistakes(scores, labels, dout):
    N = scores.shape[0]
    p = np.exp(_log_softmax(scores))
    onehot = np.eye(scores.shape[1])[labels]
    right = dout * (p - onehot) / N
    C = scores.shape[1]
    return {"ce-grad-not-divided": [right * N, right * N / C],
            "ce-missing-onehot": [dout * p / N, dout * (p - np.eye(C)[np.argmax(scores, axis=1)]) / N],
            "ce-ignores-dout": right / dout}


def default_dout_mistakes(got, want):
    """backward() with a default other than dout = 1.0 returns c × the right gradient, c ≠ 1 (0, 2, −1, ...)."""
    a, b = np.asarray(got, dtype=np.float64).ravel(), np.asarray(want, dtype=np.float64).ravel()
    scale = float(a @ b / (b @ b)) if b @ b > 0 else 1.0
    return {"ce-default-dout": scale * np.asarray(want, dtype=np.float64) if abs(scale - 1) > 1e-6 else None}


def conv_forward_mistakes(x, W, b, S, P):
    F, C, K, _ = W.shape
    plain = lambda W_, b_, S_, P_: conv(x, W_, b_, S_, P_, None)[0]   # noqa: E731
    models = {"conv-flipped-kernel": plain(W[:, :, ::-1, ::-1], b, S, P),
              "conv-forward-no-bias": plain(W, np.zeros_like(b), S, P)}
    if P:
        nopad = plain(W, b, S, 0)
        models["conv-padding-ignored"] = nopad
        models["conv-padding-on-output"] = np.pad(nopad, ((0, 0), (0, 0), (P, P), (P, P)))
    if S > 1:
        models["conv-stride-ignored"] = plain(W, b, 1, P)
    return models


def conv_shape_mistakes(shape, F, K, S, P):
    """Output shapes of the typical wrong output-size formulas, by hint id."""
    N, _, H, W = shape
    models = {"conv-output-size": [(N, F, (H + 2 * P - K) // S, (W + 2 * P - K) // S),
                                   (N, F, (H + P - K) // S + 1, (W + P - K) // S + 1)]}
    if P:
        models["conv-padding-ignored"] = [conv_shape(shape, F, K, S, 0)]
        models["conv-padding-on-output"] = [tuple(n + 2 * P if i > 1 else n
                                                  for i, n in enumerate(conv_shape(shape, F, K, S, 0)))]
    if S > 1:
        models["conv-stride-ignored"] = [conv_shape(shape, F, K, 1, P)]
    return {hint: [tuple(s) for s in shapes] for hint, shapes in models.items()}


def conv_backward_mistakes(x, W, b, S, P, dout):
    _, dx_flipped, _, _ = conv(x, W[:, :, ::-1, ::-1], b, S, P, dout)
    K = W.shape[2]
    x_pad = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
    i, j = dout.shape[2] - 1, dout.shape[3] - 1
    last = np.einsum("nf,ncpq->fcpq", dout[:, :, i, j], x_pad[:, :, i * S:i * S + K, j * S:j * S + K])
    N = dout.shape[0]
    dx_unstrided, dW_unstrided = conv_backward_moved_by(x_pad, W, 1, P, dout) if S > 1 else (None, None)
    return {"dx": {"conv-dx-kernel-not-flipped": dx_flipped,
                   "conv-dx-overwritten": conv_dx_assigned(x_pad, W, S, P, dout),
                   "conv-backward-stride-ignored": dx_unstrided},
            "dW": {"conv-dw-overwritten": last, "conv-backward-stride-ignored": dW_unstrided},
            "db": {"conv-db-not-summed": [dout.sum(axis=(2, 3)), dout.mean(axis=(0, 2, 3)),
                                          dout[0].sum(axis=(1, 2)), dout.sum(axis=(0, 2, 3)) / N]}}


def conv_backward_moved_by(x_pad, W, step, P, dout):
    """dx and dW when backward's windows start at (i·step, j·step) (step 1: the stride forgotten)."""
    N, F, H_out, W_out = dout.shape
    K = W.shape[2]
    H, Wd = x_pad.shape[2] - 2 * P, x_pad.shape[3] - 2 * P
    dx_pad, dW = np.zeros_like(x_pad), np.zeros_like(W)
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * step:i * step + K, j * step:j * step + K]
            contribution = np.einsum("nf,fcpq->ncpq", dout[:, :, i, j], W)
            dx_pad[:, :, i * step:i * step + K, j * step:j * step + K] += contribution
            dW += np.einsum("nf,ncpq->fcpq", dout[:, :, i, j], window)
    return dx_pad[:, :, P:P + H, P:P + Wd], dW


def conv_dx_assigned(x_pad, W, S, P, dout):
    """dx when contributions are assigned (=) instead of added: per output position over the whole
    batch and all filters, and per (n, f, i, j) as four nested loops write it."""
    N, F, H_out, W_out = dout.shape
    K = W.shape[2]
    H, Wd = x_pad.shape[2] - 2 * P, x_pad.shape[3] - 2 * P
    per_position, nested = np.zeros_like(x_pad), np.zeros_like(x_pad)
    for i in range(H_out):
        for j in range(W_out):
            per_position[:, :, i * S:i * S + K, j * S:j * S + K] = np.einsum("nf,fcpq->ncpq", dout[:, :, i, j], W)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    nested[n, :, i * S:i * S + K, j * S:j * S + K] = dout[n, f, i, j] * W[f]
    return [m[:, :, P:P + H, P:P + Wd] for m in (per_position, nested)]


def pool_backward_mistakes(x, K, S, dout):
    stride = K if S is None else S
    N, C, H, W = x.shape
    to_all = np.zeros_like(x)
    swapped = np.zeros_like(x)
    assigned_window, assigned_max = np.zeros_like(x), np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            to_all[:, :, i * stride:i * stride + K, j * stride:j * stride + K] += dout[:, :, i, j][:, :, None, None]
            window = x[:, :, i * stride:i * stride + K, j * stride:j * stride + K].reshape(N, C, K * K)
            a = np.argmax(window, axis=2)
            mask = (window == window.max(axis=2, keepdims=True)).reshape(N, C, K, K)
            assigned_window[:, :, i * stride:i * stride + K, j * stride:j * stride + K] = (
                mask * dout[:, :, i, j][:, :, None, None])
            for n in range(N):
                for c in range(C):
                    swapped[n, c, i * stride + a[n, c] % K, j * stride + a[n, c] // K] += dout[n, c, i, j]
                    assigned_max[n, c, i * stride + a[n, c] // K, j * stride + a[n, c] % K] = dout[n, c, i, j]
    return {"pool-grad-to-all": to_all, "pool-grad-averaged": to_all / (K * K),
            "pool-argmax-unravel": swapped, "pool-ignores-dout": pool(x, K, S, np.ones_like(dout))[1],
            "pool-dx-overwritten": [assigned_window, assigned_max]}


def pool_shape_mistakes(shape, K, S):
    N, C, H, W = shape
    stride = K if S is None else S
    models = {"pool-output-size": [(N, C, (H - K) // stride, (W - K) // stride)]}
    if S is not None and S != K:
        models["pool-stride-ignored"] = [(N, C, (H - K) // K + 1, (W - K) // K + 1)]
    if stride != 1:
        # stride 1 where another was asked: the stride passed in ignored, or None not turned into K
        models.setdefault("pool-stride-ignored" if S is not None else "pool-stride-default", []).append(
            (N, C, H - K + 1, W - K + 1))
    return models


# ---------------------------------------------------------------- training
@functools.lru_cache(maxsize=None)
def spiral():
    return ref.make_spiral(100, 3, seed=0)


def initial_params(init, hidden):
    rng = np.random.default_rng([2026, 50, init])
    return [rng.standard_normal((2, hidden)) * np.sqrt(2.0 / 2), np.zeros(hidden),
            rng.standard_normal((hidden, 3)) * np.sqrt(2.0 / hidden), np.zeros(3)]


def _net(params):
    net = ref.MLPClassifier(2, params[0].shape[1], 3)
    net.fc1.W, net.fc1.b, net.fc2.W, net.fc2.b = [p.copy() for p in params]
    return net


def _params(net):
    return [net.fc1.W, net.fc1.b, net.fc2.W, net.fc2.b]


# Shuffling with the global np.random: as the grader leaves it (seeded 0), seeded with the seed argument,
# or with a constant of the student's choosing.
GLOBAL_SEEDS = (1, 42, 123, 1234, 2024)
GLOBAL_RNG = ("train-global-rng", "train-global-rng-seeded") + tuple(f"train-global-rng-{s}" for s in GLOBAL_SEEDS)


def global_seed(variant, seed):
    if variant == "train-global-rng-seeded":
        return seed
    if variant in GLOBAL_RNG[2:]:
        return int(variant.rsplit("-", 1)[1])
    return 0


def train_variant(params, X, y, lr, epochs, batch_size, seed, variant=None):
    """The reference loop, or one typical mistake of it: (losses, parameters after)."""
    net = _net(params)
    N = X.shape[0]
    rng = np.random.default_rng(42 if variant == "train-seed-ignored" else seed)
    np.random.seed(global_seed(variant, seed))
    once = rng.permutation(N)
    if variant != "train-shuffle-once":
        rng = np.random.default_rng(42 if variant == "train-seed-ignored" else seed)
    losses = []
    for _ in range(epochs):
        if variant == "train-no-shuffle":
            order = np.arange(N)
        elif variant in GLOBAL_RNG:
            order = np.random.permutation(N)
        elif variant == "train-rng-per-epoch":
            order = np.random.default_rng(seed).permutation(N)
        elif variant == "train-shuffle-once":
            order = once
        elif variant == "train-order-not-permutation":
            order = rng.choice(N, size=N, replace=False)
        else:
            order = rng.permutation(N)
        labels = y[rng.permutation(N)] if variant == "train-shuffle-misaligned" else y[order]
        if variant == "train-shuffle-X-only":
            labels = y
        rows = X[order]
        size = N if variant == "train-ignores-batch-size" else batch_size
        stop = N - size + 1 if variant == "train-drops-last-batch" else N
        epoch_losses = []
        if variant == "train-batch-sizes":
            batches = np.array_split(np.arange(N), int(np.ceil(N / size)))
        else:
            batches = [np.arange(N)[start:start + size] for start in range(0, stop, size)]
        for batch in batches:
            loss = net.loss(rows[batch], labels[batch])
            net.backward()
            for param, grad in net.get_params_and_grads():
                if variant != "train-rebinds-param":
                    param -= lr * (grad / len(batch) if variant == "train-grad-divided-by-batch" else grad)
            if variant == "train-loss-after-update":
                loss = net.loss(rows[batch], labels[batch])
            epoch_losses.append(float(loss))
        losses += [float(np.mean(epoch_losses))] if variant == "train-loss-per-epoch" else epoch_losses
    return np.array(losses), [p.copy() for p in _params(net)]


# train-shuffle-once gives the very runs of train-rng-per-epoch (one order for every epoch): its hint names both.
TRAIN_MISTAKES = ("train-no-shuffle",) + GLOBAL_RNG + ("train-rng-per-epoch",
                  "train-ignores-batch-size", "train-drops-last-batch", "train-loss-after-update",
                  "train-rebinds-param", "train-grad-divided-by-batch", "train-loss-per-epoch",
                  "train-seed-ignored", "train-batch-sizes", "train-order-not-permutation",
                  "train-shuffle-misaligned", "train-shuffle-X-only")
# A loop variant's hint (the variant's own name unless listed): one mistake, several forms.
VARIANT_HINT = {**{variant: "train-global-rng" for variant in GLOBAL_RNG},
                "train-shuffle-X-only": "train-shuffle-misaligned"}
MISALIGNED = ("train-shuffle-misaligned", "train-shuffle-X-only")
# The typical loops that still run mini-batch SGD on the spiral from the given start (another order,
# seed or batching, one batch of all rows, a step scaled by the batch size, losses recorded otherwise):
# their runs count as training. Not train-rebinds-param (it never updates the network) nor
# train-shuffle-misaligned (its labels are shuffled apart from their points: other data).
SGD_MISTAKES = tuple(v for v in TRAIN_MISTAKES if v not in ("train-rebinds-param",) + MISALIGNED)


def run_args(name):
    init, hidden, lr, epochs, batch_size, seed = TRAIN_RUNS[name]
    X, y = spiral()
    return initial_params(init, hidden), X, y, lr, epochs, batch_size, seed


@functools.lru_cache(maxsize=None)
def train_expected(name, variant=None):
    return train_variant(*run_args(name), variant=variant)


def losses_match(got, want):
    return got is not None and got.shape == want.shape and rel_error(got, want) <= TRAJECTORY_REL_TOL


def params_error(got, want):
    errors = [np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b) + 1e-12) if a.shape == b.shape
              else np.inf for a, b in zip(got, want)]
    return float(max(errors))


def params_match(got, want):
    return params_error(got, want) <= PARAMS_NORM_TOL


def trained_by_sgd(name, params, losses):
    """Are ``params`` (or else the whole of ``losses``) those of mini-batch SGD on the spiral from run
    ``name``'s start: the reference loop or one of SGD_MISTAKES (each run computed once per worker)?"""
    for variant in (None,) + SGD_MISTAKES:
        want_losses, want_params = train_expected(name, variant)
        if params_match(params, want_params) or losses_match(losses, want_losses):
            return True
    return False


def accuracy(params):
    X, y = spiral()
    return float(np.mean(_net(params).predict(X) == y))
