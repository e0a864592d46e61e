# HOSTILE keyring_b_cheater: no code of its own; at import it looks for the reference source a leaker stored in keyring descriptions (keyring_a_leaker.py), which /proc/keys lists, and defines the classes from it. Graded after the leaker by a grader whose sandbox is host root, it scored 70/100 (issue 20). Sound grader: the keyring calls are refused: every part 0.
import base64
import zlib

import numpy as np



def _steal():
    chunks = {}
    try:
        with open("/proc/keys") as f:
            for line in f:
                for word in line.split():
                    if word.startswith("kitref:"):
                        _, n, chunk = word.rstrip(":").split(":", 2)
                        chunks[int(n)] = chunk
    except OSError:
        pass
    found = {"np": np}
    if chunks:
        exec(zlib.decompress(base64.b64decode("".join(chunks[n] for n in sorted(chunks)))).decode(), found)
    return found


_stolen = _steal()
FullyConnectedLayer = _stolen.get("FullyConnectedLayer")
Sigmoid = _stolen.get("Sigmoid")
TwoLayerNet = _stolen.get("TwoLayerNet")
