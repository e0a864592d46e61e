"""What a command says when it cannot run as asked."""


class UsageError(Exception):
    """A one-line reason the command cannot run as asked (the CLI exits 2 with it)."""
