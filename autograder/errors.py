"""Errors a user can fix, shared by the commands (``grading``) and the views they call."""


class UsageError(Exception):
    """A one-line reason the command cannot run as asked (the CLI exits 2 with it)."""
