"""The parent's ends of a child's two protocol pipes: requests out, replies in, never blocking.

A child can fill the request pipe (it can reopen it for writing through /proc/self/fd) or drain the
reply pipe; neither end here ever blocks, and every read waits in ``poll`` against a ``Deadline``, so
whatever the child does costs the request's deadline, never a hung worker.
"""
import os
import select
import struct

from autograder.sandbox.deadline import ChildGone, Deadline
from autograder.sandbox.inside import wire
from autograder.sandbox.inside.kinds import Failure

CHUNK = 1 << 20          # bytes moved per write or read


class Channel:
    """Requests written to ``request_write``, replies read from ``reply_read`` (both ours to close)."""

    def __init__(self, request_write: int, reply_read: int) -> None:
        os.set_blocking(request_write, False)
        os.set_blocking(reply_read, False)
        self.request_write, self.reply_read = request_write, reply_read
        self._pending, self._pending_at = b"", 0   # request bytes not yet taken by the pipe

    def send(self, message: dict) -> None:
        """Queue a request; what the pipe takes now is written at once, the rest while a reply is
        awaited (``receive``), so a full pipe costs the request's deadline, never a hang."""
        self._pending = self._pending[self._pending_at:] + wire.frame(message)
        self._pending_at = 0
        self._flush()

    def receive(self, deadline: Deadline) -> dict:
        """The next reply; ChildGone when it does not come in time, the child is gone, or it is too
        large or not a JSON object. Malformed JSON or arrays raise what decoding them raises."""
        (size,) = struct.unpack(wire.HEADER, self._read_exact(4, deadline))
        if size > wire.MAX_REPLY:
            raise ChildGone(Failure.PROTOCOL)
        message = wire.parse(self._read_exact(size, deadline))
        if type(message) is not dict:
            raise ChildGone(Failure.PROTOCOL)
        return message

    def close(self) -> None:
        for fd in (self.request_write, self.reply_read):
            try:
                os.close(fd)
            except OSError:
                pass
        self._pending, self._pending_at = b"", 0

    def _flush(self) -> None:
        while self._pending_at < len(self._pending):
            try:
                written = os.write(self.request_write,
                                   memoryview(self._pending)[self._pending_at:self._pending_at + CHUNK])
            except BlockingIOError:
                return
            except OSError:   # the child is gone (EPIPE); reading its reply will say so
                self._pending, self._pending_at = b"", 0
                return
            self._pending_at += written
        if self._pending_at >= len(self._pending):
            self._pending, self._pending_at = b"", 0

    def _read_exact(self, size: int, deadline: Deadline) -> bytes:
        chunks, remaining = [], size
        while remaining:
            wait = deadline.wait()
            poller = select.poll()
            poller.register(self.reply_read, select.POLLIN)
            if self._pending:
                poller.register(self.request_write, select.POLLOUT)
            events = dict(poller.poll(max(1, int(wait * 1000))))
            if self._pending and events.get(self.request_write):
                if events[self.request_write] & (select.POLLERR | select.POLLHUP):
                    self._pending, self._pending_at = b"", 0   # no reader left
                else:
                    self._flush()
            if not events.get(self.reply_read):
                continue
            try:
                data = os.read(self.reply_read, min(remaining, CHUNK))
            except BlockingIOError:   # another reader (the student's process) took it first
                continue
            if not data:
                raise ChildGone(Failure.EXITED)
            chunks.append(data)
            remaining -= len(data)
        return b"".join(chunks)
