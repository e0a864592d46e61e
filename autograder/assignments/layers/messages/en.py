"""02's words in English: see ``autograder/messages/en.py`` for the engine's."""

MESSAGES = {
    # Per-test sentences (checks/: check.say)
    "values": ("{what}: {right}/{total} inputs match the reference (largest relative error {error:.1e}, threshold "
               "{tol:g})"),
    "case-shape": "{what} ({case}) has shape {got}, expected {expected}",
    "gradient": ("{what} gradient check against the reference's analytic gradient: {right} of {total} inputs within "
                 "the first tier ({measured} computed, largest relative error {error:.1e}); each input earns its own "
                 "tier and the test their mean → {share:.0%} of the points; tiers: {tiers}"),
    "default-dout-wrong": ("backward() called without an argument (as MLPClassifier.backward calls it) returns a "
                           "gradient other than the one for dout = 1.0 (relative error {error:.1e})"),
    "pairs-misaligned": ("of the {rows} rows train_classifier passed to net.loss, {count} came with a label other than "
                         "their own ({batches} batches): the rows and the labels were shuffled into different orders"),
    "gradient-none": "{what} is None after backward: backward must set self.dW and self.db",
    "extreme-ok": "the loss is finite and correct with scores of ±1000 and ±50",
    "extreme-wrong": "with scores of ±1000 and ±50 the loss is {got}, expected {expected:.6g}",
    "extreme-warned": "values right, but the computation overflowed ({warnings}): {share:.0%} of the points",
    "init-ok": "W has shape {shape} and std {std:.3g} (He: {he:.3g}); b is zeros",
    "init-shape": "Conv2D({C}, {F}, {K}): {name} has shape {got}, expected {expected}",
    "init-scale": "W has std {std:.3g}; He initialisation gives about sqrt(2 / (C·K·K)) = {he:.3g}",
    "init-unverified": ("Conv2D.forward returns an output of the right shape for none of the inputs, so this cannot "
                        "be confirmed as your Conv2D: no points for the initialisation"),
    "init-bias": "b should start as zeros",
    "losses-none": "train_classifier must return the list of per-batch losses ({error})",
    "losses-count": "{run}: returned {count} losses, expected {expected} ({batches} batches per epoch)",
    "losses-match": "{run}: the loss trajectory matches the reference ({count} batches)",
    "losses-differ": ("{run}: the loss trajectory departs from the reference at batch {index} ({got:.6g} ≠ "
                      "{expected:.6g})"),
    "params-match": "{run}: the trained parameters match the reference",
    "params-differ": ("{run}: the trained parameters differ from the reference (relative error {error:.1e}, "
                      "threshold {tol:g})"),
    "run": "lr={lr:g}, epochs={epochs}, batch_size={batch_size}, seed={seed}",
    "accuracy": "training accuracy on the spiral {accuracy:.1%} (threshold {threshold:.0%})",
    "accuracy-not-sgd": ("but neither these parameters nor the returned losses are those of mini-batch SGD on the "
                         "spiral from the given start (they match neither the reference run nor any typical loop's "
                         "run): no points"),
    "accuracy-untrained": "the parameters were not changed by training, or no real losses were returned: no points",
    # The feedback figure (plots.py)
    "plot.caption": "train_classifier: loss curve and decision regions",
    "plot.loss": "Training loss: your train_classifier and the reference",
    "plot.regions": "Decision regions of the classifier you trained, on the spiral",
    "plot.yours": "yours",
    "plot.reference": "reference",
    "plot.class": "class {label}",
    "plot.no-regions": "the trained parameters contain nan or inf:\nno regions to draw",
}

# Hints: the id goes into a failing test's tags.
HINTS = {
    "relu-ignores-dout": ("ReLU.backward must multiply by the upstream gradient: dx = dout × 1[x > 0], not just "
                          "the 0/1 mask."),
    "relu-grad-at-zero": "The gradient at exactly x = 0 must be 0: mask with x > 0, not x >= 0.",
    "relu-mask-from-dout": "The mask comes from the forward input x (x > 0), not from dout.",
    "relu-derivative-uses-output": "ReLU's local gradient is 0 or 1, not the forward output: dx = dout × 1[x > 0].",
    "relu-modifies-input": ("ReLU.forward must not zero the caller's x in place (x[x < 0] = 0): use np.maximum(0, "
                            "x), a new array."),
    "softmax-no-max-shift": "Subtract each row's maximum before exp (the log-sum-exp shift), or exp(1000) overflows.",
    "softmax-global-max-shift": ("Subtract each row's own maximum (axis=1, keepdims=True), not the batch's: a row "
                                 "far below it underflows."),
    "softmax-wrong-axis": "Softmax normalises over each row's classes (axis=1), not over the batch (axis=0).",
    "ce-sum-not-mean": "The loss is the mean over the N rows, not their sum.",
    "ce-grad-not-divided": "The loss is a mean, so dscores = dout × (p − onehot) / N: divide by N.",
    "ce-missing-onehot": "dscores must subtract the one-hot of the correct class: dout × (p − onehot) / N.",
    "ce-ignores-dout": "backward must multiply by the scalar dout it is given (the chain rule), not assume it is 1.",
    "ce-backward-no-dout": "backward must take the argument dout (default 1.0): def backward(self, dout=1.0).",
    "ce-default-dout": ("backward() without an argument must use dout = 1.0 (def backward(self, dout=1.0)): the "
                        "gradient of the loss with respect to itself is 1."),
    "softmax-shift-not-added-back": ("After subtracting each row's maximum m, add m back to the log-sum-exp: "
                                     "log Σ exp(s) = m + log Σ exp(s − m)."),
    "relu-dx-bool-dtype": ("dx is a boolean array: an array made from the mask keeps its bool dtype, so the dout "
                           "stored in it becomes True/1; make dx a float array."),
    "relu-leaky": "That is leaky ReLU: ReLU's output and gradient for x ≤ 0 are 0, not a small slope.",
    "ce-log-prob-underflow": ("Compute the loss from the log-softmax (shifted − log Σ exp(shifted)), not log of p: "
                              "p underflows to 0."),
    "ce-log-epsilon": "log(p + ε) gives a wrong loss at extreme scores: use the log-softmax.",
    "ce-wrong-indexing": "Pick the correct classes with log_probs[np.arange(N), labels], not log_probs[:, labels].",
    "conv-flipped-kernel": "Conv2D here is cross-correlation (as in PyTorch and CS231n): do not flip the kernel.",
    "conv-padding-ignored": ("forward must zero-pad x by P on each side of H and W (np.pad); the output size is (H "
                             "+ 2P − K) / S + 1."),
    "conv-padding-on-output": "Padding goes on the input x, not on the output.",
    "conv-stride-ignored": "Windows move by the stride: output (i, j) reads the window starting at (i·S, j·S).",
    "conv-backward-stride-ignored": ("backward's windows must move by the stride too (starting at (i·S, j·S), as "
                                     "in forward)."),
    "conv-output-size": "The output size is H' = (H + 2P − K) // S + 1 (mind the + 1 and the 2P).",
    "conv-db-not-summed": "db sums over N, H' and W': db = dout.sum(axis=(0, 2, 3)), shape (F,).",
    "conv-dx-overwritten": "Overlapping windows' contributions to dx must be accumulated (+=), not assigned (=).",
    "conv-dw-overwritten": "dW accumulates every output position's contribution (+=), not only the last one.",
    "conv-dx-crop": "Crop the padding with dx_pad[:, :, P:P + H, P:P + W]; with P = 0, dx_pad[:, :, P:-P] is empty.",
    "conv-dx-not-cropped": "dx has x's shape: crop the padding before returning.",
    "conv-dx-kernel-not-flipped": ("dx is the full correlation of dout with the flipped kernel (adding dout × W "
                                   "back onto each window)."),
    "conv-forward-no-bias": "forward must add the bias b[f].",
    "conv-init-scale": "He initialisation's fan-in is C·K·K: W = randn(F, C, K, K) × sqrt(2 / (C·K·K)).",
    "pool-dx-overwritten": ("Overlapping pooling windows' contributions to dx must be accumulated (+=), not "
                            "assigned (=)."),
    "pool-grad-to-all": "Max pooling's gradient goes only to each window's maximum; the other entries get 0.",
    "pool-grad-averaged": "That is average pooling's gradient; max pooling routes all of dout to the maximum.",
    "pool-stride-ignored": "Use the stride passed in; only stride=None means stride = kernel_size.",
    "pool-stride-default": "When stride is None it must become kernel_size.",
    "pool-output-size": "The output size is H' = (H − K) // S + 1.",
    "pool-argmax-unravel": ("Turn the flat argmax into (row, column) with np.unravel_index(a, (K, K)): row a // K, "
                            "column a % K."),
    "pool-ignores-dout": "Route the upstream value dout to the maximum, not 1.",
    "train-no-shuffle": "Shuffle every epoch with order = rng.permutation(N).",
    "train-global-rng": ("Shuffle with rng.permutation(N) of rng = np.random.default_rng(seed), not the global "
                         "np.random."),
    "train-rng-per-epoch": ("Every epoch of yours uses the same order: create rng = np.random.default_rng(seed) "
                            "once, before the epochs (not inside the epoch loop), and draw a new order = "
                            "rng.permutation(N) every epoch (not once before training)."),
    "train-batch-sizes": ("Each batch is batch_size consecutive rows of order (only the last may be smaller); "
                          "np.array_split makes other sizes."),
    "train-order-not-permutation": ("Draw each epoch's order with order = rng.permutation(N), as specified; other "
                                    "draws give another order."),
    "train-shuffle-misaligned": ("Shuffle X and y with the same order (X[order], y[order]), or the labels no "
                                 "longer match their rows."),
    "relu-modifies-dout": ("ReLU.backward must not change the caller's dout in place (dout[mask] = 0): use "
                           "np.where or dout * mask, a new array."),
    "train-ignores-batch-size": "Each batch is batch_size consecutive rows of order, not the whole data set.",
    "train-drops-last-batch": ("The last batch may be smaller than batch_size but trains too: for start in "
                               "range(0, N, batch_size)."),
    "train-loss-after-update": "Record the loss net.loss(X_batch, y_batch) returned before the update.",
    "train-rebinds-param": ("param = param - lr * grad only rebinds a local name; update in place: param -= "
                            "learning_rate * grad."),
    "train-grad-divided-by-batch": "The loss is already a mean: do not divide the gradient by the batch size again.",
    "train-loss-per-epoch": "Record one loss per batch, not one per epoch.",
    "train-seed-ignored": "Build rng from the seed argument: np.random.default_rng(seed).",
}
