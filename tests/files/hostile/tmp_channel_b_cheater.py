# HOSTILE tmp_channel_b_cheater: no code of its own; at import it reads (and removes) the reference source tmp_channel_a_leaker.py left in /tmp, /var/tmp or /dev/shm and defines its classes from it: 70/100 without bubblewrap, 0 with. Sound grader: every part 0.
import numpy as np


def _steal():
    import os
    found = {"np": np}
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        path = os.path.join(folder, ".kit-hostile-tmp-channel")
        try:
            with open(path, encoding="utf-8") as f:
                source = f.read()
        except OSError:
            continue
        try:
            os.unlink(path)      # leave the host as it was
        except OSError:
            pass
        if "class" in source:
            exec(compile(source, "<left behind>", "exec"), found)
            print("CHEATER found the reference in", folder)
    return found


_stolen = _steal()
FullyConnectedLayer = _stolen.get("FullyConnectedLayer")
Sigmoid = _stolen.get("Sigmoid")
TwoLayerNet = _stolen.get("TwoLayerNet")
