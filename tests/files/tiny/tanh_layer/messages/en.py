"""00's words in English: see ``autograder/messages/en.py`` for the engine's."""

MESSAGES = {
    # Per-test sentences (checks/: check.say)
    "values": "{what}: {right}/{total} shapes match the reference (largest relative error {error:.1e})",
    "gradient": "Tanh.backward gradient check: largest relative error against the reference {error:.1e}",
}

# Hints: the id goes into a failing test's tags.
HINTS = {
    "tanh-ignores-dout": "Your dx looks like it ignores the upstream gradient dout: dx = dout × (1 − tanh²(x)).",
}
