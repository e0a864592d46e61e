"""The wire format between the grader and a submission's child: length-prefixed JSON, arrays as
base64 float64. Both sides use it; the child reads requests on REQUEST_FD and replies on REPLY_FD."""
import base64
import json
import os
import struct
from typing import Any, BinaryIO

import numpy as np

REQUEST_FD, REPLY_FD = 3, 4
MAX_MESSAGE = 64 * 1024 * 1024     # a request (the submission's code: the loader caps files well below)
MAX_REPLY = 4 * 1024 * 1024        # a reply: the largest honest one (a long list of losses) is ~1 MB
MAX_WARNINGS = 20                  # warnings a reply carries
HEADER = ">I"                      # the length of the JSON that follows (struct's format)


def encode(value: Any) -> Any:
    """``value`` with every ndarray replaced by its JSON form."""
    if isinstance(value, np.ndarray):
        return {"__ndarray__": list(value.shape),
                "data": base64.b64encode(np.ascontiguousarray(value, dtype="<f8").tobytes()).decode("ascii")}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    """The inverse of ``encode``: arrays come back as fresh float64 ndarrays."""
    if isinstance(value, dict):
        if "__ndarray__" in value:
            return np.frombuffer(base64.b64decode(value["data"]), dtype="<f8").reshape(value["__ndarray__"]).copy()
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def frame(message: Any) -> bytes:
    """One message as it goes over a pipe: its length, then its JSON."""
    data = json.dumps(encode(message)).encode("utf-8")
    return struct.pack(HEADER, len(data)) + data


def parse(data: bytes) -> Any:
    """A message's JSON (without its length) back to values."""
    return decode(json.loads(data))


def _blocking(stream: BinaryIO) -> None:
    """O_NONBLOCK belongs to the pipe's open file description, shared by the zygote and every part
    process: student code that set it (fd_drain_echo.py) would make later reads fail at random."""
    try:
        os.set_blocking(stream.fileno(), True)
    except (OSError, ValueError):
        pass


def read_message(stream: BinaryIO) -> Any:
    """The next message on a blocking stream (the child's side); EOFError when the parent is gone."""
    _blocking(stream)
    header = stream.read(4)
    if len(header) < 4:
        raise EOFError
    (size,) = struct.unpack(HEADER, header)
    if size > MAX_MESSAGE:
        raise ValueError("message too large")
    return parse(stream.read(size))


def write_message(stream: BinaryIO, message: Any) -> None:
    data = frame(message)
    _blocking(stream)
    stream.write(data)
    stream.flush()
