"""01's words in English: see ``autograder/messages/en.py`` for the engine's."""

MESSAGES = {
    # Per-test sentences (checks/: check.say)
    "detail-changed-shape": "train_xor changed the shape of {name} to {got} (it was {expected})",
    "detail-not-pairs": "get_params_and_grads must return a list of (param, grad) pairs",
    "detail-not-losses": "train_xor must return a list of losses ({error})",
    "values": ("{what}: {right}/{total} shapes match the reference (largest relative error {error:.1e}, threshold "
               "{tol:g})"),
    "value-case": "  shape {shape}: relative error {error:.1e}",
    "extreme-ok": "σ(x) is finite and correct at x = ±1000, ±50, ±3, ±0.5, 0",
    "extreme-wrong": "at x = {x} σ(x) = {got}, expected {expected}",
    "extreme-warned": "values right, but the computation overflowed ({warnings}): {share:.0%} of the points",
    "gradient": ("{what} gradient check: {right} of {total} inputs within the first tier ({measured} computed, "
                 "largest relative error against the reference {error:.1e}, against the numerical gradient "
                 "{numerical:.1e}); each input earns its own tier and the test their mean → {share:.0%} of the "
                 "points; tiers: {tiers}"),
    "layer-missing": "None (not set)",
    "gradient-none": "{what} is None: after backward every layer's dW and db must be set",
    "structure-ok": "(in, hidden, out) = {dims}: fc1 / sigmoid / fc2 right",
    "structure-bad": "(in, hidden, out) = {dims}: {problem}",
    "structure-unverified": ("(in, hidden, out) = {dims}: the layers and shapes look right, but neither forward "
                             "nor backward computed the right values with the grader's parameters, so the "
                             "structure cannot be confirmed and this size earns nothing"),
    "backward-order": "backward called the layers' backward in the order {calls}",
    "pairs-unverified": ("get_params_and_grads cannot be confirmed: your backward did not compute the right "
                         "gradients and your forward did not compute with the updated parameters (this test is "
                         "verified through what they compute)"),
    "layer-wrong": "self.{name} should be a {cls}, got {got}",
    "param-shape": "{name} has shape {got}, expected {expected}",
    "pairs-ok": ("get_params_and_grads returns the network's own 4 (param, grad) pairs; an in-place update changes "
                 "the network"),
    "pairs-count": "expected 4 (param, grad) pairs, got {count}",
    "pairs-missing": "the pairs {names} are missing",
    "pairs-wrong": "pair {index} is ({got}), expected ({expected})",
    "pairs-not-updated": "after an in-place update through the returned arrays, the network's {name} did not change",
    "losses-count": "with epochs = {epochs} it returned {count} losses, expected {epochs}",
    "losses-first": "losses[0] = {got:.6g}, but the loss before the first update is {expected:.6g}",
    "losses-match": "the loss trajectory matches the reference ({epochs} epochs, largest relative error {error:.1e})",
    "losses-differ": "the loss trajectory departs from the reference at epoch {index} ({got:.6g} ≠ {expected:.6g})",
    "params-match": "parameters after training match the reference (largest relative error {error:.1e})",
    "params-differ": ("parameters after training differ from the reference (largest relative error {error:.1e} in "
                      "{name}, threshold {tol:g})"),
    "params-unchanged": "the parameters did not change at all during training",
    "honours-epochs": "number of losses: {detail}",
    "ok": "right",
    "differs": "differs from the reference",
    "step-factor": "in both runs the parameters match gradient descent with steps {factor:g} times the reference's",
    "accuracy-untrained": ("but these parameters were not produced by gradient descent on XOR (they match neither "
                           "the reference run nor any typical loop's run), so this run does not count as trained"),
    "accuracy": "{run}: XOR {correct}/4 right (reference 4/4)",
    "run-name": "initialisation seed {seed}, learning_rate {lr:g}, {epochs} epochs",
    "losses-unreadable": ("the losses train_xor returned are not a list of numbers ({error}): each loss must be a "
                          "scalar, e.g. float(np.mean(...)); the trained parameters are graded in the other tests "
                          "all the same"),
    "losses-none": ("train_xor returned None, so there are no losses to compare (the trained parameters are graded "
                    "in the other tests all the same)"),
    "losses-unverified": ("losses[0] is right, but after this run ({run}) neither the parameters nor the losses "
                          "match gradient descent, so the training cannot be confirmed and the first loss and the "
                          "count earn nothing"),
    "honours-training": "parameters after training with learning_rate = {lr:g}, epochs = {epochs}: {detail}",
    "honours-epochs-unverified": ("number of losses: {detail}; the counts are right, but the values do not follow "
                                  "the training (not a loss computed each epoch), so this half earns nothing"),
    "graded-parts": "points per part: {parts}",
    # The feedback figure (plots.py)
    "plot.caption": "train_xor: loss curve and decision boundary",
    "plot.loss": "Training loss: your train_xor and the reference",
    "plot.boundary": "XOR decision boundary your train_xor learned",
    "plot.yours": "yours",
    "plot.reference": "reference",
    "plot.output": "network output",
    "plot.class": "points with y = {label}",
    "plot.not-finite": "losses[{index}] onwards: {value}",
    "plot.no-boundary": "the trained parameters contain nan or inf:\nno decision boundary to draw",
    "plot.note.shape": "{name} has shape {got}, expected {expected} (the 2-8-1 XOR network)",
}

# Hints: the id goes into a failing test's tags.
HINTS = {
    "sigmoid-ignores-dout": ("Your dx looks like it ignores the upstream gradient dout. Chain rule: dx = dout × "
                             "σ'(x), with σ'(x) = σ(x)(1 − σ(x))."),
    "sigmoid-derivative-uses-input": ("Your dx looks like x(1 − x) of the input; the derivative σ(x)(1 − σ(x)) "
                                      "needs the forward output σ(x). Check what the cache holds."),
    "sigmoid-derivative-incomplete": ("Your dx looks like dout × σ(x), missing the factor (1 − σ(x)): σ'(x) = "
                                      "σ(x)(1 − σ(x))."),
    "sigmoid-forward-negated": ("forward computes σ(−x) = 1 − σ(x): check the sign inside exp, or whether the two "
                                "branches of np.where are swapped."),
    "sigmoid-wrong-shape": ("backward returns a different shape than dout: sigmoid is element-wise, nothing is "
                            "summed over an axis."),
    "sigmoid-unstable": ("Overflow or nan for large |x|: 1 / (1 + e^(−x)) overflows at x = −1000. Only "
                         "exponentiate −|x| (e^(−|x|) ≤ 1) and use the two forms for x ≥ 0 and x < 0."),
    "net-backward-skips-sigmoid": ("The gradient seems to go straight from fc2 to fc1, skipping the sigmoid's "
                                   "backward pass: it must pass through self.sigmoid.backward."),
    "net-backward-wrong-order": ("Backpropagation calls the layers in reverse order of the forward pass: fc2 → "
                                 "sigmoid → fc1, each one's result is the next one's upstream gradient."),
    "net-backward-returns-none": "backward returns nothing: return the result of the last (fc1) backward call as dX.",
    "net-forward-skips-sigmoid": ("The forward output looks like it skips the sigmoid: FC1 → Sigmoid → FC2; "
                                  "without the non-linearity XOR cannot be learned."),
    "net-forward-skips-fc2": ("The forward output looks like it stops after the sigmoid, without fc2: FC1 → "
                              "Sigmoid → FC2, return fc2's output."),
    "net-hidden-size-hardcoded": ("The hidden layer is only right when it has 8 units: use the hidden_features "
                                  "argument instead of a fixed number."),
    "net-bias-grad-shape": ("db must have b's shape (a 1-D array over the outputs): sum over the samples (axis=0), "
                            "not axis=1, without keepdims."),
    "net-params-copies": ("get_params_and_grads returns copies: param -= lr * grad then changes the copies, not "
                          "the network. Return the network's own arrays (no .copy())."),
    "net-params-order": ("Each (param, grad) pair is right, but the order must be the documented one: fc1.W, "
                         "fc1.b, fc2.W, fc2.b."),
    "net-params-mismatched": ("The (param, grad) pairs are mismatched: each parameter goes with its own gradient, "
                              "in the order fc1.W, fc1.b, fc2.W, fc2.b."),
    "train-rebinds-param": ("The parameters never change: param = param − lr * grad only rebinds a local name; "
                            "update in place with param -= lr * grad."),
    "train-ascends": ("The loss grows: gradient descent steps against the gradient (subtract lr * grad, do not add "
                      "it)."),
    "train-no-backward": ("Call net.backward(dY) in every epoch to compute the gradients before updating the "
                          "parameters."),
    "train-grad-none": ("A grad was None when the parameters were updated: gradients come from net.backward(dY). "
                        "In each epoch call backward first, then update with net.get_params_and_grads() taken "
                        "after it (backward creates new gradient arrays; pairs taken earlier hold the old ones)."),
    "train-step-scale": ("Every step is a fixed factor off the reference's: check the factor in dY = 2 * (Y − y) / "
                         "Y.size and how learning_rate is used."),
    "train-loss-summed": ("The losses look like the sum of squared errors, not their mean: MSE is np.mean((Y − y) "
                          "** 2)."),
    "train-no-mean": "The steps look Y.size times too large: MSE is a mean, so dY = 2 * (Y − y) / Y.size.",
    "train-loss-after-update": ("The losses look recorded after the update: losses[i] is the loss before the i-th "
                                "update (forward, record, then backward and update)."),
    "train-ignores-lr": ("learning_rate seems unused (a fixed rate is hard-coded): use the learning_rate argument "
                         "in the update."),
    "train-ignores-epochs": "The number of losses does not follow epochs (a fixed count?): loop over range(epochs).",
    "train-off-by-one": ("The number of losses is off by one: range(epochs) runs exactly epochs times, recording "
                         "one loss each."),
    "train-no-return": "train_xor returns None: return the list of losses after the loop.",
    "train-returns-no-losses": "The losses returned are empty: append each epoch's loss to the list.",
    "train-trains-copy": ("The parameters of the net passed in never change while the losses do: another network "
                          "was trained (a copy.deepcopy(net), say); update the net passed in."),
    "train-one-sample-per-epoch": ("Each epoch updates with one sample (cycling through the four): the exercise "
                                   "asks for full-batch steps, one gradient from all 4 samples per epoch."),
    "train-one-sample-sgd": ("This looks like one-sample updates (SGD): the exercise asks for full-batch steps, "
                             "one gradient from all 4 samples per epoch."),
}
