"""Errors a user can fix, shared by the commands (``grading``) and the views they call."""


class UsageError(Exception):
    """A one-line reason the command cannot run as asked (the CLI exits 2 with it)."""


class Incomplete(Exception):
    """The views were written, but the class is not all there (a shard missing or unfinished): the
    CLI exits 3 with this one-line reason, so a scheduler's merge job fails where people look."""
