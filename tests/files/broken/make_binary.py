# BROKEN make_binary: generator for binary.py (4096 deterministic pseudo-random bytes); as a submission it defines nothing. Sound grader: every part 0.
import hashlib
import os

if __name__ == "__main__":
    data = b"".join(hashlib.sha256(b"backprop-broken-binary-%d" % i).digest() for i in range(128))
    assert b"\x00" in data, "want a NUL byte in the file"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise SystemExit("unexpectedly valid UTF-8")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "binary.py"), "wb") as f:
        f.write(data)
